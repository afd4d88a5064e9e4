/**
 * @module
 * Helpers to drive a proxy over its HTTP API in tests: a task factory and a launch/cancel
 * client that signs with the test credential.
 */
import type { LaunchResponse, LaunchTask, TaskCount, TaskEvent } from '@remex/common';
import { parseProxyCredential, signMessage } from '@remex/common';

/** Credential (text form, the proxy's `token`) used by every proxy test. */
export const TEST_TOKEN = `0123456789abcdef.${'5a'.repeat(32)}`;
/** {@link TEST_TOKEN} parsed. */
export const TEST_CREDENTIAL = parseProxyCredential(TEST_TOKEN);

/** The `Authorization` value of a request signed with the test credential. */
export function signedAuthorization(method: string, url: string, body = ''): Promise<string> {
  const u = new URL(url);
  return signMessage(TEST_CREDENTIAL, { kind: 'request', method, path: `${u.pathname}${u.search}`, body });
}

/** A task with sensible defaults for the fleet. */
export function makeTask(fields: Partial<LaunchTask> & Pick<LaunchTask, 'task_id' | 'address' | 'port' | 'script'>): LaunchTask {
  return {
    job_invocation_id: 1,
    provider: 'script',
    host_name: fields.address,
    ssh_user: 'remex-test',
    effective_user: fields.ssh_user ?? 'remex-test',
    effective_user_method: 'sudo',
    remote_working_dir: '/var/tmp',
    cleanup_working_dirs: true,
    ...fields,
  };
}

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const authorization = await signedAuthorization(init.method ?? 'GET', url, typeof init.body === 'string' ? init.body : '');
  const response = await fetch(url, {
    ...init,
    headers: { authorization, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** `POST /tasks/launch`. */
export function launch(proxyUrl: string, tasks: LaunchTask[]): Promise<LaunchResponse> {
  return call(`${proxyUrl}/tasks/launch`, { method: 'POST', body: JSON.stringify({ tasks }) });
}

/** `POST /tasks/:id/cancel`. */
export function cancel(proxyUrl: string, taskId: number): Promise<{ cancelled: boolean }> {
  return call(`${proxyUrl}/tasks/${taskId}/cancel`, { method: 'POST', body: '{}' });
}

/** `GET /tasks/count`: the running and queued counts (the TLS fingerprint left out). */
export async function count(proxyUrl: string): Promise<Pick<TaskCount, 'running' | 'queued'>> {
  const { running, queued } = await call<TaskCount>(`${proxyUrl}/tasks/count`);
  return { running, queued };
}

/** Concatenated data of the events of one type. */
export function textOf(events: TaskEvent[], type: TaskEvent['type']): string {
  return events
    .filter((e) => e.type === type)
    .map((e) => e.data)
    .join('');
}

/** Data of the exit event, if any. */
export function exitOf(events: TaskEvent[]): string | undefined {
  return events.find((e) => e.type === 'exit')?.data;
}
