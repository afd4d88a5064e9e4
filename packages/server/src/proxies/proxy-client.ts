/**
 * @module
 * HTTP client for the proxy API (contract in `@remex/common`). Every call but the public
 * `/features` and `/ssh/pubkey` is signed with the proxy's own credential (ADR 0007), and the
 * proxy's answer must carry its signature over the same nonce: an answer from anything that does
 * not hold the credential is refused. Answers are checked against the wire schemas of
 * `@remex/common` (`wire/proxy-contract.ts`) before the server uses them. Over HTTPS the
 * proxy's certificate is pinned at registration or signed by the configured CA (`proxy-http.ts`,
 * ADR 0018).
 */
import type { TSchema, Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ForgetHostKeyRequest, LaunchResponse, LaunchTask, ProxyCredential, ProxyFeatures } from '@remex/common';
import {
  CancelResponseSchema,
  coerceError,
  ForgetHostKeyResponseSchema,
  InputError,
  InternalError,
  LaunchResponseSchema,
  parseSignature,
  PROXY_PRODUCT,
  ProxyFeaturesSchema,
  RESPONSE_SIGNATURE_HEADER,
  signMessage,
  TaskCountSchema,
  verifySignature,
} from '@remex/common';

import { proxyRequest, type ProxyTrust, type SeenCertificate } from './proxy-http.ts';

/** Timeout of registration requests (ms). */
const REGISTER_TIMEOUT_MS = 5000;

/** One registered proxy as the server talks to it. */
export interface ProxyEndpoint {
  name: string;
  url: string;
  credential: ProxyCredential;
  /** The certificate pinned at registration (PEM), `null` for a plain HTTP URL. */
  tlsCertificate: string | null;
}

function clean(url: string): string {
  return url.replace(/\/+$/, '');
}

/** A proxy answer checked against its wire schema. */
type Checked<S extends TSchema> = { ok: true; value: Static<S> } | { ok: false; problem: string };

/** What is wrong with `value` under `schema` (its first error). */
function problemOf(schema: TSchema, value: unknown): string {
  const first = Value.Errors(schema, value).First();
  return first ? `${first.path || '/'} ${first.message}` : 'unexpected shape';
}

/** Parses `text` as JSON and checks it against `schema`. */
function parseAnswer<S extends TSchema>(schema: S, text: string): Checked<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the answer is not JSON' };
  }
  return Value.Check(schema, value) ? { ok: true, value } : { ok: false, problem: problemOf(schema, value) };
}

/** Answer of a signed call; `signed` tells whether the proxy's signature over it checked out. */
interface SignedAnswer {
  status: number;
  text: string;
  signed: boolean;
  /** Why the signature did not check out. */
  unsigned?: string;
  /** The certificate the proxy presented (HTTPS). */
  certificate: SeenCertificate | null;
}

/**
 * Sends one signed request and checks the signature of the answer (same key id, same nonce,
 * direction `response`, the body as received).
 */
async function signedCall(ep: ProxyEndpoint, method: string, path: string, body: string | undefined, timeoutMs: number): Promise<SignedAnswer> {
  const target = new URL(`${clean(ep.url)}${path}`);
  const signedPath = `${target.pathname}${target.search}`;
  const authorization = await signMessage(ep.credential, { kind: 'request', method, path: signedPath, body: body ?? '' });
  const nonce = parseSignature(authorization)?.nonce ?? '';
  const res = await proxyRequest(target, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body,
    timeoutMs,
    trust: { kind: 'pinned', certificate: ep.tlsCertificate },
  });
  const { text, certificate } = res;
  const header = res.headers[RESPONSE_SIGNATURE_HEADER.toLowerCase()];
  const f = parseSignature(typeof header === 'string' ? header : undefined);
  if (!f) return { status: res.status, text, signed: false, unsigned: 'the answer carries no proxy signature', certificate };
  if (f.keyId !== ep.credential.keyId || f.nonce !== nonce) return { status: res.status, text, signed: false, unsigned: 'the answer is signed for another request or credential', certificate };
  try {
    await verifySignature(ep.credential.secret, f, { kind: 'response', method, path: signedPath, body: text });
    return { status: res.status, text, signed: true, certificate };
  } catch (e: unknown) {
    return { status: res.status, text, signed: false, unsigned: `the answer's signature is wrong (${coerceError(e).message})`, certificate };
  }
}

/**
 * Fetches `GET /features` (public, nothing secret sent) and checks that the URL is a Remex proxy.
 * @param trust - `discover` at registration (any certificate; the one seen is returned, to be
 *   pinned once the proxy signs for it), else the pinned certificate
 * @throws InputError naming the problem (unreachable, TLS, not a proxy)
 */
export async function fetchProxyFeatures(
  url: string,
  trust: ProxyTrust = { kind: 'discover' },
  timeoutMs = REGISTER_TIMEOUT_MS,
): Promise<{ features: ProxyFeatures; pubkey: string | null; certificate: SeenCertificate | null }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`URL '${url}' is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InputError(`URL '${url}' must use http or https`);
  let body: unknown;
  let certificate: SeenCertificate | null;
  try {
    const res = await proxyRequest(new URL(`${clean(url)}/features`), { method: 'GET', timeoutMs, trust });
    if (res.status !== 200) throw new InputError(`Unable to communicate with the proxy at ${url}: GET /features answered HTTP ${res.status}; is this a Remex proxy?`);
    certificate = res.certificate;
    try {
      body = JSON.parse(res.text);
    } catch {
      body = null;
    }
  } catch (e: unknown) {
    if (e instanceof InputError) throw e;
    throw new InputError(`Unable to communicate with the proxy at ${url}: ${(e as Error).message}`);
  }
  const f = body as Partial<ProxyFeatures> | null;
  if (!f || f.product !== PROXY_PRODUCT || !Array.isArray(f.features)) {
    throw new InputError(`${url} is not a Remex proxy: GET /features did not answer with product '${PROXY_PRODUCT}'`);
  }
  if (!Value.Check(ProxyFeaturesSchema, body)) throw new InputError(`The proxy at ${url} answered GET /features outside the proxy contract: ${problemOf(ProxyFeaturesSchema, body)}`);
  let pubkey: string | null = null;
  try {
    const res = await proxyRequest(new URL(`${clean(url)}/ssh/pubkey`), { method: 'GET', timeoutMs, trust });
    if (res.status === 200) pubkey = res.text.trim();
  } catch {
    pubkey = null;
  }
  return { features: body, pubkey, certificate };
}

/**
 * Proves that whatever answers at `ep.url` holds `ep.credential`: a signed `GET /tasks/count`
 * whose answer must be a 200 signed by the proxy over this request's nonce. Only signatures cross
 * the wire, never the secret.
 * @throws InputError naming what failed
 */
export async function verifyProxyCredential(ep: ProxyEndpoint): Promise<void> {
  let answer: SignedAnswer;
  try {
    answer = await signedCall(ep, 'GET', '/tasks/count', undefined, REGISTER_TIMEOUT_MS);
  } catch (e: unknown) {
    throw new InputError(`Unable to communicate with the proxy at ${ep.url}: ${coerceError(e).message}`);
  }
  if (answer.status === 401 || answer.status === 403) {
    throw new InputError(
      `The proxy at ${ep.url} refused the credential issued for '${ep.name}' (HTTP ${answer.status}): configure the proxy with it (\`token\` in its config or REMEX_PROXY_TOKEN)`,
      { code: 'proxy_credential_refused' },
    );
  }
  if (answer.status !== 200) throw new InputError(`The proxy at ${ep.url} answered the credential check with HTTP ${answer.status}`, { code: 'proxy_credential_refused' });
  if (!answer.signed) {
    throw new InputError(`The server at ${ep.url} does not prove it holds the credential issued for '${ep.name}': ${answer.unsigned ?? 'unsigned answer'}`, {
      code: 'proxy_credential_unproven',
    });
  }
  const counts = parseAnswer(TaskCountSchema, answer.text);
  if (!counts.ok) throw new InputError(`The proxy at ${ep.url} answered GET /tasks/count outside the proxy contract: ${counts.problem}`);
  // Channel binding: the certificate on this connection must be the one the proxy signs for;
  // anything else terminates TLS between server and proxy.
  if (answer.certificate !== null && answer.certificate.fingerprint !== counts.value.tls_fingerprint) {
    throw new InputError(
      `The proxy at ${ep.url} vouches for TLS certificate ${counts.value.tls_fingerprint ?? '(none)'}, but the connection presented ${answer.certificate.fingerprint}: something between server and proxy terminates TLS`,
      { code: 'proxy_certificate_mismatch' },
    );
  }
}

/**
 * The tasks a proxy runs and holds queued now (signed `GET /tasks/count`).
 * @throws InternalError when the proxy is down or its answer is not signed or not in the contract
 */
export async function proxyTaskCounts(ep: ProxyEndpoint, timeoutMs = REGISTER_TIMEOUT_MS): Promise<{ running: number; queued: number }> {
  const answer = await signedCall(ep, 'GET', '/tasks/count', undefined, timeoutMs);
  if (answer.status !== 200) throw new InternalError(`GET /tasks/count answered HTTP ${answer.status}`);
  if (!answer.signed) throw new InternalError(`the answer is not signed with proxy ${ep.name}'s credential`);
  const counts = parseAnswer(TaskCountSchema, answer.text);
  if (!counts.ok) throw new InternalError(`GET /tasks/count answered outside the proxy contract: ${counts.problem}`);
  return counts.value;
}

/**
 * Sends host tasks to a proxy (`POST /tasks/launch`).
 * @throws InternalError when the proxy is down or refuses the batch, or its answer is not signed
 *   with its credential
 */
export async function launchTasks(ep: ProxyEndpoint, tasks: LaunchTask[]): Promise<LaunchResponse> {
  let answer: SignedAnswer;
  try {
    answer = await signedCall(ep, 'POST', '/tasks/launch', JSON.stringify({ tasks }), 30_000);
  } catch (e: unknown) {
    throw new InternalError(`proxy at ${ep.url} is down: ${(e as Error).message}`, { cause: e });
  }
  if (answer.status < 200 || answer.status > 299) throw new InternalError(`proxy at ${ep.url} refused the tasks: HTTP ${answer.status} ${answer.text}`);
  if (!answer.signed) throw new InternalError(`proxy at ${ep.url} refused the tasks: its answer is not signed with proxy ${ep.name}'s credential (${answer.unsigned ?? ''}); is something else answering at that URL?`);
  const launched = parseAnswer(LaunchResponseSchema, answer.text);
  if (!launched.ok) throw new InternalError(`proxy at ${ep.url} answered the launch outside the proxy contract: ${launched.problem}`);
  return launched.value;
}

/**
 * Asks a proxy to forget the trusted SSH host key of a host reached at `addresses`:`port` (after
 * a legitimate re-key); the number of keys it dropped.
 * @throws InternalError when the proxy is down, refuses, or answers unsigned or outside the contract
 */
export async function forgetHostKey(ep: ProxyEndpoint, body: ForgetHostKeyRequest): Promise<number> {
  let answer: SignedAnswer;
  try {
    answer = await signedCall(ep, 'POST', '/host_keys/forget', JSON.stringify(body), 10_000);
  } catch (e: unknown) {
    throw new InternalError(`proxy at ${ep.url} is down: ${(e as Error).message}`, { cause: e });
  }
  if (answer.status < 200 || answer.status > 299 || !answer.signed) throw new InternalError(`proxy ${ep.name} at ${ep.url} refused to forget the host key: HTTP ${answer.status} ${answer.signed ? answer.text : '(unsigned answer)'}`);
  const parsed = parseAnswer(ForgetHostKeyResponseSchema, answer.text);
  if (!parsed.ok) throw new InternalError(`proxy at ${ep.url} answered outside the proxy contract: ${parsed.problem}`);
  return parsed.value.forgotten;
}

/**
 * Asks a proxy to cancel one task; false when it could not be reached, refused, did not sign its
 * answer or answered outside the contract. A proxy answers `{cancelled: false}` for a task it
 * does not run: either it has ended (its exit is on its way) or it is still on its way to the
 * proxy (the dispatcher passes the cancel on after the launch), so that counts as asked.
 */
export async function cancelTask(ep: ProxyEndpoint, taskId: number): Promise<boolean> {
  try {
    const answer = await signedCall(ep, 'POST', `/tasks/${taskId}/cancel`, undefined, 10_000);
    return answer.status >= 200 && answer.status <= 299 && answer.signed && parseAnswer(CancelResponseSchema, answer.text).ok;
  } catch {
    return false;
  }
}
