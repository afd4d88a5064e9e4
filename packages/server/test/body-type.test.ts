/**
 * @module
 * State-changing requests take JSON (or no body) only: a cross-site form's `text/plain`,
 * urlencoded or multipart body is refused with 415 before any handler runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestServer } from './test-server.ts';
import { startTestServer } from './test-server.ts';

describe('JSON-only state changes', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses the CORS-simple body types with 415 naming application/json', async () => {
    for (const [type, body] of [
      ['text/plain', '{}'],
      ['application/x-www-form-urlencoded', 'a=1'],
      ['multipart/form-data; boundary=x', '--x--\r\n'],
      ['text/plain;charset=UTF-8', '{"host_ids":["1"]}'],
    ] as const) {
      const r = await t.api('POST', '/api/job_invocations/1/rerun', body, { 'content-type': type });
      expect(r.status, type).toBe(415);
      expect(r.body.error.message).toMatch(/application\/json/);
    }
    const hosts = await t.api('POST', '/api/hosts', 'host[name]=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(hosts.status).toBe(415);
    expect((await t.api('GET', '/api/hosts?search=name%3Dx')).body.total).toBe(0);
  });

  it('refuses a body without Content-Type', async () => {
    const res = await fetch(`${t.server.url}/api/hosts`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('admin:test-admin-pw').toString('base64')}` },
      body: new Uint8Array(Buffer.from('{"host":{"name":"x"}}')),
    });
    expect(res.status).toBe(415);
  });

  it('keeps JSON, body-less POSTs and empty JSON DELETEs working', async () => {
    const created = await t.api('POST', '/api/hosts', { host: { name: 'json.example.com', ip: '10.1.0.1' } });
    expect(created.status).toBe(201);
    const cancel = await t.api('POST', '/api/job_invocations/999999/cancel');
    expect(cancel.status).toBe(404);
    const del = await t.api('DELETE', `/api/hosts/${created.body.id}`, undefined, { 'content-type': 'application/json' });
    expect(del.status).toBe(200);
  });

  it('authenticates before judging the body type', async () => {
    const res = await fetch(`${t.server.url}/api/job_invocations/1/rerun`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(res.status).toBe(401);
  });
});
