import { describe, expect, it } from 'vitest';

import type { JobHost, ListPage } from '../../api/types.ts';
import { FAILED_HOSTS_SEARCH, failedHostNames } from './failed-hosts.ts';
import type { HostPageFetcher } from './failed-hosts.ts';

/** A fake API holding `count` failed hosts of job 9. */
function fakeApi(count: number): { get: HostPageFetcher; calls: string[] } {
  const calls: string[] = [];
  const get: HostPageFetcher = (path, q) => {
    calls.push(`${path}?page=${q.page}`);
    expect(q.search).toBe(FAILED_HOSTS_SEARCH);
    const from = (q.page - 1) * q.per_page;
    const results: JobHost[] = Array.from({ length: Math.max(0, Math.min(q.per_page, count - from)) }, (_, i) => ({ id: from + i + 1, name: `h${from + i + 1}`, job_status: 'error' }));
    const answer: ListPage<JobHost> = { total: count, subtotal: count, page: q.page, per_page: q.per_page, search: q.search, results };
    return Promise.resolve(answer);
  };
  return { get, calls };
}

describe('failedHostNames', () => {
  it('reads every page of the failed hosts', async () => {
    const api = fakeApi(2500);
    const names = await failedHostNames(api.get, 9);
    expect(names).toHaveLength(2500);
    expect(names[2499]).toBe('h2500');
    expect(api.calls).toEqual(['/api/job_invocations/9/hosts?page=1', '/api/job_invocations/9/hosts?page=2', '/api/job_invocations/9/hosts?page=3']);
  });

  it('asks once when there are none, or fewer than a page', async () => {
    expect(await failedHostNames(fakeApi(0).get, 9)).toEqual([]);
    const api = fakeApi(3);
    expect(await failedHostNames(api.get, 9)).toEqual(['h1', 'h2', 'h3']);
    expect(api.calls).toHaveLength(1);
  });
});
