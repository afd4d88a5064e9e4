/**
 * @module
 * A stand-in proxy (a bare HTTP server) that holds a real per-proxy credential: it
 * answers `/features` like a Remex proxy, checks the server's signatures, signs its answers over
 * the request's nonce, records every request it received, and can post signed event callbacks.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import { EVENTS_CALLBACK_PATH, parseProxyCredential, parseSignature, RESPONSE_SIGNATURE_HEADER, signMessage, verifySignature } from '@remex/common';

/** A request as the stand-in received it. */
export interface StandInRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What a handler answers (undefined: the default, `/tasks/count` counts, else 404). */
export type StandInAnswer = { status?: number; body: unknown; unsigned?: boolean } | undefined;

/** A running stand-in. */
export interface StandInProxy {
  name: string;
  url: string;
  /** The credential it holds (text form; `''` for none). */
  token: string;
  /** Makes it hold another credential from now on (a reconfigured proxy). */
  useToken(token: string): void;
  /** Every request received, in order. */
  received: StandInRequest[];
  /** POSTs an event batch to the server's callback, signed with this stand-in's credential. */
  deliver(events: ReadonlyArray<{ task_id: number; seq: number; type: string; data: string; timestamp?: number }>): Promise<Response>;
  close(): Promise<void>;
}

/**
 * POSTs `body` to `path` of the server signed with `token` (a credential's text form).
 * @param options - `now` to sign with another clock, `tamper` to alter the body after signing
 */
export async function signedPost(serverUrl: string, token: string, path: string, body: string, options: { now?: number; tamper?: (b: string) => string; authorization?: string } = {}): Promise<Response> {
  const authorization = options.authorization ?? (await signMessage(parseProxyCredential(token), { kind: 'request', method: 'POST', path, body }, options.now === undefined ? {} : { now: options.now }));
  return fetch(`${serverUrl}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: options.tamper ? options.tamper(body) : body });
}

/**
 * Starts a stand-in named `name` holding `token` (null: holds no credential; it answers like a
 * proxy but cannot sign). `handle` answers the server's authenticated requests.
 */
export async function startStandInProxy(
  serverUrl: string,
  name: string,
  token: string | null,
  handle: (req: StandInRequest) => StandInAnswer | Promise<StandInAnswer> = () => undefined,
): Promise<StandInProxy> {
  let credential = token === null ? null : parseProxyCredential(token);
  const received: StandInRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      void (async () => {
        const request: StandInRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
        received.push(request);
        const send = async (status: number, payload: unknown, nonce?: string) => {
          const text = JSON.stringify(payload);
          res.statusCode = status;
          res.setHeader('content-type', 'application/json');
          if (credential && nonce !== undefined) {
            res.setHeader(RESPONSE_SIGNATURE_HEADER, await signMessage(credential, { kind: 'response', method: request.method, path: request.url, body: text }, { nonce }));
          }
          res.end(text);
        };
        if (request.url === '/features') {
          return send(200, { product: 'remex-proxy', version: '0.0.0', api_version: 1, features: ['script', 'ssh'], providers: ['script'], name });
        }
        const f = parseSignature(req.headers.authorization);
        if (credential) {
          try {
            if (!f || f.keyId !== credential.keyId) throw new Error('not signed with my credential');
            await verifySignature(credential.secret, f, { kind: 'request', method: request.method, path: request.url, body });
          } catch {
            return send(401, { error: { name: 'AuthenticationError', message: 'Invalid signature' } });
          }
        }
        const answer = (await handle(request)) ?? (request.url === '/tasks/count' ? { body: { running: 0, queued: 0 } } : { status: 404, body: {} });
        return send(answer.status ?? 200, answer.body, answer.unsigned === true ? undefined : f?.nonce);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const proxy: StandInProxy = {
    name,
    url: `http://127.0.0.1:${port}`,
    token: token ?? '',
    useToken: (next) => {
      credential = parseProxyCredential(next);
      proxy.token = next;
    },
    received,
    deliver: (events) => {
      if (proxy.token === '') throw new Error('this stand-in holds no credential');
      const body = JSON.stringify({ proxy: name, events: events.map((e) => ({ timestamp: Date.now() / 1000, ...e })) });
      return signedPost(serverUrl, proxy.token, EVENTS_CALLBACK_PATH, body);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
