/**
 * @module
 * A detached (async SSH) run of a script: started with `async-command.ts`, then read every
 * `refreshMs` from the offsets saved with each batch of output ({@link ProviderContext.checkpoint}),
 * so a proxy that stops or crashes resumes the task after its restart, without losing or
 * doubling a byte. A broken connection is replaced (a few attempts, with back-off) without the
 * script noticing. Timeout and cancel kill the script's process group as for an attached run
 * and then read on until its status is written.
 */
import { StringDecoder } from 'node:string_decoder';

import { coerceError } from '@remex/common';

import type { TransportSession } from '../../transport/transport.ts';
import type { ProviderContext, ProviderEventType, StopReason, TaskOutcome } from '../provider.ts';
import { ASYNC_STARTED, buildAsyncCleanup, buildAsyncStart, buildRetrieve, MAX_READ_BYTES, parseRetrieve, type Retrieved, wholeUtf8Length } from './async-command.ts';
import { killScript } from './remote-kill.ts';
import type { ScriptCommandOptions } from './script-command.ts';

/** What is saved to resume a detached run. */
interface AsyncState {
  /** The task's remote working dir. */
  dir: string;
  /** Bytes of `out` and `err` read and persisted as events. */
  out: number;
  err: number;
  /** Whether the start command confirmed the script was started. */
  started: boolean;
  /** The exit code, once read with all of the output (only the cleanup is left then). */
  code?: number;
}

/** Connection attempts per read before the task fails (the first one included). */
const READ_ATTEMPTS = 5;

/** What a detached run needs besides the task's context. */
export interface AsyncRunOptions {
  /** Opens a session to the task's host (again after a broken connection). */
  connect(signal: AbortSignal): Promise<TransportSession>;
  /** The commands' options; `dir` is replaced by the saved one when resuming. */
  command: ScriptCommandOptions;
  script: string;
  /** Pause between reads while the script runs, in ms. */
  refreshMs: number;
  hostName: string;
}

/** The saved state of a resumed run, or undefined when it is unreadable. */
function parseState(text: string): AsyncState | undefined {
  try {
    const v = JSON.parse(text) as Partial<AsyncState>;
    if (typeof v.dir !== 'string' || typeof v.out !== 'number' || typeof v.err !== 'number' || typeof v.started !== 'boolean') return undefined;
    return { dir: v.dir, out: v.out, err: v.err, started: v.started, ...(typeof v.code === 'number' ? { code: v.code } : {}) };
  } catch {
    return undefined;
  }
}

/** One session at a time, replaced when a command fails on it. */
class SessionLink {
  #session: TransportSession | undefined;
  readonly #connect: (signal: AbortSignal) => Promise<TransportSession>;
  readonly #detach = new AbortController();

  constructor(connect: (signal: AbortSignal) => Promise<TransportSession>) {
    this.#connect = connect;
  }

  /** The current session, opened when there is none. */
  async session(): Promise<TransportSession> {
    this.#session ??= await this.#connect(this.#detach.signal);
    return this.#session;
  }

  /**
   * Runs `command` to its end and returns its stdout; on failure the session is dropped and the
   * command runs again on a new one, up to {@link READ_ATTEMPTS} times.
   */
  async run(command: string, stdin: Buffer = Buffer.alloc(0), attempts = READ_ATTEMPTS): Promise<{ code: number | null; stdout: Buffer; stderr: Buffer }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const session = await this.session();
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        const remote = await session.exec(command, { onStdout: (c) => out.push(c), onStderr: (c) => err.push(c) }, { stdin });
        const exit = await remote.exited;
        return { code: exit.code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
      } catch (e: unknown) {
        this.drop();
        if (attempt >= attempts || this.#detach.signal.aborted) throw e;
        await pause(Math.min(1000 * 2 ** (attempt - 1), 8000));
      }
    }
  }

  /** Closes the current session (a new one is opened by the next command). */
  drop(): void {
    this.#session?.close();
    this.#session?.release();
    this.#session = undefined;
  }

  /** Ends the link: a connection attempt in progress is aborted; the session may stay warm. */
  release(): void {
    this.#detach.abort();
    this.#session?.release();
    this.#session = undefined;
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs (or, with `context.resumeState`, resumes) the task's script detached on its host.
 * Returns `detached` when the proxy stops while the script runs.
 */
export async function runDetached(context: ProviderContext, o: AsyncRunOptions): Promise<TaskOutcome> {
  const { signal } = context;
  const resumed = context.resumeState !== undefined;
  const state = resumed ? parseState(context.resumeState ?? '') : { dir: o.command.dir, out: 0, err: 0, started: false };
  if (!state) return { kind: 'exception', message: 'The saved state of this async SSH task is unreadable; its output cannot be read on' };
  const command: ScriptCommandOptions = { ...o.command, dir: state.dir };
  const save = (events: { type: ProviderEventType; data: string }[] = []): void => context.checkpoint(JSON.stringify(state), events);
  const link = new SessionLink((detach) => o.connect(detach));
  try {
    if (!resumed) {
      // The dir is known before anything runs: a restart during the start finds it (or not).
      save();
      const start = buildAsyncStart(command, o.script);
      const started = await link.run(start.command, start.stdin, 1);
      if (started.code !== 0 || !started.stdout.toString('utf8').includes(ASYNC_STARTED)) {
        const said = started.stderr.toString('utf8');
        if (said) context.emit('stderr', said);
        return {
          kind: 'exception',
          message: `Failed to upload and start the script in ${state.dir} on ${o.hostName} (exit code ${started.code ?? 'unknown'}); see the error output above`,
        };
      }
      state.started = true;
      save([{ type: 'started', data: '' }]);
    }
    if (state.code === undefined) {
      const outcome = await readUntilEnd(context, o, link, command, state, save);
      if (outcome) return outcome;
    }
    if (command.cleanup) {
      try {
        await link.run(buildAsyncCleanup(state.dir));
      } catch (e: unknown) {
        context.emit('debug', `Could not remove ${state.dir}: ${coerceError(e).message}`);
      }
    }
    return { kind: 'exit', code: state.code ?? 0 };
  } catch (e: unknown) {
    if (signal.aborted && signal.reason === 'shutdown') return { kind: 'detached' };
    return { kind: 'exception', message: `${coerceError(e).message}; the script goes on on ${o.hostName} but its output can no longer be read` };
  } finally {
    link.release();
  }
}

/**
 * Reads output until the script's status is there (setting `state.code`), killing it on timeout
 * or cancel. Returns an outcome when the run ends otherwise (lost, gone, proxy stopping).
 */
async function readUntilEnd(
  context: ProviderContext,
  o: AsyncRunOptions,
  link: SessionLink,
  command: ScriptCommandOptions,
  state: AsyncState,
  save: (events: { type: ProviderEventType; data: string }[]) => void,
): Promise<TaskOutcome | undefined> {
  const { signal } = context;
  const decoders = { out: new StringDecoder('utf8'), err: new StringDecoder('utf8') };
  let killing: Promise<void> | undefined;
  let gaveUp = false;
  const ended: { resolve?: () => void } = {};
  const endedPromise = new Promise<void>((resolve) => (ended.resolve = resolve));
  try {
    for (;;) {
      if (signal.aborted) {
        const reason = signal.reason as StopReason;
        if (reason === 'shutdown') return { kind: 'detached' };
        killing ??= link
          .session()
          .then((session) => killScript(session, command, context, endedPromise, () => (gaveUp = true)))
          .catch((e: unknown) => context.emit('debug', `Failed to stop the remote process: ${coerceError(e).message}`));
      }
      if (gaveUp) return { kind: 'exception', message: `The script on ${o.hostName} did not stop after SIGKILL` };
      const read: Retrieved = parseRetrieve((await link.run(buildRetrieve(state.dir, state.out, state.err))).stdout);
      const final = read.status !== 'RUNNING';
      const events: { type: ProviderEventType; data: string }[] = [];
      for (const [stream, chunk] of [['out', read.out], ['err', read.err]] as const) {
        // A character cut by the end of the read waits for the next one (unless nothing follows).
        const take = final && chunk.length < MAX_READ_BYTES ? chunk.length : wholeUtf8Length(chunk);
        const text = decoders[stream].write(chunk.subarray(0, take)) + (final && take === chunk.length ? decoders[stream].end() : '');
        if (text) events.push({ type: stream === 'out' ? 'stdout' : 'stderr', data: text });
        state[stream] += take;
      }
      const more = read.out.length >= MAX_READ_BYTES || read.err.length >= MAX_READ_BYTES;
      if (read.status === 'DONE' && !more) state.code = read.code ?? 0;
      if (events.length > 0 || state.code !== undefined) save(events);
      if (more) continue;
      switch (read.status) {
        case 'RUNNING':
          await pause(o.refreshMs, signal);
          continue;
        case 'DONE':
          return undefined;
        case 'LOST':
          return { kind: 'exception', message: `The script on ${o.hostName} ended without an exit status (killed, or the host restarted)` };
        case 'NOTSTARTED':
          return { kind: 'exception', message: `The script was not started on ${o.hostName} (the proxy stopped while starting it)` };
        case 'GONE':
          return { kind: 'exception', message: `The working directory ${state.dir} is gone from ${o.hostName}; the script's output and status are lost` };
      }
    }
  } finally {
    ended.resolve?.();
    await killing;
  }
}
