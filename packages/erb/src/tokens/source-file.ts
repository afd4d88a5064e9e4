/**
 * @module
 * A template source with a name and a line index, used to turn token offsets into line:col and
 * to cut the excerpt shown in error messages.
 */

/** A named template source; offsets of tokens and nodes index into {@link SourceFile.text}. */
export class SourceFile {
  /** Template name as given to `parseTemplate` (Default: `"template"`). */
  readonly name: string;
  /** Full template text. */
  readonly text: string;
  #lineStarts: number[] | undefined;

  constructor(name: string, text: string) {
    this.name = name;
    this.text = text;
  }

  #starts(): number[] {
    if (this.#lineStarts) return this.#lineStarts;
    const starts = [0];
    for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) starts.push(i + 1);
    this.#lineStarts = starts;
    return starts;
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; col: number } {
    const starts = this.#starts();
    const off = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: off - (starts[lo] ?? 0) + 1 };
  }

  /** LiquidJS-style excerpt: two lines around the error line, `>>` marker and a caret under the column. */
  excerpt(line: number, col: number): string {
    const lines = this.text.split('\n');
    const first = Math.max(1, line - 2);
    const last = Math.min(lines.length, line + 2);
    const width = String(last).length;
    const out: string[] = [];
    for (let n = first; n <= last; n++) {
      const raw = (lines[n - 1] ?? '').replace(/\r$/, '');
      const shown = raw.length > 200 ? `${raw.slice(0, 200)}…` : raw;
      const gutter = `${n === line ? '>> ' : '   '}${String(n).padStart(width)}| `;
      out.push(gutter + shown);
      if (n === line) out.push(' '.repeat(gutter.length + Math.min(col - 1, 200)) + '^');
    }
    return out.join('\n');
  }
}
