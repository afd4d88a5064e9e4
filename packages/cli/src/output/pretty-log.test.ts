import { describe, expect, it } from 'vitest';

import { prettyLogLine, prettyLogSink, wantsPrettyLogs } from './pretty-log.ts';

describe('prettyLogLine', () => {
  const time = Date.UTC(2026, 11, 4, 12, 3, 4);

  it('turns a pino line into time, level, message and the other fields', () => {
    const line = JSON.stringify({ level: 30, time, pid: 1, hostname: 'h', proxy: 'embedded', msg: 'Server listening at http://127.0.0.1:3000', n: 2, note: 'two words' });
    expect(prettyLogLine(line)).toBe('12:03:04 INFO  Server listening at http://127.0.0.1:3000  proxy=embedded n=2 note="two words"');
  });

  it("indents an error's stack below the line", () => {
    const line = JSON.stringify({ level: 50, time, msg: 'provider failed', err: { message: 'boom', stack: 'Error: boom\n    at x (y.ts:1:1)' } });
    expect(prettyLogLine(line)).toBe('12:03:04 ERROR provider failed\n    Error: boom\n        at x (y.ts:1:1)');
  });

  it('passes other lines unchanged', () => {
    expect(prettyLogLine('Remex server listening on http://127.0.0.1:3000')).toBe('Remex server listening on http://127.0.0.1:3000');
    expect(prettyLogLine('{"level": broken')).toBe('{"level": broken');
  });

  it('formats every line of a chunk written to the sink', () => {
    let out = '';
    const sink = prettyLogSink({ write: (t: string) => (out += t) });
    sink.write(`${JSON.stringify({ level: 40, time, msg: 'a' })}\nplain\n`);
    expect(out).toBe('12:03:04 WARN  a\nplain\n');
  });

  it('is on for a terminal unless REMEX_LOG_FORMAT says otherwise', () => {
    expect(wantsPrettyLogs({ write: () => 0, isTTY: true }, {})).toBe(true);
    expect(wantsPrettyLogs({ write: () => 0, isTTY: true }, { REMEX_LOG_FORMAT: 'json' })).toBe(false);
    expect(wantsPrettyLogs({ write: () => 0 }, {})).toBe(false);
    expect(wantsPrettyLogs({ write: () => 0 }, { REMEX_LOG_FORMAT: 'pretty' })).toBe(true);
  });
});
