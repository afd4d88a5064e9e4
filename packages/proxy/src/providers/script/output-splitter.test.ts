import { describe, expect, it } from 'vitest';

import { OutputSplitter } from './output-splitter.ts';

/** Feeds `chunks` to stdout of a fresh splitter, ends it, and returns the events and the pid. */
async function split(...chunks: string[]): Promise<{ events: [string, string][]; started: boolean; pid: number | undefined }> {
  const events: [string, string][] = [];
  const splitter = new OutputSplitter({ emit: (type, data) => events.push([type, data]) });
  for (const chunk of chunks) splitter.stdout(Buffer.from(chunk, 'utf8'));
  splitter.end();
  return { events, started: splitter.started, pid: await splitter.pid };
}

describe('OutputSplitter', () => {
  it('takes the marker line and the pid of a direct run, however the chunks split it', async () => {
    const expected = { events: [['started', ''], ['stdout', 'hello\n']], started: true, pid: 4242 };
    expect(await split('@@REMEX-STARTED@@ 4242\nhello\n')).toEqual(expected);
    // Output is streamed chunk by chunk: the same text, in two events.
    expect(await split('@@REMEX-', 'STARTED@@ 42', '42\nhel', 'lo\n')).toEqual({ ...expected, events: [['started', ''], ['stdout', 'hel'], ['stdout', 'lo\n']] });
    expect(await split('@@REMEX-STARTED@@\nhello\n')).toEqual({ ...expected, pid: undefined });
  });

  it('counts a pid of 0 or 1 as none: the kill never reaches every process of the user', async () => {
    expect((await split('@@REMEX-STARTED@@ 1\n')).pid).toBeUndefined();
    expect((await split('@@REMEX-STARTED@@ 0\n')).pid).toBeUndefined();
    expect((await split('@@REMEX-STARTED@@ 2\n')).pid).toBe(2);
  });

  it('passes anything else through as output, without a start', async () => {
    expect(await split('@@REMEX-STARTED@@ 12345678901\n')).toEqual({ events: [['stdout', '@@REMEX-STARTED@@ 12345678901\n']], started: false, pid: undefined });
    expect(await split('@@REMEX-START')).toEqual({ events: [['stdout', '@@REMEX-START']], started: false, pid: undefined });
    expect(await split('not a marker\n')).toEqual({ events: [['stdout', 'not a marker\n']], started: false, pid: undefined });
  });
});
