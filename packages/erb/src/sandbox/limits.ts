/**
 * @module
 * Hard limits against denial of service (LiquidJS `Limiter` style). Every limit has a default
 * that is generous for real job templates and small enough to stop abuse quickly.
 */
import { ErbRenderError } from '../errors.ts';

/** Sandbox limits; pass a `Partial<ErbLimits>` to override some of them. */
export interface ErbLimits {
  /** Maximum template source length in characters (Default: 1,048,576). */
  readonly maxTemplateSize: number;
  /** Maximum nesting of expressions, blocks and statements while parsing (Default: 200). */
  readonly maxParseDepth: number;
  /**
   * Maximum render steps, shared by nested renders (Default: 1,000,000). Statements, method calls,
   * block calls and loop iterations cost one step; so does every element a builtin visits or
   * creates (hashing, `==`, `<=>`, `inspect`, `uniq`, `flatten`, `*`, …) and every 64 characters
   * of text a builtin builds or scans.
   */
  readonly maxRenderSteps: number;
  /** Maximum length of one render's output in characters (Default: 10,485,760). */
  readonly maxOutputSize: number;
  /** Maximum length of a string built by the template (`*`, `+`, `ljust`, `join`, `gsub`, interpolation, …) (Default: 1,048,576). */
  readonly maxStringSize: number;
  /** Maximum elements of an array or hash built by the template, or of a range it iterates (Default: 100,000). */
  readonly maxCollectionSize: number;
  /** Maximum nesting of `render_template` / `snippet` renders (Default: 10). */
  readonly maxRenderDepth: number;
  /** Wall-clock safety net for one top-level render, in milliseconds (Default: 5,000). */
  readonly maxRenderMillis: number;
  /** Maximum nesting of arrays/hashes/ranges a builtin walks (hash keys, `==`, `inspect`, `flatten`, `to_json`, …) (Default: 100). */
  readonly maxValueDepth: number;
}

/** The defaults of every {@link ErbLimits} field. */
export const DEFAULT_LIMITS: ErbLimits = Object.freeze({
  maxTemplateSize: 1_048_576,
  maxParseDepth: 200,
  maxRenderSteps: 1_000_000,
  maxOutputSize: 10_485_760,
  maxStringSize: 1_048_576,
  maxCollectionSize: 100_000,
  maxRenderDepth: 10,
  maxRenderMillis: 5_000,
  maxValueDepth: 100,
});

/** Merge partial limits over a base (ignores undefined and non-positive/NaN values). */
export function resolveLimits(base: ErbLimits, ...overrides: (Partial<ErbLimits> | undefined)[]): ErbLimits {
  let out: ErbLimits = base;
  for (const o of overrides) {
    if (!o) continue;
    const merged: Record<string, number> = { ...out };
    for (const [k, v] of Object.entries(o)) {
      if (k in DEFAULT_LIMITS && typeof v === 'number' && v > 0 && !Number.isNaN(v)) merged[k] = v;
    }
    out = merged as unknown as ErbLimits;
  }
  return out;
}

/** Step budget shared by one top-level render and all renders nested in it. */
export class RenderBudget {
  steps = 0;
  depth = 0;
  readonly limits: ErbLimits;
  readonly #deadline: number;
  constructor(limits: ErbLimits) {
    this.limits = limits;
    this.#deadline = Date.now() + limits.maxRenderMillis;
  }
  /** Count one step; throws when the budget is spent. */
  tick(): void {
    if (++this.steps > this.limits.maxRenderSteps) {
      throw new ErbRenderError(`render step limit exceeded (${this.limits.maxRenderSteps} steps): infinite loop?`);
    }
    if ((this.steps & 1023) === 0) this.checkClock();
  }
  /** Throws when the wall-clock budget is spent (checked every 1024 steps). */
  checkClock(): void {
    if (Date.now() > this.#deadline) throw new ErbRenderError(`render time limit exceeded (${this.limits.maxRenderMillis} ms)`);
  }
  /** Count `n` steps at once (work proportional to the size of what a builtin handles). */
  charge(n: number): void {
    // `!(n > 0)` also skips NaN, which would otherwise poison the counter.
    if (!(n > 0)) return;
    const before = this.steps;
    this.steps = before + n;
    if (this.steps > this.limits.maxRenderSteps) {
      throw new ErbRenderError(`render step limit exceeded (${this.limits.maxRenderSteps} steps)`);
    }
    // The clock is read when the count crosses a multiple of 1024 (an integer compare otherwise).
    if (before >>> 10 !== this.steps >>> 10) this.checkClock();
  }
  /** Throws when a string would exceed maxStringSize; producing a string costs one step per 64 characters. */
  checkString(length: number): void {
    if (!(length <= this.limits.maxStringSize)) throw new ErbRenderError(`string size limit exceeded (${length} > ${this.limits.maxStringSize} characters)`);
    if (length >= 64) this.charge(length >> 6);
  }
  /** Throws when a collection would exceed maxCollectionSize. */
  checkCollection(size: number): void {
    if (!(size <= this.limits.maxCollectionSize)) throw new ErbRenderError(`collection size limit exceeded (${size} > ${this.limits.maxCollectionSize} elements)`);
  }
  /** Checks the size of a collection about to be created and charges one step per element. */
  created(size: number): void {
    this.checkCollection(size);
    this.charge(size);
  }
}

/**
 * The budget of the render running now (renders are synchronous, so there is at most one
 * top-level render at a time; nested renders share it). Value walks that have no runtime at hand
 * (hash keys, `==`, `<=>`, `inspect`) charge it through {@link chargeSteps}.
 */
let current: RenderBudget | undefined;

/** @internal The budget of the running render, if any. */
export function currentBudget(): RenderBudget | undefined {
  return current;
}

/** @internal Make `b` the running render's budget; returns the previous one (restore it in `finally`). */
export function swapBudget(b: RenderBudget | undefined): RenderBudget | undefined {
  const prev = current;
  current = b;
  return prev;
}

/** Charge `n` steps to the running render (no-op outside a render). */
export function chargeSteps(n: number): void {
  if (current !== undefined) current.charge(n);
}

/** The structure depth limit of the running render ({@link DEFAULT_LIMITS} outside a render). */
export function valueDepthLimit(): number {
  return current === undefined ? DEFAULT_LIMITS.maxValueDepth : current.limits.maxValueDepth;
}

/** Throws the structure depth error once a walk goes deeper than {@link valueDepthLimit}. */
export function checkValueDepth(depth: number): void {
  if (depth > valueDepthLimit()) throw depthError();
}

/** The error for a value nested deeper than the structure depth limit. */
export function depthError(): ErbRenderError {
  return new ErbRenderError(`structure depth limit exceeded (value nested too deeply: more than ${valueDepthLimit()} levels)`);
}
