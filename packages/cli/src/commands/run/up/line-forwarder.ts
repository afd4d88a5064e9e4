/**
 * @module
 * Copies a child's output to a sink whole lines at a time, so that the lines of the server, the
 * proxy and the supervisor interleave but never cut into each other.
 */
import type { Readable } from 'node:stream';

import type { TextSink } from '../../../cli/cli-io.ts';

/**
 * Forwards `stream` to `sink` line by line (a last unterminated line is written on end).
 * @param stream - a child's stdout or stderr (may be null when not piped)
 * @param sink - where the lines go
 */
export function forwardLines(stream: Readable | null, sink: TextSink): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const end = pending.lastIndexOf('\n');
    if (end < 0) return;
    sink.write(pending.slice(0, end + 1));
    pending = pending.slice(end + 1);
  });
  stream.on('end', () => {
    if (pending !== '') sink.write(`${pending}\n`);
    pending = '';
  });
}
