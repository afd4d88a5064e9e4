import { describe, expect, it } from 'vitest';

import { STARTED_MARKER } from './script-command.ts';
import { TerminalOutput } from './terminal-output.ts';

function harness(expectMarker = true) {
  const seen = { output: '', started: false, typed: [] as string[], refused: 0 };
  const t = new TerminalOutput(
    's3cret',
    {
      output: (text) => (seen.output += text),
      started: () => (seen.started = true),
      type: (text) => seen.typed.push(text),
      refused: () => seen.refused++,
    },
    expectMarker,
  );
  const feed = (...chunks: string[]) => chunks.forEach((c) => t.feed(Buffer.from(c)));
  return { t, seen, feed };
}

describe('TerminalOutput', () => {
  it('types the password once at the prompt, keeps the prompt and its line break out, and starts at the marker', () => {
    const { t, seen, feed } = harness();
    feed('motd line\r\nPass', 'word: ');
    expect(seen.typed).toEqual(['s3cret\n']);
    feed('\r\n', STARTED_MARKER.slice(0, 5), `${STARTED_MARKER.slice(5)}out 1\r\nout 2\n`);
    t.end();
    expect(seen.started).toBe(true);
    expect(seen.output).toBe('motd line\nout 1\nout 2\n');
    expect(seen.refused).toBe(0);
  });

  it('reports a second prompt as a refusal and remembers su\'s last line', () => {
    const { t, seen, feed } = harness();
    feed('Password: ');
    feed('\nsu: Authentication failure\n');
    t.end();
    expect(seen.started).toBe(false);
    expect(t.answered).toBe(true);
    expect(t.lastLine).toBe('su: Authentication failure');
    const again = harness();
    again.feed('Password: ', '\nPassword: ');
    expect(again.seen.typed).toHaveLength(1);
    expect(again.seen.refused).toBe(1);
  });

  it('does not take the marker in the middle of a line, and passes everything through after it', () => {
    const { t, seen, feed } = harness();
    feed(`x${STARTED_MARKER}`);
    expect(seen.started).toBe(false);
    feed(STARTED_MARKER, 'Password: is just output now\n');
    t.end();
    expect(seen.typed).toEqual([]);
    expect(seen.output).toBe(`x${STARTED_MARKER}Password: is just output now\n`);
  });

  it('without a marker (a kill) sends whole lines on as they come', () => {
    const { t, seen, feed } = harness(false);
    feed('Password:', 'line\npartial');
    expect(seen.typed).toEqual(['s3cret\n']);
    expect(seen.output).toBe('line\n');
    t.end();
    expect(seen.output).toBe('line\npartial');
  });
});
