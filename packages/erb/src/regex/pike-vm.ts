/**
 * @module
 * Pike VM: runs a compiled {@link Program} over the input in one left-to-right pass, keeping at
 * most one thread per instruction. Threads are ordered by priority, so the result is the match a
 * backtracking engine (Ruby, JavaScript) would find first, but the work is O(input × program)
 * whatever the pattern: `/(a+)+$/` cannot blow up. Every instruction visit is a VM step, reported
 * to the caller's meter in batches, so a render's step budget bounds the matching too.
 */
import { inRanges, isWordChar } from './char-class.ts';
import type { Program } from './program.ts';
import {
  AS_BOL, AS_BOS, AS_EOL, AS_EOS, AS_EOS_NL, AS_NWORDB, AS_WORDB, OP_ANY, OP_ANY_NL, OP_ASSERT, OP_CHAR, OP_CLASS,
  OP_JMP, OP_MATCH, OP_SAVE, OP_SPLIT,
} from './program.ts';

/** Receives VM steps as they are spent; may throw to stop the match (budget exhausted). */
export type StepMeter = (steps: number) => void;

/** VM steps reported per meter call while matching. */
const METER_BATCH = 4096;

interface ThreadList {
  pcs: Int32Array;
  caps: Int32Array[];
  n: number;
}

/** Per-program working memory, reused across runs (the VM is synchronous and never re-entered). */
interface Scratch {
  marks: Uint32Array;
  gen: number;
  a: ThreadList;
  b: ThreadList;
  stackPc: Int32Array;
  stackCaps: Int32Array[];
  init: Int32Array;
}

const SCRATCH = new WeakMap<Program, Scratch>();

function scratchFor(prog: Program): Scratch {
  let sc = SCRATCH.get(prog);
  if (!sc) {
    const size = prog.code.length / 3;
    const list = (): ThreadList => ({ pcs: new Int32Array(size), caps: new Array<Int32Array>(size), n: 0 });
    sc = {
      marks: new Uint32Array(size), gen: 0, a: list(), b: list(), stackPc: new Int32Array(size + 1),
      stackCaps: new Array<Int32Array>(size + 1), init: new Int32Array(prog.slots).fill(-1),
    };
    SCRATCH.set(prog, sc);
  }
  if (sc.gen > 0x7fff0000) {
    sc.marks.fill(0);
    sc.gen = 0;
  }
  return sc;
}

/**
 * Add the thread at `pc0` and everything reachable from it without consuming input, in priority
 * order, to `list`. Returns the number of instructions visited.
 */
function addThread(prog: Program, sc: Scratch, list: ThreadList, pc0: number, caps0: Int32Array, input: string, pos: number): number {
  const code = prog.code;
  const marks = sc.marks;
  const gen = sc.gen;
  const stackPc = sc.stackPc;
  const stackCaps = sc.stackCaps;
  let sp = 0;
  let steps = 0;
  stackPc[sp] = pc0;
  stackCaps[sp++] = caps0;
  while (sp > 0) {
    sp--;
    let pc = stackPc[sp]!;
    let caps = stackCaps[sp]!;
    for (;;) {
      if (marks[pc] === gen) break;
      marks[pc] = gen;
      steps++;
      const op = code[pc * 3]!;
      if (op === OP_JMP) {
        pc = code[pc * 3 + 1]!;
      } else if (op === OP_SPLIT) {
        stackPc[sp] = code[pc * 3 + 2]!;
        stackCaps[sp++] = caps;
        pc = code[pc * 3 + 1]!;
      } else if (op === OP_SAVE) {
        // Copying the capture slots costs in proportion to their number: charge it.
        steps += caps.length >> 4;
        caps = caps.slice();
        caps[code[pc * 3 + 1]!] = pos;
        pc++;
      } else if (op === OP_ASSERT) {
        if (!assertHolds(code[pc * 3 + 1]!, input, pos)) break;
        pc++;
      } else {
        list.pcs[list.n] = pc;
        list.caps[list.n] = caps;
        list.n++;
        break;
      }
    }
  }
  return steps;
}

/** Code point at `pos` (a lone surrogate is itself). */
function codePointAt(input: string, pos: number): number {
  const c = input.charCodeAt(pos);
  if (c >= 0xd800 && c <= 0xdbff && pos + 1 < input.length) {
    const d = input.charCodeAt(pos + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

function assertHolds(kind: number, input: string, pos: number): boolean {
  const len = input.length;
  switch (kind) {
    case AS_BOL: return pos === 0 || input.charCodeAt(pos - 1) === 10;
    case AS_EOL: return pos === len || input.charCodeAt(pos) === 10;
    case AS_BOS: return pos === 0;
    case AS_EOS: return pos === len;
    case AS_EOS_NL: return pos === len || (pos === len - 1 && input.charCodeAt(pos) === 10);
    case AS_WORDB:
    case AS_NWORDB: {
      const a = pos > 0 && isWordChar(input.charCodeAt(pos - 1));
      const b = pos < len && isWordChar(input.charCodeAt(pos));
      return (a !== b) === (kind === AS_WORDB);
    }
    default: return false;
  }
}

/**
 * Find the first (leftmost, then highest-priority) match starting at or after `start` (exactly at
 * `start` when `anchored`). Returns the capture slots (`-1` for unset) or null.
 */
export function runProgram(prog: Program, input: string, start: number, anchored: boolean, meter?: StepMeter): Int32Array | null {
  const code = prog.code;
  const len = input.length;
  const sc = scratchFor(prog);
  let clist = sc.a;
  let nlist = sc.b;
  clist.n = 0;
  nlist.n = 0;
  sc.gen++;
  let steps = 0;
  let unreported = 0;
  const onlyAt = anchored || prog.anchoredStart ? (prog.anchoredStart ? 0 : start) : -1;
  const firstAscii = onlyAt < 0 ? prog.firstAscii : null;
  const firstChars = prog.firstChars;

  let matched: Int32Array | null = null;
  let pos = start;
  for (;;) {
    if (matched === null) {
      if (clist.n === 0 && firstAscii !== null && firstChars !== null) {
        // No thread alive: skip to the next character that can start a match.
        const from = pos;
        while (pos < len) {
          const u = input.charCodeAt(pos);
          if (u < 128 ? firstAscii[u] === 1 : inRanges(firstChars, codePointAt(input, pos))) break;
          pos++;
        }
        steps += (pos - from) >> 3;
        if (pos >= len) break; // a match needs at least one character here
      }
      if (onlyAt < 0 || pos === onlyAt) steps += addThread(prog, sc, clist, 0, sc.init, input, pos);
    }
    if (clist.n === 0 && (matched !== null || (onlyAt >= 0 && pos >= onlyAt))) break;
    let c = -1;
    let clen = 1;
    if (pos < len) {
      c = codePointAt(input, pos);
      if (c > 0xffff) clen = 2;
    }
    sc.gen++;
    nlist.n = 0;
    const next = pos + clen;
    for (let i = 0; i < clist.n; i++) {
      const pc = clist.pcs[i]!;
      steps++;
      const op = code[pc * 3]!;
      if (op === OP_MATCH) {
        matched = clist.caps[i]!;
        break; // lower-priority threads are cut off
      }
      if (c < 0) continue;
      let ok: boolean;
      if (op === OP_CHAR) ok = c === code[pc * 3 + 1];
      else if (op === OP_ANY) ok = c !== 10;
      else if (op === OP_ANY_NL) ok = true;
      else if (op === OP_CLASS) ok = inRanges(prog.classes[code[pc * 3 + 1]!]!, c);
      else ok = false;
      if (ok) steps += addThread(prog, sc, nlist, pc + 1, clist.caps[i]!, input, next);
    }
    if (meter && steps - unreported >= METER_BATCH) {
      meter(steps - unreported);
      unreported = steps;
    }
    if (pos >= len) break;
    const t = clist;
    clist = nlist;
    nlist = t;
    pos = next;
  }
  if (meter && steps > unreported) meter(steps - unreported);
  lastSteps = steps;
  return matched;
}

let lastSteps = 0;

/** VM steps spent by the most recent {@link runProgram} call (for tests and diagnostics). */
export function lastRunSteps(): number {
  return lastSteps;
}
