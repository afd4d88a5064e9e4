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

function newList(size: number): ThreadList {
  return { pcs: new Int32Array(size), caps: new Array<Int32Array>(size), n: 0 };
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
  const size = code.length / 3;
  const len = input.length;
  const marks = new Uint32Array(size);
  let gen = 1;
  let clist = newList(size);
  let nlist = newList(size);
  const stackPc: number[] = [];
  const stackCaps: Int32Array[] = [];
  let steps = 0;
  let unreported = 0;
  const init = new Int32Array(prog.slots).fill(-1);
  const onlyAt = anchored || prog.anchoredStart ? (prog.anchoredStart ? 0 : start) : -1;

  const add = (list: ThreadList, pc0: number, caps0: Int32Array, pos: number): void => {
    stackPc.push(pc0);
    stackCaps.push(caps0);
    while (stackPc.length > 0) {
      let pc = stackPc.pop()!;
      let caps = stackCaps.pop()!;
      for (;;) {
        if (marks[pc] === gen) break;
        marks[pc] = gen;
        steps++;
        const op = code[pc * 3]!;
        if (op === OP_JMP) {
          pc = code[pc * 3 + 1]!;
        } else if (op === OP_SPLIT) {
          stackPc.push(code[pc * 3 + 2]!);
          stackCaps.push(caps);
          pc = code[pc * 3 + 1]!;
        } else if (op === OP_SAVE) {
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
  };

  let matched: Int32Array | null = null;
  let pos = start;
  for (;;) {
    if (matched === null && (onlyAt < 0 || pos === onlyAt)) add(clist, 0, init, pos);
    if (clist.n === 0 && (matched !== null || (onlyAt >= 0 && pos >= onlyAt))) break;
    let c = -1;
    let clen = 1;
    if (pos < len) {
      c = input.charCodeAt(pos);
      if (c >= 0xd800 && c <= 0xdbff && pos + 1 < len) {
        const d = input.charCodeAt(pos + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          clen = 2;
        }
      }
    }
    gen++;
    nlist.n = 0;
    const next = pos + clen;
    for (let i = 0; i < clist.n; i++) {
      const pc = clist.pcs[i]!;
      const caps = clist.caps[i]!;
      steps++;
      const op = code[pc * 3]!;
      if (op === OP_MATCH) {
        matched = caps;
        break; // lower-priority threads are cut off
      }
      if (c < 0) continue;
      let ok: boolean;
      if (op === OP_CHAR) ok = c === code[pc * 3 + 1];
      else if (op === OP_ANY) ok = c !== 10;
      else if (op === OP_ANY_NL) ok = true;
      else if (op === OP_CLASS) ok = inRanges(prog.classes[code[pc * 3 + 1]!]!, c);
      else ok = false;
      if (ok) add(nlist, pc + 1, caps, next);
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
