/**
 * @module
 * One SSH worker thread seen from the proxy's main thread: starts it, sends it batches of
 * requests, routes its answers (connects, command output and exits, host key checks) and, when
 * it dies, fails everything that was running in it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

import { coerceError } from '@remex/common';

import { hostKeyId, type HostKeyStore } from '../host-key-store.ts';
import { connectAborted, TransportError } from '../transport-errors.ts';
import type { TransportSession, TransportTarget } from '../transport.ts';
import { MessageBatcher } from './message-batcher.ts';
import { fromWire } from './ssh-worker-errors.ts';
import type { FromWorker, SshWorkerInit, ToWorker } from './ssh-worker-protocol.ts';
import { type SessionLink, type WorkerCommand, WorkerSession } from './ssh-worker-session.ts';

interface PendingConnect {
  session: WorkerSession;
  resolve: (session: TransportSession) => void;
  reject: (error: Error) => void;
  cleanup: () => void;
}

/**
 * How to start the worker: its compiled file beside this one (`dist/`, or the `ssh-worker.js`
 * entry of the CLI bundle one folder up from the chunks), or, when running from TypeScript
 * sources, the `.ts` file loaded through tsx.
 */
function workerEntry(): { file: URL } | { code: string } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = tsxEsmApi(here);
    const entry = new URL('./ssh-worker-main.ts', here).href;
    return { code: `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });` };
  }
  for (const candidate of ['./ssh-worker-main.js', './ssh-worker.js', '../ssh-worker.js']) {
    const file = new URL(candidate, here);
    if (existsSync(file)) return { file };
  }
  throw new Error(`The SSH worker's entry file was not found beside ${fileURLToPath(here)}`);
}

/** URL of tsx's ESM API (its `import` export: resolving from here would give the CommonJS one). */
function tsxEsmApi(from: string): string {
  const manifest = createRequire(fileURLToPath(from)).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const api = pkg.exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs';
  return new URL(api, pathToFileURL(manifest)).href;
}

/** The main thread's end of one worker thread. */
export class SshWorkerLink implements SessionLink {
  readonly #worker: Worker;
  readonly #out: MessageBatcher<ToWorker>;
  readonly #hostKeys: HostKeyStore;
  readonly #connects = new Map<number, PendingConnect>();
  readonly #sessions = new Map<number, WorkerSession>();
  readonly #commands = new Map<number, WorkerCommand>();
  readonly #counts = new Map<number, (counts: { open: number; idle: number }) => void>();
  #closed: (() => void) | undefined;
  #nextId = 0;
  /** Why the worker is gone (it crashed, or was shut down). */
  #dead: Error | undefined;

  /**
   * @param onError - told when the worker thread fails (its tasks fail as "connection lost")
   */
  constructor(init: SshWorkerInit, hostKeys: HostKeyStore, name: string, onError: (error: Error) => void) {
    this.#hostKeys = hostKeys;
    const entry = workerEntry();
    const options = { workerData: init, name };
    this.#worker = 'file' in entry ? new Worker(entry.file, options) : new Worker(entry.code, { ...options, eval: true });
    // Idle, the worker does not keep the process alive (its warm connections time out on their own).
    this.#worker.unref();
    this.#out = new MessageBatcher((batch) => this.#worker.postMessage(batch));
    this.#worker.on('message', (batch: FromWorker[]) => {
      for (const m of batch) this.#receive(m);
    });
    this.#worker.on('error', (e: Error) => {
      onError(e);
      this.#die(new TransportError(`The SSH worker thread failed: ${e.message}`, 'connection_lost'));
    });
    this.#worker.on('exit', (code) => this.#die(new TransportError(`The SSH worker thread stopped (exit code ${code})`, 'connection_lost')));
  }

  /** Whether the worker still runs. */
  get alive(): boolean {
    return this.#dead === undefined;
  }

  send(message: ToWorker): void {
    if (!this.#dead) this.#out.send(message);
  }

  register(command: WorkerCommand): number {
    const cid = ++this.#nextId;
    this.#commands.set(cid, command);
    const forget = (): void => {
      this.#commands.delete(cid);
    };
    command.exited.then(forget, forget);
    return cid;
  }

  ended(session: WorkerSession): void {
    this.#sessions.delete(session.sid);
    this.#hold();
  }

  /** Opens a session in the worker. */
  connect(target: TransportTarget, signal?: AbortSignal): Promise<TransportSession> {
    if (this.#dead) return Promise.reject(this.#dead);
    const sid = ++this.#nextId;
    const session = new WorkerSession(this, sid, `${target.address}:${target.port}`);
    return new Promise<TransportSession>((resolve, reject) => {
      const aborted = (): void => {
        this.#connects.delete(sid);
        this.#out.send({ t: 'abort', sid });
        this.#hold();
        reject(connectAborted(target));
      };
      if (signal?.aborted) {
        reject(connectAborted(target));
        return;
      }
      signal?.addEventListener('abort', aborted, { once: true });
      this.#connects.set(sid, { session, resolve, reject, cleanup: () => signal?.removeEventListener('abort', aborted) });
      this.#hold();
      const known = this.#hostKeys.get(hostKeyId(target.address, target.port)) ?? null;
      this.#out.send({ t: 'connect', sid, target, known });
    });
  }

  /** Open connections in the worker: total, idle. */
  connectionCounts(): Promise<{ open: number; idle: number }> {
    if (this.#dead) return Promise.resolve({ open: 0, idle: 0 });
    const rid = ++this.#nextId;
    return new Promise((resolve) => {
      this.#counts.set(rid, resolve);
      this.#out.send({ t: 'counts', rid });
    });
  }

  /** Closes the worker's connections and ends the thread (at most `timeoutMs` of waiting). */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.#dead) return;
    const closed = new Promise<void>((resolve) => {
      this.#closed = resolve;
    });
    this.#worker.ref();
    this.#out.send({ t: 'shutdown' });
    this.#out.flush();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    this.#die(new TransportError('The SSH transport was closed', 'aborted'));
    await this.#worker.terminate();
  }

  /** Ends the thread at once, without closing its connections politely (they drop with it). */
  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }

  #receive(m: FromWorker): void {
    switch (m.t) {
      case 'connected': {
        const pending = this.#take(m.sid);
        if (!pending) {
          // Aborted meanwhile.
          this.#out.send({ t: 'close', sid: m.sid });
          return;
        }
        this.#sessions.set(m.sid, pending.session);
        pending.resolve(pending.session);
        return;
      }
      case 'connect-failed':
        this.#take(m.sid)?.reject(fromWire(m.error));
        this.#hold();
        return;
      case 'exec-ok':
        this.#commands.get(m.cid)?.open();
        return;
      case 'exec-failed':
      case 'lost':
        this.#commands.get(m.cid)?.fail(fromWire(m.error));
        return;
      case 'out': {
        const command = this.#commands.get(m.cid);
        if (!command || command.done) return;
        const chunk = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
        if (m.stream === 1) command.handlers.onStdout(chunk);
        else command.handlers.onStderr(chunk);
        return;
      }
      case 'exit':
        this.#commands.get(m.cid)?.exit({ code: m.code, signal: m.signal });
        return;
      case 'hostkey':
        this.#checkHostKey(m.rid, m.host, m.presented);
        return;
      case 'counts':
        this.#counts.get(m.rid)?.({ open: m.open, idle: m.idle });
        this.#counts.delete(m.rid);
        return;
      case 'closed':
        this.#closed?.();
        return;
    }
  }

  #checkHostKey(rid: number, host: string, presented: { algorithm: string; key: string }): void {
    try {
      this.#out.send({ t: 'hostkey', rid, check: this.#hostKeys.check(host, presented) });
    } catch (e: unknown) {
      this.#out.send({ t: 'hostkey', rid, check: null, error: coerceError(e).message });
    }
  }

  #take(sid: number): PendingConnect | undefined {
    const pending = this.#connects.get(sid);
    if (!pending) return undefined;
    this.#connects.delete(sid);
    pending.cleanup();
    return pending;
  }

  /** Keeps the process alive while the worker has sessions (connecting or connected). */
  #hold(): void {
    if (this.#dead) return;
    if (this.#connects.size + this.#sessions.size > 0) this.#worker.ref();
    else this.#worker.unref();
  }

  /** The worker is gone: every connect, command and request still waiting fails with `error`. */
  #die(error: Error): void {
    if (this.#dead) return;
    this.#dead = error;
    for (const sid of [...this.#connects.keys()]) this.#take(sid)?.reject(error);
    for (const session of this.#sessions.values()) session.abandon(error);
    this.#sessions.clear();
    for (const command of this.#commands.values()) command.fail(error);
    this.#commands.clear();
    for (const resolve of this.#counts.values()) resolve({ open: 0, idle: 0 });
    this.#counts.clear();
    this.#closed?.();
  }
}
