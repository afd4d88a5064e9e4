/**
 * @module
 * Unit tests of the live progress line (TTY redraw, throttled plain lines).
 */
import { describe, expect, it } from 'vitest';

import { formatProgress, ProgressPrinter } from './job-progress.ts';

describe('progress line', () => {
  it('formats counts like [running] 12/50 succeeded 10, failed 2, pending 38', () => {
    expect(formatProgress({ status_label: 'running', succeeded: 10, failed: 2, pending: 38, cancelled: 0, total: 50 })).toBe(
      '[running] 12/50 succeeded 10, failed 2, pending 38',
    );
    expect(formatProgress({ status_label: 'cancelled', succeeded: 1, failed: 0, pending: 0, cancelled: 4, total: 5 })).toBe(
      '[cancelled] 5/5 succeeded 1, failed 0, cancelled 4, pending 0',
    );
    expect(formatProgress({ status_label: 'queued', succeeded: 'N/A', total: 'N/A' })).toBe('[queued] 0/0 succeeded 0, failed 0, pending 0');
  });

  it('redraws in place on a TTY', () => {
    let out = '';
    const p = new ProgressPrinter({ write: (s: string) => (out += s), isTTY: true });
    p.update({ status_label: 'running', succeeded: 0, total: 2, pending: 2 });
    p.update({ status_label: 'running', succeeded: 0, total: 2, pending: 2 });
    p.finish({ status_label: 'succeeded', succeeded: 2, total: 2, pending: 0 });
    expect(out).toBe('\r\x1b[2K[running] 0/2 succeeded 0, failed 0, pending 2\r\x1b[2K[succeeded] 2/2 succeeded 2, failed 0, pending 0\n');
  });

  it('prints plain lines at most once a second otherwise, and always the final one', () => {
    let out = '';
    let now = 10_000;
    const p = new ProgressPrinter({ write: (s: string) => (out += s) }, () => now);
    p.update({ status_label: 'running', succeeded: 0, total: 3, pending: 3 });
    now += 100;
    p.update({ status_label: 'running', succeeded: 1, total: 3, pending: 2 });
    now += 1000;
    p.update({ status_label: 'running', succeeded: 2, total: 3, pending: 1 });
    p.finish({ status_label: 'succeeded', succeeded: 3, total: 3, pending: 0 });
    expect(out.split('\n')).toEqual([
      '[running] 0/3 succeeded 0, failed 0, pending 3',
      '[running] 2/3 succeeded 2, failed 0, pending 1',
      '[succeeded] 3/3 succeeded 3, failed 0, pending 0',
      '',
    ]);
  });
});
