/**
 * @module
 * The body of an SSH worker thread (ADR 0025): an {@link SshTransport} of its own (handshakes,
 * channels, warm connections) driven by messages from the proxy's main thread. Host keys stay
 * in the main thread's database: each connect brings the host's trusted key along, and the
 * worker asks the main thread only about a key that is not that one (new, or changed).
 */
import { parentPort, workerData } from 'node:worker_threads';

import type { HostKeyCheck, HostKeyLookup, KnownHostKey } from '../host-key-store.ts';
import { hostKeyId, sameKey } from '../host-key-store.ts';
import { SshTransport } from '../ssh/ssh-transport.ts';
import type { RemoteCommand, TransportSession } from '../transport.ts';
import { MessageBatcher } from './message-batcher.ts';
import { toWire } from './ssh-worker-errors.ts';
import type { FromWorker, SshWorkerInit, ToWorker } from './ssh-worker-protocol.ts';

if (!parentPort) throw new Error('ssh-worker-main runs only as a worker thread');
const port = parentPort;

const out = new MessageBatcher<FromWorker>((batch) => port.postMessage(batch));

/** Trusted keys as the main thread last told them (with a connect, or after a check). */
const trusted = new Map<string, KnownHostKey>();
const checks = new Map<number, (answer: Extract<ToWorker, { t: 'hostkey' }>) => void>();
let nextCheck = 0;

const hostKeys: HostKeyLookup = {
  get: (host) => trusted.get(host),
  check: (host, presented) => {
    // The key the main thread sent with this connect: the store would answer `trusted` too.
    const known = trusted.get(host);
    if (known && sameKey(known, presented)) return { result: 'trusted' };
    return new Promise<HostKeyCheck>((resolve, reject) => {
      const rid = ++nextCheck;
      checks.set(rid, (answer) => {
        if (!answer.check) {
          reject(new Error(answer.error ?? 'the host key store did not answer'));
          return;
        }
        if (answer.check.result !== 'changed') trusted.set(host, presented);
        resolve(answer.check);
      });
      out.send({ t: 'hostkey', rid, host, presented });
    });
  },
};

const transport = new SshTransport({ ...(workerData as SshWorkerInit), hostKeys });

/** Sessions by id: still connecting (only `abort`), or connected. */
const sessions = new Map<number, { abort: AbortController; session?: TransportSession }>();
const commands = new Map<number, RemoteCommand>();

function connect(m: Extract<ToWorker, { t: 'connect' }>): void {
  const id = hostKeyId(m.target.address, m.target.port);
  if (m.known) trusted.set(id, m.known);
  else trusted.delete(id);
  const record: { abort: AbortController; session?: TransportSession } = { abort: new AbortController() };
  sessions.set(m.sid, record);
  transport.connect(m.target, record.abort.signal).then(
    (session) => {
      if (sessions.get(m.sid) !== record) {
        // Aborted or closed meanwhile: the main thread no longer waits for it.
        session.close();
        return;
      }
      record.session = session;
      out.send({ t: 'connected', sid: m.sid });
    },
    (e: unknown) => {
      if (sessions.get(m.sid) === record) sessions.delete(m.sid);
      out.send({ t: 'connect-failed', sid: m.sid, error: toWire(e) });
    },
  );
}

function exec(m: Extract<ToWorker, { t: 'exec' }>): void {
  const session = sessions.get(m.sid)?.session;
  if (!session) {
    out.send({ t: 'exec-failed', cid: m.cid, error: { message: 'The SSH session is closed', code: 'connection_lost' } });
    return;
  }
  const { cid } = m;
  session
    .exec(
      m.command,
      {
        // A copy with its own small buffer: a view would clone the whole pooled buffer behind it.
        onStdout: (chunk) => out.send({ t: 'out', cid, stream: 1, data: new Uint8Array(chunk) }),
        onStderr: (chunk) => out.send({ t: 'out', cid, stream: 2, data: new Uint8Array(chunk) }),
      },
      { pty: m.pty, stdin: m.stdin === null ? undefined : Buffer.from(m.stdin.buffer, m.stdin.byteOffset, m.stdin.byteLength) },
    )
    .then(
      (command) => {
        commands.set(cid, command);
        out.send({ t: 'exec-ok', cid });
        command.exited.then(
          (exit) => {
            commands.delete(cid);
            out.send({ t: 'exit', cid, code: exit.code, signal: exit.signal });
          },
          (e: unknown) => {
            commands.delete(cid);
            out.send({ t: 'lost', cid, error: toWire(e) });
          },
        );
      },
      (e: unknown) => out.send({ t: 'exec-failed', cid, error: toWire(e) }),
    );
}

function write(m: Extract<ToWorker, { t: 'write' }>): void {
  const command = commands.get(m.cid);
  if (!command) return;
  const data = m.data === null ? undefined : typeof m.data === 'string' ? m.data : Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
  if (m.end) command.end(data);
  else if (data !== undefined) command.write(data);
}

function finish(sid: number, how: 'close' | 'release'): void {
  const record = sessions.get(sid);
  if (!record) return;
  sessions.delete(sid);
  if (record.session) record.session[how]();
  else record.abort.abort();
}

async function shutdown(): Promise<void> {
  for (const record of sessions.values()) record.abort.abort();
  await transport.close();
  out.send({ t: 'closed' });
  out.flush();
  port.close();
}

port.on('message', (batch: ToWorker[]) => {
  for (const m of batch) {
    switch (m.t) {
      case 'connect':
        connect(m);
        break;
      case 'abort':
        finish(m.sid, 'close');
        break;
      case 'exec':
        exec(m);
        break;
      case 'write':
        write(m);
        break;
      case 'close':
      case 'release':
        finish(m.sid, m.t);
        break;
      case 'hostkey':
        checks.get(m.rid)?.(m);
        checks.delete(m.rid);
        break;
      case 'counts':
        out.send({ t: 'counts', rid: m.rid, ...transport.connectionCounts() });
        break;
      case 'shutdown':
        void shutdown();
        break;
    }
  }
});
