// @vitest-environment happy-dom
/**
 * The session keeps the credentials in sessionStorage (never localStorage) once the server
 * accepted them, and forgets them on sign-out.
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
    createElement('span', { 'data-testid': 'login' }, s.login ?? 'none'),
    createElement('button', { onClick: () => void s.signIn({ login: 'admin', password: 'right' }).catch(() => undefined) }, 'in'),
    createElement('button', { onClick: () => void s.signIn({ login: 'admin', password: 'wrong' }).catch(() => undefined) }, 'bad'),
    createElement('button', { onClick: s.signOut }, 'out'),
  );
}

describe('session', () => {
  it('stores accepted credentials in sessionStorage only, and forgets them on sign-out', async () => {
    const fetcher = (url: string, init?: RequestInit) => {
      const ok = new Headers(init?.headers).get('authorization') === `Basic ${btoa('admin:right')}`;
      if (!ok) return Promise.resolve(new Response('{"error":{"message":"wrong login or password"}}', { status: 401 }));
      return Promise.resolve(new Response(url.includes('current_user') ? '{"error":{"message":"no route"}}' : '{"result":"ok"}', { status: url.includes('current_user') ? 404 : 200 }));
    };
    render(createElement(SessionProvider, { client: new ApiClient(null, '', fetcher as unknown as typeof fetch) }, createElement(Probe)));
    fireEvent.click(screen.getByText('bad'));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('login').textContent).toBe('none');
    expect(sessionStorage.length).toBe(0);
    fireEvent.click(screen.getByText('in'));
    await waitFor(() => expect(screen.getByTestId('login').textContent).toBe('admin'));
    expect(sessionStorage.getItem('remex.session')).toContain('admin');
    expect(localStorage.length).toBe(0);
    fireEvent.click(screen.getByText('out'));
    await waitFor(() => expect(screen.getByTestId('login').textContent).toBe('none'));
    expect(sessionStorage.length).toBe(0);
  });
});
