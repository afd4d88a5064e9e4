/**
 * @module
 * Character sets of the regex engine as sorted, merged code-point ranges `[lo0, hi0, lo1, hi1, …]`:
 * the escapes `\d \w \s \h` (ASCII, as Ruby documents them) and their negations, POSIX brackets,
 * case folding for `/i` and membership tests.
 */

/** Largest code point. */
export const MAX_CP = 0x10ffff;

const DIGIT = [0x30, 0x39];
const WORD = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
const SPACE = [0x09, 0x0d, 0x20, 0x20];
const HEX = [0x30, 0x39, 0x41, 0x46, 0x61, 0x66];

/** Sort and merge ranges (adjacent or overlapping ones are joined). */
export function normalizeRanges(ranges: readonly number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < ranges.length; i += 2) pairs.push([ranges[i]!, ranges[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

/** Complement of normalized ranges over all code points. */
export function negateRanges(ranges: readonly number[]): number[] {
  const norm = normalizeRanges(ranges);
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < norm.length; i += 2) {
    if (norm[i]! > next) out.push(next, norm[i]! - 1);
    next = norm[i + 1]! + 1;
  }
  if (next <= MAX_CP) out.push(next, MAX_CP);
  return out;
}

/** Ranges of a class escape letter (`d D w W s S h H`). */
export function classRanges(letter: string): number[] {
  switch (letter) {
    case 'd': return [...DIGIT];
    case 'D': return negateRanges(DIGIT);
    case 'w': return [...WORD];
    case 'W': return negateRanges(WORD);
    case 's': return [...SPACE];
    case 'S': return negateRanges(SPACE);
    case 'h': return [...HEX];
    case 'H': return negateRanges(HEX);
    default: throw new Error(`unknown class escape ${letter}`);
  }
}

/** ASCII POSIX bracket classes (`[[:alpha:]]`). */
export const POSIX_CLASSES: Readonly<Record<string, readonly number[]>> = {
  alpha: [0x41, 0x5a, 0x61, 0x7a],
  digit: DIGIT,
  alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  upper: [0x41, 0x5a],
  lower: [0x61, 0x7a],
  space: SPACE,
  blank: [0x09, 0x09, 0x20, 0x20],
  xdigit: HEX,
  word: WORD,
  punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  cntrl: [0x00, 0x1f, 0x7f, 0x7f],
  print: [0x20, 0x7e],
  graph: [0x21, 0x7e],
};

/** Upper/lower-case variants of one code point (itself excluded). */
function caseVariants(cp: number): number[] {
  if (cp < 0x80) {
    if (cp >= 0x41 && cp <= 0x5a) return [cp + 32];
    if (cp >= 0x61 && cp <= 0x7a) return [cp - 32];
    return [];
  }
  const ch = String.fromCodePoint(cp);
  const out: number[] = [];
  for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
    const x = v.codePointAt(0)!;
    // Only single-character mappings, and never from non-ASCII into ASCII (as JavaScript's /i).
    if (v.length === String.fromCodePoint(x).length && x !== cp && x >= 0x80) out.push(x);
  }
  return out;
}

/** Add the case variants of every member (large non-ASCII ranges are assumed closed already). */
export function foldRanges(ranges: readonly number[]): number[] {
  const extra: number[] = [];
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const lo = ranges[i]!;
    const hi = ranges[i + 1]!;
    // ASCII letters.
    const a = Math.max(lo, 0x41);
    const b = Math.min(hi, 0x5a);
    if (a <= b) extra.push(a + 32, b + 32);
    const c = Math.max(lo, 0x61);
    const d = Math.min(hi, 0x7a);
    if (c <= d) extra.push(c - 32, d - 32);
    const from = Math.max(lo, 0x80);
    if (hi >= from && hi - from < 2048) {
      for (let cp = from; cp <= hi; cp++) for (const v of caseVariants(cp)) extra.push(v, v);
    }
  }
  return normalizeRanges([...ranges, ...extra]);
}

/** Membership test on normalized ranges (binary search). */
export function inRanges(ranges: ArrayLike<number>, cp: number): boolean {
  let lo = 0;
  let hi = (ranges.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[mid * 2]!) hi = mid - 1;
    else if (cp > ranges[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Ruby's `\w` (ASCII word character), used by `\b`. */
export function isWordChar(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}
