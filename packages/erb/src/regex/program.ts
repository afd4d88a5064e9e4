/**
 * @module
 * Compiles a pattern AST into the instruction list run by the Pike VM ({@link ./pike-vm.ts}).
 * Counted repetitions are expanded, so the program size is bounded by {@link MAX_PROGRAM}: the
 * matcher's work per input character is at most proportional to it.
 */
import { inRanges, normalizeRanges } from './char-class.ts';
import type { AssertKind, RegexNode } from './syntax.ts';
import { RegexSyntaxError } from './syntax.ts';

/** Opcode: match one code point (a). One instruction is three int32: op, a, b. */
export const OP_CHAR = 0;
/** Opcode: any code point but `\n`. */
export const OP_ANY = 1;
/** Opcode: any code point (`.` under /m). */
export const OP_ANY_NL = 2;
/** Opcode: a code point in class a. */
export const OP_CLASS = 3;
/** Opcode: fork to a (preferred) and b. */
export const OP_SPLIT = 4;
/** Opcode: jump to a. */
export const OP_JMP = 5;
/** Opcode: record the position in capture slot a. */
export const OP_SAVE = 6;
/** Opcode: zero-width assertion a (one of the `AS_*` codes). */
export const OP_ASSERT = 7;
/** Opcode: the pattern matched. */
export const OP_MATCH = 8;

/** Assertion `^` (start of a line). */
export const AS_BOL = 0;
/** Assertion `$` (end of a line). */
export const AS_EOL = 1;
/** Assertion `\A`. */
export const AS_BOS = 2;
/** Assertion `\z`. */
export const AS_EOS = 3;
/** Assertion `\Z` (end, or before a final newline). */
export const AS_EOS_NL = 4;
/** Assertion `\b`. */
export const AS_WORDB = 5;
/** Assertion `\B`. */
export const AS_NWORDB = 6;

const ASSERT_CODES: Record<AssertKind, number> = {
  bol: AS_BOL, eol: AS_EOL, bos: AS_BOS, eos: AS_EOS, eosnl: AS_EOS_NL, wordb: AS_WORDB, nwordb: AS_NWORDB,
};

/** Largest program (instructions) a pattern may compile to. */
export const MAX_PROGRAM = 20_000;

/** A compiled program. */
export interface Program {
  /** Instructions, three int32 each. */
  readonly code: Int32Array;
  /** Character classes referenced by {@link OP_CLASS}, as normalized ranges. */
  readonly classes: readonly Int32Array[];
  /** Number of capture slots (2 per group, group 0 included). */
  readonly slots: number;
  /** True when the pattern starts with `\A` (only position 0 can match). */
  readonly anchoredStart: boolean;
  /**
   * Code points a match can start with (normalized ranges), or null when any may (or the
   * pattern can match the empty string): lets the VM skip positions that cannot start a match.
   */
  readonly firstChars: Int32Array | null;
  /** ASCII part of {@link firstChars} as a lookup table (1 = may start a match). */
  readonly firstAscii: Uint8Array | null;
}

class Emitter {
  code: number[] = [];
  classes: Int32Array[] = [];
  emit(op: number, a = 0, b = 0): number {
    const pc = this.code.length / 3;
    if (pc >= MAX_PROGRAM) throw new RegexSyntaxError(`regular expression too large (limit ${MAX_PROGRAM} instructions)`, 0);
    this.code.push(op, a, b);
    return pc;
  }
  patch(pc: number, a: number, b?: number): void {
    this.code[pc * 3 + 1] = a;
    if (b !== undefined) this.code[pc * 3 + 2] = b;
  }
  get pc(): number {
    return this.code.length / 3;
  }
}

/** Compile an AST with `groups` capture groups. */
export function compileProgram(node: RegexNode, groups: number): Program {
  const e = new Emitter();
  e.emit(OP_SAVE, 0);
  gen(e, node);
  e.emit(OP_SAVE, 1);
  e.emit(OP_MATCH);
  const code = Int32Array.from(e.code);
  const first = firstChars(code, e.classes);
  let ascii: Uint8Array | null = null;
  if (first) {
    ascii = new Uint8Array(128);
    for (let c = 0; c < 128; c++) ascii[c] = inRanges(first, c) ? 1 : 0;
  }
  return { code, classes: e.classes, slots: (groups + 1) * 2, anchoredStart: startsWithBos(node), firstChars: first, firstAscii: ascii };
}

/** The set of code points the first consumed character can be, or null when unrestricted. */
function firstChars(code: Int32Array, classes: readonly Int32Array[]): Int32Array | null {
  const ranges: number[] = [];
  const seen = new Uint8Array(code.length / 3);
  const stack = [0];
  while (stack.length > 0) {
    const pc = stack.pop()!;
    if (seen[pc]) continue;
    seen[pc] = 1;
    const op = code[pc * 3]!;
    const a = code[pc * 3 + 1]!;
    switch (op) {
      case OP_CHAR: ranges.push(a, a); break;
      case OP_CLASS: ranges.push(...classes[a]!); break;
      case OP_SPLIT: stack.push(code[pc * 3 + 2]!, a); break;
      case OP_JMP: stack.push(a); break;
      case OP_SAVE: case OP_ASSERT: stack.push(pc + 1); break;
      default: return null; // any character, or an empty match
    }
    if (ranges.length > 4096) return null;
  }
  return Int32Array.from(normalizeRanges(ranges));
}

function startsWithBos(node: RegexNode): boolean {
  switch (node.t) {
    case 'assert': return node.k === 'bos';
    case 'cat': return node.items.length > 0 && startsWithBos(node.items[0]!);
    case 'group': return startsWithBos(node.body);
    case 'alt': return node.alts.every(startsWithBos);
    default: return false;
  }
}

function gen(e: Emitter, node: RegexNode): void {
  switch (node.t) {
    case 'empty':
      return;
    case 'char':
      e.emit(OP_CHAR, node.c);
      return;
    case 'any':
      e.emit(node.nl ? OP_ANY_NL : OP_ANY);
      return;
    case 'class':
      e.classes.push(Int32Array.from(node.ranges));
      e.emit(OP_CLASS, e.classes.length - 1);
      return;
    case 'assert':
      e.emit(OP_ASSERT, ASSERT_CODES[node.k]);
      return;
    case 'group':
      e.emit(OP_SAVE, node.index * 2);
      gen(e, node.body);
      e.emit(OP_SAVE, node.index * 2 + 1);
      return;
    case 'cat':
      for (const item of node.items) gen(e, item);
      return;
    case 'alt': {
      // split L1, next; L1: alt0; jmp end; next: split L2, next2; … ; last alt
      const jumps: number[] = [];
      for (let i = 0; i < node.alts.length; i++) {
        if (i < node.alts.length - 1) {
          const split = e.emit(OP_SPLIT);
          e.patch(split, e.pc);
          gen(e, node.alts[i]!);
          jumps.push(e.emit(OP_JMP));
          e.patch(split, split + 1, e.pc);
        } else gen(e, node.alts[i]!);
      }
      for (const j of jumps) e.patch(j, e.pc);
      return;
    }
    case 'rep':
      genRepeat(e, node.body, node.min, node.max, node.lazy);
      return;
  }
}

function genRepeat(e: Emitter, body: RegexNode, min: number, max: number, lazy: boolean): void {
  for (let i = 0; i < min; i++) gen(e, body);
  if (max === Infinity) {
    // L: split body, out (greedy) / split out, body (lazy); body; jmp L; out:
    const split = e.emit(OP_SPLIT);
    gen(e, body);
    e.emit(OP_JMP, split);
    if (lazy) e.patch(split, e.pc, split + 1);
    else e.patch(split, split + 1, e.pc);
    return;
  }
  // Nested optionals: (body (body …)?)?
  const splits: number[] = [];
  for (let i = min; i < max; i++) {
    splits.push(e.emit(OP_SPLIT));
    gen(e, body);
  }
  const out = e.pc;
  for (const s of splits) {
    if (lazy) e.patch(s, out, s + 1);
    else e.patch(s, s + 1, out);
  }
}
