// @vitest-environment happy-dom
/**
 * The session: resumed from the cookie on start (`GET /api/current_user`), started by
 * `POST /api/login` (the CSRF token kept in memory only, nothing in web storage), ended by
 * `POST /api/logout` or by a 401 (expired session).
 */
import { cleanup, render, screen, fireEvent, waitFor } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';

import { ApiClient } from './client.ts';
import { SessionProvider, useSession } from './session.tsx';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});

function Probe() {
  const s = useSession();
  return createElement(
    'div',
    null,
    createElement('span', { 'data-testid': 'login' }, s.checking ? 'checking' : (s.login ?? 'none')),
    createElement('button', { onClick: () => void s.signIn({ login: 'admin', password: 'right' }).catch(() => undefined) }, 'in'),
    createElement('button', { onClick: () => void s.signIn({ login: 'admin', password: 'wrong' }).catch(() => undefined) }, 'bad'),
    createElement('button', { onClick: () => void s.signOut() }, 'out'),
    createElement('button', { onClick: () => void s.client.get('/api/hosts').catch(() => undefined) }, 'list'),
  );
}

/** A fake server: one session at most, 401 without it. */
function fakeServer() {
  let live = false;
  const requests: Array<{ method: string; url: string; csrf: string | null }> = [];
  const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status }));
  const fetcher = (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    requests.push({ method, url, csrf: new Headers(init?.headers).get('x-csrf-token') });
    if (url === '/api/login') {
      const body = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { password: string };
      if (body.password !== 'right') return json(401, { error: { message: 'wrong login or password' } });
      live = true;
      return json(200, { user: { login: 'admin' }, csrf_token: 'csrf-1', expires_at: 'x' });
    }
    if (url === '/api/logout') {
      live = false;
      return json(200, { message: 'Logged out' });
    }
    if (!live) return json(401, { error: { message: 'the session ended' } });
    return json(200, url === '/api/current_user' ? { login: 'admin', csrf_token: 'csrf-1' } : { results: [] });
  };
  return { fetcher: fetcher as unknown as typeof fetch, requests, expire: () => (live = false) };
}

describe('session', () => {
  it('logs in with POST /api/login, keeps nothing in web storage, logs out with the CSRF token, and drops an expired session', async () => {
    const server = fakeServer();
    render(createElement(SessionProvider, { client: new ApiClient(null, '', server.fetcher) }, createElement(Probe)));
    await waitFor(() => expect(screen.getByTestId('login').textContent).toBe('none'));
    fireEvent.click(screen.getByText('bad'));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('login').textContent).toBe('none');
    fireEvent.click(screen.getByText('in'));
    await waitFor(() => expect(screen.getByTestId('login').textContent).toBe('admin'));
    expect(sessionStorage.length + localStorage.length).toBe(0);
    fireEvent.click(screen.getByText('out'));
    await waitFor(() => expect(screen.getByTestId('login').textContent).toBe('none'));
    expect(server.requests.find((r) => r.url === '/api/logout')).toEqual({ method: 'POST', url: '/api/logout', csrf: 'csrf-1' });
    fireEvent.click(screen.getByText('in'));
    await waitFor(() => expect(screen.getByTestId('login').textContent).toBe('admin'));
    server.expire();
    fireEvent.click(screen.getByText('list'));
    await waitFor(() => expect(screen.getByTestId('login').textContent).toBe('none'));
  });

  it('resumes a live session from the cookie on start', async () => {
    const server = fakeServer();
    const client = new ApiClient(null, '', server.fetcher);
    await client.login({ login: 'admin', password: 'right' });
    render(createElement(SessionProvider, { client: new ApiClient(null, '', server.fetcher) }, createElement(Probe)));
    expect(screen.getByTestId('login').textContent).toBe('checking');
    await waitFor(() => expect(screen.getByTestId('login').textContent).toBe('admin'));
  });
});
