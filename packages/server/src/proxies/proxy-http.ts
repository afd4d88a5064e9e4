/**
 * @module
 * The server's HTTP(S) requests to proxies (ADR 0018). Over HTTPS the proxy's certificate is
 * trusted in one of three ways, never by the system's CA store alone:
 * - **CA** (`REMEX_PROXY_CA_FILE`): signed by the configured CA, for the URL's host name;
 * - **pinned**: exactly the certificate stored at registration (its SHA-256 fingerprint), whatever
 *   names it carries;
 * - **discover**: any certificate, only for the public `GET /features` and `GET /ssh/pubkey` of a
 *   registration (nothing secret is sent); the certificate seen is returned to be pinned once the
 *   proxy vouches for it in a signed answer.
 * The server's client certificate (`REMEX_PROXY_CLIENT_CERT_FILE`/`…_KEY_FILE`) is presented to
 * proxies that require one (mutual TLS). Connections are kept alive per proxy and trust.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { PeerCertificate, TLSSocket } from 'node:tls';

import { coerceError, InputError } from '@remex/common';

/** The server's side of TLS to proxies (from the environment, see {@link proxyClientTlsFromEnv}). */
export interface ProxyClientTls {
  /** CA certificate(s) that sign proxy certificates; when set, pins are not needed. */
  ca?: string | undefined;
  /** Client certificate and key presented to proxies (mutual TLS). */
  cert?: string | undefined;
  key?: string | undefined;
}

let clientTls: ProxyClientTls = {};
const agents = new Map<string, http.Agent>();

/** Sets the server's TLS identity and trust for proxies (once, at start). */
export function configureProxyClientTls(tls: ProxyClientTls): void {
  clientTls = tls;
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

/**
 * Reads the files named by `REMEX_PROXY_CA_FILE`, `REMEX_PROXY_CLIENT_CERT_FILE` and
 * `REMEX_PROXY_CLIENT_KEY_FILE` (the server config's `proxyTlsFiles`).
 * @throws InputError when a file cannot be read, or only one of cert and key is set
 */
export function loadProxyClientTls(files: { ca?: string | undefined; cert?: string | undefined; key?: string | undefined }): ProxyClientTls {
  const read = (file: string | undefined, name: string): string | undefined => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (e: unknown) {
      throw new InputError(`Cannot read ${name} ${file}: ${coerceError(e).message}`, { cause: e });
    }
  };
  const tls = {
    ca: read(files.ca, 'REMEX_PROXY_CA_FILE'),
    cert: read(files.cert, 'REMEX_PROXY_CLIENT_CERT_FILE'),
    key: read(files.key, 'REMEX_PROXY_CLIENT_KEY_FILE'),
  };
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw new InputError('REMEX_PROXY_CLIENT_CERT_FILE and REMEX_PROXY_CLIENT_KEY_FILE go together');
  return tls;
}

/** How the proxy's certificate is trusted for one request. */
export type ProxyTrust = { kind: 'discover' } | { kind: 'pinned'; certificate: string | null };

/** A certificate a proxy presented. */
export interface SeenCertificate {
  /** PEM. */
  pem: string;
  /** SHA-256 fingerprint, `AB:CD:…`. */
  fingerprint: string;
}

/** An answer of {@link proxyRequest}. */
export interface ProxyAnswer {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
  /** The certificate the proxy presented (HTTPS only). */
  certificate: SeenCertificate | null;
}

/** Options of {@link proxyRequest}. */
export interface ProxyRequestOptions {
  method: string;
  headers?: Record<string, string>;
  body?: string | undefined;
  timeoutMs: number;
  trust: ProxyTrust;
}

function pemOf(cert: PeerCertificate): SeenCertificate {
  const lines = cert.raw.toString('base64').match(/.{1,64}/g) ?? [];
  return { pem: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`, fingerprint: cert.fingerprint256 };
}

/** The keep-alive agent of one origin and trust. */
function agentFor(url: URL, trust: ProxyTrust): http.Agent {
  if (url.protocol === 'http:') {
    const key = `http:${url.host}`;
    let agent = agents.get(key);
    if (!agent) agents.set(key, (agent = new http.Agent({ keepAlive: true, maxSockets: 16 })));
    return agent;
  }
  const identity = { ...(clientTls.cert === undefined ? {} : { cert: clientTls.cert, key: clientTls.key }) };
  let options: https.AgentOptions;
  let key: string;
  if (clientTls.ca !== undefined) {
    options = { ca: clientTls.ca, rejectUnauthorized: true };
    key = `ca:${url.host}`;
  } else if (trust.kind === 'discover') {
    // Only public, non-secret requests: the certificate is checked once the proxy signs for it.
    options = { rejectUnauthorized: false };
    key = `discover:${url.host}`;
  } else {
    if (trust.certificate === null) throw new Error('no certificate is pinned for this proxy: refresh its registration');
    const pinned = new X509Certificate(trust.certificate).fingerprint256;
    options = {
      ca: trust.certificate,
      rejectUnauthorized: true,
      // The pin is the identity: the names in the certificate do not matter.
      checkServerIdentity: (_host: string, cert: PeerCertificate) =>
        cert.fingerprint256 === pinned ? undefined : new Error(`the proxy presented certificate ${cert.fingerprint256}, not the one pinned at registration (${pinned})`),
    };
    key = `pin:${url.host}:${pinned}`;
  }
  let agent = agents.get(key);
  if (!agent) agents.set(key, (agent = new https.Agent({ keepAlive: true, maxSockets: 16, ...options, ...identity })));
  return agent;
}

/** A transport error in words that say what to do. */
function explain(e: Error, url: URL, o: ProxyRequestOptions): Error {
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return new Error(`no answer within ${o.timeoutMs} ms`);
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const certificateProblem = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME/.test(code);
  if (url.protocol === 'https:' && certificateProblem && clientTls.ca === undefined && o.trust.kind === 'pinned' && o.trust.certificate !== null) {
    const pinned = new X509Certificate(o.trust.certificate).fingerprint256;
    return new Error(
      `the proxy presented a certificate that is not the one pinned at registration (${pinned}): ${e.message}; if its certificate changed legitimately, refresh the proxy's registration`,
      { cause: e },
    );
  }
  return e;
}

/**
 * One request to a proxy; rejects with the transport error (refused, TLS, timeout).
 * @param url - absolute URL
 */
export function proxyRequest(url: URL, o: ProxyRequestOptions): Promise<ProxyAnswer> {
  const transport = url.protocol === 'https:' ? https : http;
  const agent = agentFor(url, o.trust);
  return new Promise<ProxyAnswer>((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: o.method,
        agent,
        headers: { ...o.headers, ...(o.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(o.body)) }) },
        signal: AbortSignal.timeout(o.timeoutMs),
      },
      (response) => {
        const socket = response.socket as TLSSocket;
        const peer = url.protocol === 'https:' ? socket.getPeerCertificate() : undefined;
        const certificate = peer && peer.raw ? pemOf(peer) : null;
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('error', reject);
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: response.headers, certificate }));
      },
    );
    request.on('error', (e: Error) => reject(explain(e, url, o)));
    request.end(o.body);
  });
}
