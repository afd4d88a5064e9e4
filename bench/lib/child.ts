/**
 * @module
 * Forking TypeScript children (bundled, run with plain Node: `bundle.ts`) with an IPC channel,
 * and waiting for their messages with a deadline.
 */
import { type ChildProcess, fork } from 'node:child_process';

import { bundled } from './bundle.ts';

/** A forked child and a typed way to wait for its next message. */
export interface BenchChild {
  process: ChildProcess;
  pid: number;
  /** Resolves with the next message whose `type` is `type`; rejects on `error` messages, exit or timeout. */
  next<T>(type: string, timeoutMs: number): Promise<T>;
  send(message: unknown): void;
  /** Asks the child to stop (`{type:'stop'}`), then SIGKILLs it after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Forks the bundled form of the TypeScript `script` with `args`, `env` (added to the parent's
 * environment) and `nodeFlags`. `BENCH_CPU_PROF=<dir>` adds `--cpu-prof --cpu-prof-dir
 * <dir>/<label>` so that each child writes a V8 CPU profile at exit.
 */
export async function forkChild(script: string, args: string[], env: Record<string, string | undefined>, label: string, nodeFlags: readonly string[] = []): Promise<BenchChild> {
  const execArgv: string[] = [...nodeFlags];
  if (process.env.BENCH_CPU_PROF) execArgv.push('--cpu-prof', '--cpu-prof-dir', `${process.env.BENCH_CPU_PROF}/${label}`);
  const child = fork(await bundled(script), args, { execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (child.pid === undefined) throw new Error(`could not start ${label}`);
  const queue: { type?: string; message?: string }[] = [];
  const waiters: (() => void)[] = [];
  let exited = false;
  child.on('message', (m: { type?: string }) => {
    queue.push(m);
    for (const w of waiters.splice(0)) w();
  });
  child.on('exit', () => {
    exited = true;
    for (const w of waiters.splice(0)) w();
  });
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    pid: child.pid,
    send(message) {
      child.send(message as object);
    },
    next<T>(type: string, timeoutMs: number): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      return new Promise<T>((resolve, reject) => {
        const check = (): void => {
          const i = queue.findIndex((m) => m.type === type || m.type === 'error');
          if (i >= 0) {
            const [m] = queue.splice(i, 1);
            if (m!.type === 'error') reject(new Error(`${label}: ${m!.message ?? 'error'}`));
            else resolve(m as T);
            return;
          }
          if (exited) return reject(new Error(`${label} exited (code ${child.exitCode ?? child.signalCode ?? '?'}) before sending '${type}'`));
          const left = deadline - Date.now();
          if (left <= 0) return reject(new Error(`${label}: no '${type}' within ${timeoutMs} ms`));
          const timer = setTimeout(() => {
            const idx = waiters.indexOf(wake);
            if (idx >= 0) waiters.splice(idx, 1);
            check();
          }, left);
          const wake = (): void => {
            clearTimeout(timer);
            check();
          };
          waiters.push(wake);
        };
        check();
      });
    },
    async stop(graceMs = 10_000) {
      if (exited) return;
      try {
        child.send({ type: 'stop' });
      } catch {
        // channel already closed
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
