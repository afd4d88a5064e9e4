// @vitest-environment happy-dom
/**
 * SearchBar: completions from `<resource>/auto_complete_search` through the API client (with the
 * session), keyboard picking, Enter searching.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ApiClient } from '../api/client.ts';
import { SessionProvider } from '../api/session.tsx';
import { SearchBar } from './SearchBar.tsx';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

function setup(onSearch: (q: string) => void) {
  const calls: Array<{ url: string; xhr: string | null }> = [];
  const fetcher = vi.fn((input: string, init?: RequestInit) => {
    const url = input;
    calls.push({ url, xhr: new Headers(init?.headers).get('x-requested-with') });
    if (url.startsWith('/api/current_user')) return Promise.resolve(new Response('{"login":"admin","csrf_token":"t"}', { status: 200 }));
    const search = new URL(url, 'http://x').searchParams.get('search') ?? '';
    const body = [
      { completed: `${search}name = web1`.trim(), part: 'web1', label: 'web1', category: '' },
      { completed: `${search}hostgroup = prod`.trim(), part: 'prod', label: 'prod', category: '' },
    ];
    return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }));
  });
  const client = new ApiClient(null, '', fetcher as unknown as typeof fetch);
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    createElement(
      QueryClientProvider,
      { client: queries },
      createElement(SessionProvider, { client }, createElement(SearchBar, { resource: '/api/hosts', value: '', onSearch, label: 'Search hosts' })),
    ),
  );
  return calls;
}

describe('SearchBar', () => {
  it('shows completions from auto_complete_search, sent through the session client', async () => {
    const calls = setup(() => undefined);
    const input = screen.getByRole('combobox', { name: 'Search hosts' });
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'os ' } });
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toContain('os name = web1 '));
    const last = calls.at(-1);
    expect(last?.url).toMatch(/^\/api\/hosts\/auto_complete_search\?search=os/);
    expect(last?.xhr).toBe('XMLHttpRequest');
  });

  it('picks a completion with the keyboard, then Enter searches the query', async () => {
    const onSearch = vi.fn();
    setup(onSearch);
    const input = screen.getByRole('combobox', { name: 'Search hosts' });
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'x ' } });
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toContain('x hostgroup = prod '));
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect((input as HTMLInputElement).value).toBe('x hostgroup = prod '));
    expect(onSearch).not.toHaveBeenCalled();
    fireEvent.keyDown(input, { key: 'Escape' });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSearch).toHaveBeenCalledWith('x hostgroup = prod');
  });
});
