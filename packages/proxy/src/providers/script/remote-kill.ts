/**
 * @module
 * Stopping a script on its host (timeout and cancel): SIGTERM to its process group over a channel
 * of its own, SIGKILL when it has not ended after a grace period, and a last resort chosen by the
 * caller (the attached run closes its session; the detached one stops reading).
 */
import { coerceError } from '@remex/common';

import type { TransportSession } from '../../transport/transport.ts';
import type { ProviderContext } from '../provider.ts';
import { buildDirectKill, buildKillCommand, needsTerminal, type RunCommand, runsDirect, type ScriptCommandOptions } from './script-command.ts';
import { TerminalOutput } from './terminal-output.ts';

/** How long a killed script may take to end before the next, harder step. */
export const KILL_GRACE_MS = 10_000;

/** How long a kill waits for a direct run to report its pid (the marker is on its way). */
const PID_WAIT_MS = 5_000;

/**
 * SIGTERM to the script's process group; if `ended` has not settled after {@link KILL_GRACE_MS},
 * SIGKILL; if even that does not end it, `giveUp`.
 * @param ended - settles when the script is known to have ended
 * @param startedPid - an attached direct run's process group, as its start marker reports it
 *   (detached runs, async SSH, always have a working dir and its pid file)
 */
export async function killScript(
  session: TransportSession,
  options: ScriptCommandOptions,
  context: Pick<ProviderContext, 'emit'>,
  ended: Promise<unknown>,
  giveUp: () => void,
  startedPid?: Promise<number | undefined>,
): Promise<void> {
  const settled = ended.then(
    () => true,
    () => true,
  );
  const endedWithin = (ms: number): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([settled, new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]).finally(() =>
      clearTimeout(timer),
    );
  };
  let pid: number | undefined;
  if (startedPid !== undefined && runsDirect(options)) {
    // Before its marker a direct run has no pid to signal: wait for it, as the working dir's
    // kill waits for the pid file.
    const none = endedWithin(PID_WAIT_MS).then(() => undefined);
    pid = await Promise.race([startedPid, none]);
    if (pid === undefined) {
      if (!(await endedWithin(0))) giveUp();
      return;
    }
  }
  for (const signal of ['TERM', 'KILL'] as const) {
    try {
      const killCommand: RunCommand = pid === undefined ? buildKillCommand(options, signal) : { command: buildDirectKill(pid, signal), stdin: Buffer.alloc(0) };
      if (needsTerminal(options)) {
        await killOnTerminal(session, options, killCommand.command);
      } else {
        const kill = await session.exec(killCommand.command, { onStdout: () => undefined, onStderr: () => undefined }, { stdin: killCommand.stdin });
        await kill.exited;
      }
    } catch (e: unknown) {
      context.emit('debug', `Failed to stop the remote process: ${coerceError(e).message}`);
      return;
    }
    if (await endedWithin(KILL_GRACE_MS)) return;
    context.emit('debug', `The remote process did not stop after SIG${signal}`);
  }
  giveUp();
}

/** Runs a kill command through `su` on a terminal, typing the password once. */
async function killOnTerminal(session: TransportSession, options: ScriptCommandOptions, command: string): Promise<void> {
  const run: { kill?: { write(text: string): void; end(): void } } = {};
  const terminal = new TerminalOutput(
    options.effectiveUserPassword ?? '',
    { output: () => undefined, started: () => undefined, type: (text) => run.kill?.write(text), refused: () => run.kill?.end() },
    false,
  );
  const kill = await session.exec(command, { onStdout: (c) => terminal.feed(c), onStderr: (c) => terminal.feed(c) }, { pty: true });
  run.kill = kill;
  await kill.exited;
}
