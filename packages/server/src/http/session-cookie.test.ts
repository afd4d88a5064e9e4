import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';

import { clearSessionCookie, sessionCookieOf, setSessionCookie } from './session-cookie.ts';

function fakes(protocol: 'http' | 'https', cookie?: string) {
  const headers: Record<string, string> = {};
  const req = { protocol, headers: cookie === undefined ? {} : { cookie } } as unknown as FastifyRequest;
  const reply = { header: (k: string, v: string) => ((headers[k] = v), reply) } as unknown as FastifyReply;
  return { req, reply, headers };
}

describe('session cookie', () => {
  it('is Secure when the request came over TLS, and always HttpOnly and SameSite=Strict', () => {
    const tls = fakes('https');
    setSessionCookie(tls.req, tls.reply, 'abc');
    expect(tls.headers['set-cookie']).toBe('remex_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure');
    const plain = fakes('http');
    clearSessionCookie(plain.req, plain.reply);
    expect(plain.headers['set-cookie']).toBe('remex_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
  });

  it('reads only a well-formed remex_session value', () => {
    expect(sessionCookieOf(fakes('http', 'a=1; remex_session=Zx_9-; b=2').req)).toBe('Zx_9-');
    expect(sessionCookieOf(fakes('http', 'remex_session=bad value').req)).toBeNull();
    expect(sessionCookieOf(fakes('http', 'other=1').req)).toBeNull();
    expect(sessionCookieOf(fakes('http').req)).toBeNull();
  });
});
