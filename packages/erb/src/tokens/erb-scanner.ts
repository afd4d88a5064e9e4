/**
 * @module
 * Splits an ERB template into text and tag segments with Ruby ERB's `trim_mode: '-'` rules
 * (the mode Foreman uses): `<%-` at the start of a line drops the indentation before it, `-%>`
 * drops the newline right after it, `<%%` is a literal `<%` in text and `%%>` a literal `%>`
 * inside a tag, `<%# %>` is a comment.
 */
import { ErbSyntaxError } from '../errors.ts';
import type { SourceFile } from './source-file.ts';

/** One segment of the template. For tags, `content` is the Ruby code and `contentBegin` its offset. */
export interface ErbSegment {
  readonly kind: 'text' | 'code' | 'output' | 'comment';
  readonly begin: number;
  readonly end: number;
  readonly content: string;
  readonly contentBegin: number;
}

/** Scan a template into segments; throws {@link ErbSyntaxError} on an unterminated tag. */
export function scanErb(file: SourceFile): ErbSegment[] {
  const src = file.text;
  const segments: ErbSegment[] = [];
  let text = '';
  let textBegin = 0;
  let pos = 0;
  const flushText = (end: number): void => {
    if (text.length > 0) segments.push({ kind: 'text', begin: textBegin, end, content: text, contentBegin: textBegin });
    text = '';
  };
  while (pos < src.length) {
    const open = src.indexOf('<%', pos);
    if (open < 0) {
      if (text.length === 0) textBegin = pos;
      text += src.slice(pos);
      pos = src.length;
      break;
    }
    if (text.length === 0) textBegin = pos;
    let before = src.slice(pos, open);
    const third = src[open + 2];
    if (third === '%') {
      text += before + '<%';
      pos = open + 3;
      continue;
    }
    let kind: ErbSegment['kind'] = 'code';
    let contentStart = open + 2;
    if (third === '=') {
      kind = 'output';
      contentStart = open + 3;
    } else if (third === '#') {
      kind = 'comment';
      contentStart = open + 3;
    } else if (third === '-') {
      contentStart = open + 3;
      // `^[ \t]*<%-`: drop the indentation when only blanks precede the tag on its line.
      const lineStart = open === 0 ? 0 : src.lastIndexOf('\n', open - 1) + 1;
      const indent = src.slice(lineStart, open);
      if (/^[ \t]*$/.test(indent) && before.endsWith(indent)) before = before.slice(0, before.length - indent.length);
    }
    text += before;
    flushText(open);
    // Find the closing `%>`, honouring `%%>` (literal) and `-%>` (trim the following newline).
    let content = '';
    let j = contentStart;
    let closeEnd = -1;
    for (;;) {
      const k = src.indexOf('%>', j);
      if (k < 0) break;
      if (k - 1 >= j && src[k - 1] === '%') {
        content += src.slice(j, k - 1) + '%>';
        j = k + 2;
        continue;
      }
      if (k - 1 >= contentStart && src[k - 1] === '-') {
        content += src.slice(j, k - 1);
        closeEnd = k + 2;
        if (src[closeEnd] === '\n') closeEnd++;
      } else {
        content += src.slice(j, k);
        closeEnd = k + 2;
      }
      break;
    }
    if (closeEnd < 0) throw new ErbSyntaxError("unterminated ERB tag: missing '%>'").locate(file, open);
    segments.push({ kind, begin: open, end: closeEnd, content, contentBegin: contentStart });
    pos = closeEnd;
    textBegin = pos;
  }
  flushText(src.length);
  return segments;
}
