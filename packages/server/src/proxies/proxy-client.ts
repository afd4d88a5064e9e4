/**
 * @module
 * HTTP client for the proxy API (contract in `@remex/common`).
 */
import type { LaunchResponse, LaunchTask, ProxyFeatures } from '@remex/common';
import { InputError, InternalError, PROXY_PRODUCT } from '@remex/common';

/** Timeout of registration requests (ms). */
const REGISTER_TIMEOUT_MS = 5000;

function clean(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * Fetches `GET /features` and checks that the URL is a Remex proxy.
 * @throws InputError naming the problem (unreachable, not a proxy)
 */
export async function fetchProxyFeatures(url: string): Promise<{ features: ProxyFeatures; pubkey: string | null }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`URL '${url}' is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InputError(`URL '${url}' must use http or https`);
  let body: unknown;
  try {
    const res = await fetch(`${clean(url)}/features`, { signal: AbortSignal.timeout(REGISTER_TIMEOUT_MS) });
    if (!res.ok) throw new InputError(`Unable to communicate with the proxy at ${url}: GET /features answered HTTP ${res.status}; is this a Remex proxy?`);
    body = await res.json().catch(() => null);
  } catch (e: unknown) {
    if (e instanceof InputError) throw e;
    throw new InputError(`Unable to communicate with the proxy at ${url}: ${(e as Error).message}`);
  }
  const f = body as Partial<ProxyFeatures> | null;
  if (!f || f.product !== PROXY_PRODUCT || !Array.isArray(f.features)) {
    throw new InputError(`${url} is not a Remex proxy: GET /features did not answer with product '${PROXY_PRODUCT}'`);
  }
  let pubkey: string | null = null;
  try {
    const res = await fetch(`${clean(url)}/ssh/pubkey`, { signal: AbortSignal.timeout(REGISTER_TIMEOUT_MS) });
    if (res.ok) pubkey = (await res.text()).trim();
  } catch {
    pubkey = null;
  }
  return { features: f as ProxyFeatures, pubkey };
}

/**
 * Checks that the proxy at `url` accepts this server's token (`GET /tasks/count` with it), so a
 * proxy configured with another token is refused at registration rather than failing every job.
 * Only a refusal (401/403) counts: the proxy's reachability was checked by {@link fetchProxyFeatures}.
 * @throws InputError naming the mismatch
 */
export async function checkProxyToken(url: string, token: string): Promise<void> {
  let status: number;
  try {
    const res = await fetch(`${clean(url)}/tasks/count`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(REGISTER_TIMEOUT_MS) });
    status = res.status;
    await res.body?.cancel();
  } catch (e: unknown) {
    throw new InputError(`Unable to communicate with the proxy at ${url}: ${(e as Error).message}`);
  }
  if (status === 401 || status === 403) {
    throw new InputError(`The proxy at ${url} refused this server's token (HTTP ${status}): set the proxy's token (REMEX_PROXY_TOKEN or \`token\` in its config) to the server's proxy token`);
  }
}

/**
 * Sends host tasks to a proxy (`POST /tasks/launch`).
 * @throws InternalError when the proxy is down or refuses the batch
 */
export async function launchTasks(url: string, token: string, tasks: LaunchTask[]): Promise<LaunchResponse> {
  let res: Response;
  try {
    res = await fetch(`${clean(url)}/tasks/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ tasks }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e: unknown) {
    throw new InternalError(`proxy at ${url} is down: ${(e as Error).message}`, { cause: e });
  }
  if (!res.ok) throw new InternalError(`proxy at ${url} refused the tasks: HTTP ${res.status} ${await res.text().catch(() => '')}`);
  return (await res.json()) as LaunchResponse;
}

/**
 * Asks a proxy to cancel one task; false when it could not be reached or refused. A proxy answers
 * `{cancelled: false}` for a task it does not run: either it has ended (its exit is on its way) or
 * it is still on its way to the proxy (the dispatcher passes the cancel on after the launch), so
 * that counts as asked.
 */
export async function cancelTask(url: string, token: string, taskId: number): Promise<boolean> {
  try {
    const res = await fetch(`${clean(url)}/tasks/${taskId}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
