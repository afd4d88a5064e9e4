/**
 * @module
 * Runs the system `ssh` and collects what it says: a small promise wrapper around `spawn`.
 */
import { spawn } from 'node:child_process';

/** How an `ssh` run ended. */
export interface SshRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ssh's standard error (its own messages at the configured LogLevel), at most 64 KiB. */
  stderr: string;
}

/**
 * Runs `binary args` to its end, with no stdin.
 * @param env - the child's environment
 * @param timeoutMs - kills it (SIGKILL) after this; `timedOut` is then set
 * @param signal - kills it when aborted
 */
export function runSsh(
  binary: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<SshRun & { timedOut: boolean; aborted: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    let aborted = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 65_536) stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      child.kill('SIGKILL');
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (e: Error) => {
      stderr += `\n${e.message}`;
    });
    child.once('close', (code, sig) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal: sig, stderr, timedOut, aborted });
    });
  });
}
