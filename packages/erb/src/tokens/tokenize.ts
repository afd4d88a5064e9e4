/**
 * @module
 * Turns a whole template into the single token stream the parser reads: ERB text becomes `text`
 * tokens, `<%= … %>` becomes `out_open … out_close`, and every `<% … %>` ends with a `nl`
 * separator, so Ruby statements may span several tags (`<% if x %>…<% end %>`) exactly as in
 * the Ruby program ERB compiles to.
 */
import { scanErb } from './erb-scanner.ts';
import { RubyLexer } from './ruby-lexer.ts';
import type { SourceFile } from './source-file.ts';
import type { Token } from './token.ts';

/** Tokenize a template; throws ErbSyntaxError for unterminated tags or bad Ruby tokens. */
export function tokenizeTemplate(file: SourceFile): Token[] {
  const tokens: Token[] = [];
  for (const seg of scanErb(file)) {
    switch (seg.kind) {
      case 'text':
        tokens.push({ kind: 'text', value: seg.content, begin: seg.begin, end: seg.end, spaceBefore: false });
        break;
      case 'comment':
        break;
      case 'code':
      case 'output': {
        const rawEnd = seg.contentBegin + seg.content.length;
        const exact = file.text.slice(seg.contentBegin, rawEnd) === seg.content;
        // When `%%>` was unescaped the content differs from the source; lex a patched copy.
        const lexer = exact
          ? new RubyLexer(file, seg.contentBegin, rawEnd)
          : new RubyLexer(file, seg.contentBegin, rawEnd, file.text.slice(0, seg.contentBegin) + seg.content);
        if (seg.kind === 'output') {
          tokens.push({ kind: 'out_open', value: '<%=', begin: seg.begin, end: seg.contentBegin, spaceBefore: false });
          for (const t of lexer.lexAll()) tokens.push(t);
          tokens.push({ kind: 'out_close', value: '%>', begin: Math.max(seg.contentBegin, seg.end - 2), end: seg.end, spaceBefore: true });
        } else {
          for (const t of lexer.lexAll()) tokens.push(t);
          tokens.push({ kind: 'nl', value: '%>', begin: Math.max(seg.contentBegin, seg.end - 2), end: seg.end, spaceBefore: true });
        }
        break;
      }
    }
  }
  tokens.push({ kind: 'eof', value: '', begin: file.text.length, end: file.text.length, spaceBefore: true });
  return tokens;
}
