import { describe, expect, it } from 'vitest';

import type { JobMessage } from './event-bus.ts';
import { MAX_PAYLOAD, notesOf, payloadsOf } from './pg-event-relay.ts';

const output = (jobId: number, eventId: number): JobMessage => ({ kind: 'output', jobId, eventId, hostId: 1, hostName: 'h', outputType: 'stdout', output: 'x', timestamp: 0 });

describe('job event announcements', () => {
  it('sum up messages per job: output id runs, host changes, progress (stopped wins)', () => {
    const notes = notesOf([
      output(7, 12), output(7, 10), output(7, 11), output(7, 20),
      { kind: 'host', jobId: 7, hostId: 3, hostName: 'web1', jobStatus: 'success', exitStatus: '0' },
      { kind: 'progress', jobId: 7 },
      { kind: 'progress', jobId: 8, stopped: true },
      { kind: 'progress', jobId: 7 },
    ]);
    expect(notes).toEqual([
      { j: 7, o: [[10, 12], [20, 20]], h: [[3, 'web1', 'success', '0']], p: 1 },
      { j: 8, p: 2 },
    ]);
  });

  it('split into payloads PostgreSQL accepts, losing no run and no host, progress last', () => {
    // Every other id: no runs merge, so the note is far larger than one payload.
    const messages: JobMessage[] = [];
    for (let i = 0; i < 4000; i++) messages.push(output(5, i * 2));
    for (let i = 0; i < 500; i++) messages.push({ kind: 'host', jobId: 5, hostId: i, hostName: `host-${i}.example.com`, jobStatus: 'failed', exitStatus: '1' });
    messages.push({ kind: 'progress', jobId: 5, stopped: true });
    const payloads = payloadsOf('server-a', notesOf(messages));
    expect(payloads.length).toBeGreaterThan(1);
    const notes = payloads.map((p) => {
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_PAYLOAD);
      const a = JSON.parse(p) as { s: string; n: Array<{ j: number; o?: number[][]; h?: unknown[]; p?: number }> };
      expect(a.s).toBe('server-a');
      return a.n;
    }).flat();
    expect(notes.flatMap((n) => n.o ?? []).map((r) => r[0])).toEqual(Array.from({ length: 4000 }, (_, i) => i * 2));
    expect(notes.flatMap((n) => n.h ?? [])).toHaveLength(500);
    expect(notes.filter((n) => n.p !== undefined)).toEqual([expect.objectContaining({ p: 2 })]);
    expect(notes.at(-1)?.p).toBe(2);
  });
});
