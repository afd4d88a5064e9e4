/**
 * @module
 * The targets of a rerun of a job's failed hosts: their names when there are few (the wizard
 * shows them in its host list, as Foreman's rerun does), else the host search that picks them
 * (`job_invocation.id = N and job_invocation.result = failed`), which scales to any number and
 * keeps the wizard's live count a short request.
 */
import type { JobHost, ListPage } from '../../api/types.ts';

/** The search over a job's hosts that picks the failed ones. */
export const FAILED_HOSTS_SEARCH = 'job_invocation.result = failed';

/** Most failed hosts listed by name; more are targeted by {@link failedHostsQuery}. */
export const MAX_LISTED_FAILED = 100;

/** The host search (`/api/hosts`) picking the hosts that failed in job `jobId`. */
export function failedHostsQuery(jobId: number): string {
  return `job_invocation.id = ${jobId} and job_invocation.result = failed`;
}

/** The failed hosts of a job: listed by name, or a host search. */
export type FailedTargets = { names: string[] } | { query: string };

/** Fetches one page of a job's hosts. */
export type HostPageFetcher = (path: string, query: { search: string; per_page: number }) => Promise<ListPage<JobHost>>;

/** The failed hosts of job `jobId` as rerun targets (one request). */
export async function failedTargets(get: HostPageFetcher, jobId: number): Promise<FailedTargets> {
  const page = await get(`/api/job_invocations/${jobId}/hosts`, { search: FAILED_HOSTS_SEARCH, per_page: MAX_LISTED_FAILED });
  if (page.subtotal > page.results.length) return { query: failedHostsQuery(jobId) };
  return { names: page.results.map((h) => h.name) };
}
