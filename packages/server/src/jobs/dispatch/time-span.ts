/**
 * @module
 * `concurrency_control[time_span]`: a job's host starts spread evenly over a window of seconds
 * from the job's start. Of `total` hosts, the i-th (from 0) may start `i × span / total` seconds
 * after the start; the concurrency level, if any, still limits them; hosts not started when the
 * window closes end cancelled (see due-jobs.ts).
 */

/** Message of a host that could not start inside the window. */
export function timeSpanMessage(spanSeconds: number): string {
  return `Could not start within the job's time span of ${spanSeconds} seconds`;
}

/**
 * How many of `total` hosts may have started `elapsedMs` after the job's start.
 * @param total - the job's hosts
 * @param spanSeconds - the window
 * @param elapsedMs - time since the job's start
 */
export function startsAllowed(total: number, spanSeconds: number, elapsedMs: number): number {
  if (total <= 0) return 0;
  const interval = (spanSeconds * 1000) / total;
  return Math.min(total, Math.floor(Math.max(0, elapsedMs) / interval) + 1);
}

/**
 * Ms after the job's start when one more host than `allowed` may start (the next slot), or null
 * when every host may already start.
 */
export function nextSlotAfter(total: number, spanSeconds: number, allowed: number): number | null {
  if (allowed >= total) return null;
  return Math.ceil((allowed * spanSeconds * 1000) / total);
}

/** Whether the window of a job started at `startedAtMs` has closed at `nowMs`. */
export function timeSpanClosed(startedAtMs: number, spanSeconds: number, nowMs: number): boolean {
  return nowMs >= startedAtMs + spanSeconds * 1000;
}
