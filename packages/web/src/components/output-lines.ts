/**
 * @module
 * Output line sets → display lines, ANSI → styled segments, and folding of identical outputs.
 */
import Anser from 'anser';

/** Which stream a line came from. */
export type Stream = 'stdout' | 'stderr' | 'debug';

/** One display line. */
export interface ViewerLine {
  stream: Stream;
  text: string;
}

/** A chunk of output as the API gives it. */
export interface OutputChunk {
  output_type: Stream;
  output: string;
}

/** Splits chunks into lines; a chunk not ending in a newline continues on the next of the same stream. */
export function toLines(chunks: readonly OutputChunk[]): ViewerLine[] {
  const lines: ViewerLine[] = [];
  let open: ViewerLine | null = null;
  for (const c of chunks) {
    const parts = c.output.split('\n');
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      if (last && part === '') {
        open = null;
        return;
      }
      if (i === 0 && open && open.stream === c.output_type) open.text += part;
      else {
        const line: ViewerLine = { stream: c.output_type, text: part };
        lines.push(line);
        open = line;
      }
      if (!last) open = null;
    });
  }
  return lines;
}

/** A styled run of text. */
export interface Segment {
  text: string;
  color?: string;
  background?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f\u007f]/g; // eslint-disable-line no-control-regex

/** ANSI-coloured text → segments (plain text only: never HTML). */
export function ansiSegments(text: string): Segment[] {
  if (!text.includes('\u001b')) return [{ text: text.replace(CONTROL, '') }];
  return Anser.ansiToJson(text, { json: true, remove_empty: true }).map((e) => {
    const s: Segment = { text: e.content.replace(CONTROL, '') };
    if (e.fg) s.color = `rgb(${e.fg})`;
    if (e.bg) s.background = `rgb(${e.bg})`;
    if (e.decorations.includes('bold')) s.bold = true;
    if (e.decorations.includes('italic')) s.italic = true;
    if (e.decorations.includes('underline')) s.underline = true;
    return s;
  });
}

/** A group of hosts with the same output. */
export interface OutputGroup {
  hosts: string[];
  lines: ViewerLine[];
}

/** Folds hosts with identical outputs (stream and text) into groups, largest first (like `clush -b`). */
export function foldOutputs(perHost: ReadonlyArray<{ host: string; lines: ViewerLine[] }>): OutputGroup[] {
  const groups = new Map<string, OutputGroup>();
  for (const h of perHost) {
    const key = JSON.stringify(h.lines.map((l) => [l.stream, l.text]));
    const g = groups.get(key);
    if (g) g.hosts.push(h.host);
    else groups.set(key, { hosts: [h.host], lines: h.lines });
  }
  return [...groups.values()].sort((a, b) => b.hosts.length - a.hosts.length || (a.hosts[0] ?? '').localeCompare(b.hosts[0] ?? ''));
}
