/**
 * @module
 * A line diff (longest common subsequence) of two texts: template revisions, audited changes.
 * Quadratic in lines: texts beyond {@link MAX_DIFF_LINES} lines are compared as a whole.
 */

/** One line of a diff: kept, added (`+`) or removed (`-`). */
export interface DiffLine {
  kind: ' ' | '+' | '-';
  text: string;
}

/** Most lines compared line by line (templates are far shorter). */
export const MAX_DIFF_LINES = 3000;

/** The lines that turn `before` into `after`. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES) {
    return before === after ? a.map((text) => ({ kind: ' ', text })) : [...a.map((text) => ({ kind: '-' as const, text })), ...b.map((text) => ({ kind: '+' as const, text }))];
  }
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: ' ', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      out.push({ kind: '-', text: a[i++]! });
    } else {
      out.push({ kind: '+', text: b[j++]! });
    }
  }
  while (i < a.length) out.push({ kind: '-', text: a[i++]! });
  while (j < b.length) out.push({ kind: '+', text: b[j++]! });
  return out;
}
