/**
 * @module
 * The live progress line of a followed job (`[running] 12/50 succeeded 10, failed 2, pending 38`),
 * redrawn in place on a terminal and printed as plain lines (on change, at most once a second)
 * otherwise.
 */
import type { TextSink } from '../../cli/cli-io.ts';

/** Counts of a job, as the progress/done events and `GET /api/job_invocations/:id` carry them. */
export interface JobProgress {
  status_label?: string;
  succeeded?: number | string;
  failed?: number | string;
  pending?: number | string;
  cancelled?: number | string;
  total?: number | string;
}

/** Labels of a job that has ended. */
export const FINAL_JOB_STATUSES: readonly string[] = ['succeeded', 'failed', 'cancelled'];

/** A count field as a number (`"N/A"` while queued → 0). */
export function countOf(value: number | string | undefined): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

/**
 * Formats one progress line.
 * @param p - job counts
 */
export function formatProgress(p: JobProgress): string {
  const succeeded = countOf(p.succeeded);
  const failed = countOf(p.failed);
  const cancelled = countOf(p.cancelled);
  const pending = countOf(p.pending);
  const total = countOf(p.total);
  const done = succeeded + failed + cancelled;
  const parts = [`succeeded ${succeeded}`, `failed ${failed}`];
  if (cancelled > 0) parts.push(`cancelled ${cancelled}`);
  parts.push(`pending ${pending}`);
  return `[${p.status_label ?? 'unknown'}] ${done}/${total} ${parts.join(', ')}`;
}

/** Prints progress lines to a sink, in place on a TTY. */
export class ProgressPrinter {
  readonly #sink: TextSink;
  readonly #tty: boolean;
  readonly #now: () => number;
  #last = '';
  #lastPrintedAt = 0;
  #pending: string | undefined;
  #open = false;

  /**
   * @param sink - where to print (stdout)
   * @param now - clock in ms (injectable for tests)
   */
  constructor(sink: TextSink, now: () => number = Date.now) {
    this.#sink = sink;
    this.#tty = sink.isTTY === true;
    this.#now = now;
  }

  /** Shows new counts (skipped when the line is unchanged). */
  update(p: JobProgress): void {
    const line = formatProgress(p);
    if (line === this.#last) return;
    this.#last = line;
    if (this.#tty) {
      this.#sink.write(`\r\x1b[2K${line}`);
      this.#open = true;
      return;
    }
    const now = this.#now();
    if (now - this.#lastPrintedAt >= 1000) {
      this.#sink.write(`${line}\n`);
      this.#lastPrintedAt = now;
      this.#pending = undefined;
    } else {
      this.#pending = line;
    }
  }

  /** Prints the final state and ends the in-place line. */
  finish(p?: JobProgress): void {
    if (p) {
      const line = formatProgress(p);
      if (this.#tty) {
        if (line !== this.#last || !this.#open) this.#sink.write(`\r\x1b[2K${line}`);
        this.#open = true;
      } else if (line !== this.#last || this.#pending !== undefined) {
        this.#sink.write(`${line}\n`);
      }
      this.#last = line;
    } else if (!this.#tty && this.#pending !== undefined) {
      this.#sink.write(`${this.#pending}\n`);
    }
    this.#pending = undefined;
    if (this.#tty && this.#open) this.#sink.write('\n');
    this.#open = false;
  }
}
