/**
 * @module
 * Unit tests of the Server-Sent Events parser.
 */
import { describe, expect, it } from 'vitest';

import { readSseEvents, SseParser } from './sse-reader.ts';

describe('SSE parsing', () => {
  it('parses events split across arbitrary chunks', () => {
    const text = 'id: 7\nevent: output\ndata: {"a":1}\n\n: keep-alive\n\nevent: done\r\ndata: x\r\ndata: y\r\n\r\n';
    for (const size of [1, 2, 5, 1000]) {
      const p = new SseParser();
      const events = [];
      for (let i = 0; i < text.length; i += size) events.push(...p.push(text.slice(i, i + size)));
      expect(events).toEqual([
        { event: 'output', data: '{"a":1}', id: '7' },
        { event: 'done', data: 'x\ny', id: '7' },
      ]);
    }
  });

  it('defaults the event name to message and drops an unterminated last event', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('data: hello\n\ndata: cut'));
        c.close();
      },
    });
    const events = [];
    for await (const ev of readSseEvents(body)) events.push(ev);
    expect(events).toEqual([{ event: 'message', data: 'hello', id: undefined }]);
  });
});
