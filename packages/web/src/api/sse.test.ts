/**
 * The SSE parser and reader: events split across chunks, comments, ids; the reader resumes with
 * `Last-Event-ID` after a drop and stops at `done`.
 */
import { describe, expect, it } from 'vitest';

import { ApiClient, withQuery } from './client.ts';
import { SseParser, followStream } from './sse.ts';
import type { SseEvent } from './sse.ts';

function streamOf(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode(text));
      c.close();
    },
  });
}

describe('SseParser', () => {
  it('parses events split anywhere across chunks, skipping comments', () => {
    const p = new SseParser();
    const text = ': keep-alive\n\nevent: output\nid: 7\ndata: {"a":1}\n\nevent: progress\ndata: x\ndata: y\r\n\r\n';
    const out: SseEvent[] = [];
    for (let i = 0; i < text.length; i += 3) out.push(...p.push(text.slice(i, i + 3)));
    expect(out).toEqual([
      { event: 'output', data: '{"a":1}', id: '7' },
      { event: 'progress', data: 'x\ny', id: '7' },
    ]);
  });
});

describe('followStream', () => {
  it('resumes after a dropped connection with Last-Event-ID, with the session cookie, until done', async () => {
    const requests: Array<{ lastId: string | null; xhr: string | null; credentials: RequestCredentials | undefined }> = [];
    const answers = ['event: output\nid: 1\ndata: a\n\nevent: output\nid: 2\ndata: b\n\n', 'event: output\nid: 3\ndata: c\n\nevent: done\ndata: {}\n\n'];
    const fetcher = (_url: string, init?: RequestInit) => {
      const h = new Headers(init?.headers);
      requests.push({ lastId: h.get('last-event-id'), xhr: h.get('x-requested-with'), credentials: init?.credentials });
      return Promise.resolve(new Response(streamOf(answers[requests.length - 1] ?? ''), { status: 200 }));
    };
    const client = new ApiClient('csrf', '', fetcher as unknown as typeof fetch);
    const got: string[] = [];
    await followStream(client, '/api/job_invocations/1/stream', { signal: new AbortController().signal, onEvent: (e) => got.push(`${e.event}:${e.data}`) });
    expect(got).toEqual(['output:a', 'output:b', 'output:c', 'done:{}']);
    expect(requests.map((r) => r.lastId)).toEqual([null, '2']);
    expect(requests.every((r) => r.xhr === 'XMLHttpRequest' && r.credentials === 'same-origin')).toBe(true);
  });

  it('gives up on a 401 instead of retrying forever', async () => {
    let calls = 0;
    const fetcher = () => {
      calls++;
      return Promise.resolve(new Response('{"error":{"message":"no"}}', { status: 401 }));
    };
    const client = new ApiClient(null, '', fetcher);
    await expect(followStream(client, '/s', { signal: new AbortController().signal, onEvent: () => undefined })).rejects.toThrow('no');
    expect(calls).toBe(1);
  });
});

describe('client helpers', () => {
  it('sends the CSRF token on state-changing requests only, never an Authorization header', async () => {
    const seen: Array<{ method: string | undefined; csrf: string | null; auth: string | null }> = [];
    const fetcher = (_url: string, init?: RequestInit) => {
      const h = new Headers(init?.headers);
      seen.push({ method: init?.method, csrf: h.get('x-csrf-token'), auth: h.get('authorization') });
      return Promise.resolve(new Response('{}', { status: 200 }));
    };
    const client = new ApiClient('tok', '', fetcher as unknown as typeof fetch);
    await client.get('/api/hosts');
    await client.post('/api/job_invocations', {});
    await client.put('/api/settings/x', {});
    expect(seen).toEqual([
      { method: 'GET', csrf: null, auth: null },
      { method: 'POST', csrf: 'tok', auth: null },
      { method: 'PUT', csrf: 'tok', auth: null },
    ]);
  });

  it('leaves empty query values out', () => {
    expect(withQuery('/api/hosts', { search: 'name = a b', page: 2, order: '', x: undefined })).toBe('/api/hosts?search=name+%3D+a+b&page=2');
  });
});
