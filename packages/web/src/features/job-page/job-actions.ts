/**
 * @module
 * Job actions (cancel, abort, rerun) through the API client.
 */
import type { ApiClient } from '../../api/client.ts';
import type { JobInvocation } from '../../api/types.ts';

/** Cancels job `id`; `force` aborts it (Foreman's "Abort job"). */
export async function cancelJob(api: ApiClient, id: number, force: boolean): Promise<void> {
  await api.post(`/api/job_invocations/${id}/cancel`, { force });
}

/** Reruns job `id` (all hosts, or only the failed ones); returns the new job. */
export function rerunJob(api: ApiClient, id: number, failedOnly: boolean): Promise<JobInvocation> {
  return api.post<JobInvocation>(`/api/job_invocations/${id}/rerun`, failedOnly ? { failed_only: true } : {});
}
