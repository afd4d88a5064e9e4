/**
 * @module
 * The names of a job's failed hosts, every page of them (a rerun of the failed hosts of a big job
 * must not stop at the first 1,000).
 */
import type { JobHost, ListPage } from '../../api/types.ts';

/** The search over a job's hosts that picks the failed ones. */
export const FAILED_HOSTS_SEARCH = 'job_invocation.result = failed';

/** Hosts asked per page (the API's largest page). */
const PER_PAGE = 1000;

/** Fetches one page of a job's hosts. */
export type HostPageFetcher = (path: string, query: { search: string; page: number; per_page: number }) => Promise<ListPage<JobHost>>;

/** Names of the failed hosts of job `jobId`, in the API's order, reading page after page. */
export async function failedHostNames(get: HostPageFetcher, jobId: number): Promise<string[]> {
  const names: string[] = [];
  for (let page = 1; ; page++) {
    const answer = await get(`/api/job_invocations/${jobId}/hosts`, { search: FAILED_HOSTS_SEARCH, page, per_page: PER_PAGE });
    names.push(...answer.results.map((h) => h.name));
    if (answer.results.length === 0 || names.length >= answer.subtotal) return names;
  }
}
