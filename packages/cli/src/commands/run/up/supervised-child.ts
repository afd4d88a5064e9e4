/**
 * @module
 * One child process of `remex up` (the server or the embedded proxy): forks it, hands it its
 * {@link StartMessage}, waits for it to be ready, restarts it when it exits without being asked
 * to (per a {@link RestartPolicy}), answers-by-id requests over IPC, and stops it on demand.
 */
import type { ChildProcess } from 'node:child_process';

import type { TextSink } from '../../../cli/cli-io.ts';
import { type ChildMessage, isChildMessage, type PingRequest, type ReadyMessage, type RegisterProxyRequest, type ReplyMessage, type StartMessage } from './ipc-messages.ts';
import { forwardLines } from './line-forwarder.ts';
import { RestartPolicy } from './restart-policy.ts';

/** How {@link SupervisedChild} forks and reports. */
export interface SupervisedChildOptions {
  /** Name in log lines, e.g. `server`. */
  label: string;
  /** Forks a new process of the child, with an IPC channel (stdout/stderr piped or not). */
  fork: () => ChildProcess;
  /** The first message for each new process (computed at each start: ports, credentials). */
  startMessage: () => StartMessage;
  /** Where the child's stdout and stderr lines go. */
  output: { stdout: TextSink; stderr: TextSink };
  /** Supervisor diagnostics (crash, restart, give-up), one line each. */
  log: (line: string) => void;
  /** Restart policy (default: {@link RestartPolicy} defaults). */
  policy?: RestartPolicy;
  /** Clock (default `Date.now`). */
  now?: () => number;
  /** Called after a restarted process reported ready (e.g. to register the proxy again). */
  onRestarted?: (ready: ReadyMessage) => Promise<void>;
  /**
   * Liveness check of a ready process: a ping every `intervalMs`; one that answered nothing for
   * `timeoutMs` (its event loop is blocked, e.g. a render that never ends) is killed with SIGKILL
   * and restarted like a crashed one. (Default: none.)
   */
  heartbeat?: { intervalMs: number; timeoutMs: number };
}

/** A request to a child, without the id {@link SupervisedChild.request} adds. */
export type ChildRequest = Omit<RegisterProxyRequest, 'id'> | Omit<PingRequest, 'id'>;

/** Error carrying the class name a child reported for its start failure (for the exit code). */
function startError(label: string, failure: { name: string; message: string } | undefined, how: string): Error {
  const e = new Error(failure ? failure.message : `the ${label} ${how} before it was ready`);
  if (failure) e.name = failure.name;
  return e;
}

/** Describes an exit for a log line. */
function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `exited with signal ${signal}` : `exited with code ${code ?? 'unknown'}`;
}

interface Pending {
  resolve: (reply: ReplyMessage) => void;
  reject: (e: Error) => void;
}

/** A supervised child process (see the module comment). */
export class SupervisedChild {
  readonly #o: SupervisedChildOptions;
  readonly #policy: RestartPolicy;
  readonly #now: () => number;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #supervising = false;
  #stopping = false;
  #timer: NodeJS.Timeout | undefined;
  #giveUp: (e: Error) => void = () => undefined;
  /** Resolves (with the reason) if the policy gives up on this child; never rejects. */
  readonly gaveUp: Promise<Error>;

  constructor(options: SupervisedChildOptions) {
    this.#o = options;
    this.#policy = options.policy ?? new RestartPolicy();
    this.#now = options.now ?? Date.now;
    this.gaveUp = new Promise((resolve) => (this.#giveUp = resolve));
  }

  /** Pid of the current process, if one runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * Starts the first process and resolves once it is ready; from then on it is restarted when it
   * crashes. A first process that fails is not restarted: this rejects with its error.
   */
  async start(): Promise<ReadyMessage> {
    const ready = await this.#spawn();
    this.#supervising = true;
    return ready;
  }

  /**
   * Sends a request to the current process and resolves with its reply (rejects with the
   * reply's `error`, or when the process exits first).
   * @param request - the request without its id
   */
  request(request: ChildRequest): Promise<ReplyMessage> {
    const child = this.#child;
    if (!child?.connected) return Promise.reject(new Error(`the ${this.#o.label} is not running`));
    const id = this.#nextId++;
    return new Promise<ReplyMessage>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      child.send({ ...request, id }, (e) => {
        if (e) this.#settle({ type: 'reply', id, error: e.message });
      });
    });
  }

  /** Stops the child cleanly (no restart any more) and resolves once its process exited. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    const child = this.#child;
    if (child?.connected) child.send({ type: 'stop' }, () => undefined);
    else child?.kill('SIGTERM');
    await this.#exited;
  }

  /** Kills the current process with SIGKILL (after a second stop signal). */
  kill(): void {
    this.#stopping = true;
    clearTimeout(this.#timer);
    this.#child?.kill('SIGKILL');
  }

  #settle(reply: ReplyMessage): void {
    const p = this.#pending.get(reply.id);
    if (!p) return;
    this.#pending.delete(reply.id);
    if (reply.error === undefined) p.resolve(reply);
    else p.reject(new Error(reply.error));
  }

  /** Forks a process, sends it its start message, resolves when it is ready. */
  #spawn(): Promise<ReadyMessage> {
    let start: StartMessage;
    try {
      start = this.#o.startMessage();
    } catch (e: unknown) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.#o.log(`${this.#o.label}: cannot start: ${error.message}`);
      return Promise.reject(error);
    }
    const child = this.#o.fork();
    this.#child = child;
    this.#policy.started();
    forwardLines(child.stdout, this.#o.output.stdout);
    forwardLines(child.stderr, this.#o.output.stderr);
    let failure: { name: string; message: string } | undefined;
    let markExited = (): void => undefined;
    this.#exited = new Promise((resolve) => (markExited = resolve));
    return new Promise<ReadyMessage>((resolve, reject) => {
      child.on('message', (m: unknown) => {
        if (!isChildMessage(m)) return;
        this.#onMessage(m, resolve, (f) => (failure = f));
      });
      child.on('error', (e) => this.#o.log(`${this.#o.label} (pid ${child.pid ?? '?'}): ${e.message}`));
      child.on('exit', (code, signal) => {
        if (this.#child === child) this.#child = undefined;
        for (const id of [...this.#pending.keys()]) this.#settle({ type: 'reply', id, error: `the ${this.#o.label} exited` });
        reject(startError(this.#o.label, failure, exitText(code, signal)));
        if (this.#supervising && !this.#stopping) this.#onCrash(child.pid, code, signal);
      });
      // 'close' comes after the last output line was read, so a stop never cuts the log short.
      child.on('close', () => markExited());
      child.send(start, (e) => {
        if (e) this.#o.log(`${this.#o.label}: cannot send the start message: ${e.message}`);
      });
    });
  }

  #onMessage(m: ChildMessage, ready: (r: ReadyMessage) => void, failed: (f: { name: string; message: string }) => void): void {
    if (m.type === 'ready') {
      this.#policy.ready(this.#now());
      ready(m);
      if (this.#child) this.#watch(this.#child);
    } else if (m.type === 'failed') {
      failed(m);
    } else {
      this.#settle(m);
    }
  }

  /** Pings a ready process; kills it when it stopped answering (see `heartbeat`). */
  #watch(child: ChildProcess): void {
    const hb = this.#o.heartbeat;
    if (!hb) return;
    let answeredAt = this.#now();
    const timer = setInterval(() => {
      if (this.#child !== child) {
        clearInterval(timer);
      } else if (this.#now() - answeredAt >= hb.timeoutMs) {
        clearInterval(timer);
        this.#o.log(`${this.#o.label} (pid ${child.pid ?? '?'}) has not answered for ${hb.timeoutMs / 1000} s; killing it`);
        child.kill('SIGKILL');
      } else {
        this.request({ type: 'ping' }).then(
          () => (answeredAt = this.#now()),
          () => undefined,
        );
      }
    }, hb.intervalMs);
    child.once('exit', () => clearInterval(timer));
  }

  #onCrash(pid: number | undefined, code: number | null, signal: NodeJS.Signals | null): void {
    const what = `${this.#o.label} (pid ${pid ?? '?'}) ${exitText(code, signal)}`;
    const decision = this.#policy.exited(this.#now());
    if (decision.action === 'give-up') {
      this.#o.log(`${what}; giving up: ${decision.reason}`);
      this.#giveUp(new Error(`the ${this.#o.label} keeps crashing (${decision.reason}); gave up`));
      return;
    }
    this.#o.log(`${what}; restarting in ${decision.delayMs / 1000} s (restart ${decision.restart})`);
    this.#timer = setTimeout(() => this.#restart(), decision.delayMs);
  }

  #restart(): void {
    if (this.#stopping) return;
    this.#spawn().then(
      async (ready) => {
        this.#o.log(`${this.#o.label} restarted (pid ${ready.pid}), listening on ${ready.url}`);
        await this.#o.onRestarted?.(ready);
      },
      // A failed restart is an exit like any other: the exit handler already decided what next.
      () => undefined,
    ).catch((e: unknown) => this.#o.log(`${this.#o.label}: after the restart: ${e instanceof Error ? e.message : String(e)}`));
  }
}
