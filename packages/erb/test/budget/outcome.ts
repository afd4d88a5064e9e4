/**
 * @module
 * Renders one template and classifies how it ended, for the budget tests and the fuzz campaign
 * (run in child processes, so a fatal V8 abort fails a test instead of killing Vitest).
 */
import { ErbRenderError, ErbSyntaxError, parseTemplate } from '../../src/index.ts';
import type { ErbLimits } from '../../src/index.ts';

/** How a render ended. `bad` means a non-engine error escaped or a limit the meter should have caught was not. */
export interface RenderOutcome {
  readonly kind: 'ok' | 'syntax' | 'limit' | 'render' | 'bad';
  readonly reason: string;
  readonly ms: number;
}

/** Reasons of the engine's resource-limit errors. */
export const LIMIT_REASON = /render step limit exceeded|string size limit exceeded|collection size limit exceeded|structure depth limit exceeded|hash key too large|output size limit exceeded|too large|nested too deeply|recursive array/;

/** Reasons that mean the meter failed: the wall clock stopped the render, or a JavaScript error leaked. */
export const BAD_REASON = /render time limit exceeded|internal error|stack level too deep|Invalid (string|array) length|invalid size|Maximum call stack/i;

/** Render `src` with `limits` and classify the result. */
export function renderOutcome(src: string, limits: Partial<ErbLimits>): RenderOutcome {
  const t0 = performance.now();
  try {
    parseTemplate(src, { name: 'fuzz', limits }).render({});
    return { kind: 'ok', reason: '', ms: performance.now() - t0 };
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof ErbSyntaxError) return { kind: 'syntax', reason: e.reason, ms };
    if (e instanceof ErbRenderError) {
      if (BAD_REASON.test(e.reason)) return { kind: 'bad', reason: e.reason, ms };
      return { kind: LIMIT_REASON.test(e.reason) ? 'limit' : 'render', reason: e.reason, ms };
    }
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { kind: 'bad', reason, ms };
  }
}
