import { describe, expect, it } from 'vitest';

import type { JobHost, ListPage } from '../../api/types.ts';
import { FAILED_HOSTS_SEARCH, MAX_LISTED_FAILED, failedHostsQuery, failedTargets } from './failed-hosts.ts';
import type { HostPageFetcher } from './failed-hosts.ts';

/** A fake API holding `count` failed hosts of job 9. */
function fakeApi(count: number): { get: HostPageFetcher; calls: string[] } {
  const calls: string[] = [];
  const get: HostPageFetcher = (path, q) => {
    calls.push(path);
    expect(q.search).toBe(FAILED_HOSTS_SEARCH);
    const results: JobHost[] = Array.from({ length: Math.min(q.per_page, count) }, (_, i) => ({ id: i + 1, name: `h${i + 1}`, job_status: 'error' }));
    const answer: ListPage<JobHost> = { total: count + 5, subtotal: count, page: 1, per_page: q.per_page, search: q.search, results };
    return Promise.resolve(answer);
  };
  return { get, calls };
}

describe('failedTargets', () => {
  it('lists a few failed hosts by name', async () => {
    const api = fakeApi(3);
    expect(await failedTargets(api.get, 9)).toEqual({ names: ['h1', 'h2', 'h3'] });
    expect(api.calls).toEqual(['/api/job_invocations/9/hosts']);
    expect(await failedTargets(fakeApi(MAX_LISTED_FAILED).get, 9)).toMatchObject({ names: expect.arrayContaining(['h100']) as unknown });
  });

  it('targets many failed hosts by a host search, whatever their number', async () => {
    expect(await failedTargets(fakeApi(MAX_LISTED_FAILED + 1).get, 9)).toEqual({ query: 'job_invocation.id = 9 and job_invocation.result = failed' });
    expect(await failedTargets(fakeApi(10_000).get, 9)).toEqual({ query: failedHostsQuery(9) });
  });

  it('lists nothing when nothing failed', async () => {
    expect(await failedTargets(fakeApi(0).get, 9)).toEqual({ names: [] });
  });
});
