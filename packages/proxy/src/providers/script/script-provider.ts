/**
 * @module
 * The `script` provider (Foreman's `SSH`/`script`): per task, one SSH session (a connection of
 * its own or a warm one, ADR 0014) and one exec channel that uploads the script on stdin, runs it (as the effective user when it differs),
 * streams stdout and stderr separately as they arrive, and cleans up (see `script-command.ts`).
 * Timeout and cancel kill the remote process group over a second channel. With async SSH
 * (`async_ssh`) the script runs detached instead and its output is read from files
 * (`async-script-run.ts`), so the task survives a proxy restart.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { posix } from 'node:path';

import { coerceError, type LaunchTask } from '@remex/common';

import { TransportError } from '../../transport/transport-errors.ts';
import type { RemoteCommand, RemoteExit, TransportSession } from '../../transport/transport.ts';
import type { Provider, ProviderContext, StopReason, TaskOutcome } from '../provider.ts';
import { runDetached } from './async-script-run.ts';
import { killScript } from './remote-kill.ts';
import { OutputSplitter } from './output-splitter.ts';
import { buildRunCommand, buildTerminalRun, needsTerminal, runsDirect, type ScriptCommandOptions } from './script-command.ts';
import { TerminalOutput } from './terminal-output.ts';

/** Options of {@link ScriptProvider}. */
export interface ScriptProviderOptions {
  /** Run tasks that do not say (`async_ssh`) detached (the proxy's `async_ssh`). (Default: `false`.) */
  asyncSsh?: boolean;
  /** Pause between reads of a detached script's output, in ms (`runner_refresh_interval`). (Default: `1000`.) */
  refreshMs?: number;
}

/** Runs shell scripts over a {@link Transport}. */
export class ScriptProvider implements Provider {
  readonly name = 'script';
  readonly aliases = ['SSH'] as const;
  readonly #asyncSsh: boolean;
  readonly #refreshMs: number;

  constructor(options: ScriptProviderOptions = {}) {
    this.#asyncSsh = options.asyncSsh ?? false;
    this.#refreshMs = options.refreshMs ?? 1000;
  }

  async run(task: LaunchTask, context: ProviderContext): Promise<TaskOutcome> {
    const { signal } = context;
    const target = {
      hostName: task.host_name,
      address: task.address,
      port: task.port,
      user: task.ssh_user,
      password: task.secrets?.ssh_password,
      keyPassphrase: task.secrets?.key_passphrase,
      transport: task.transport,
    };
    const options = commandOptions(task);
    // Foreman strips carriage returns from scripts (CRLF from browsers breaks shebang lines).
    const script = task.script.replace(/\r/g, '');
    if (context.resumeState !== undefined || (task.async_ssh ?? this.#asyncSsh)) {
      if (context.resumeState === undefined && needsTerminal(options)) {
        context.emit('debug', 'Async SSH cannot answer the password prompt of su: this task runs attached to its SSH session');
      } else {
        if (signal.aborted) return stoppedBeforeStart(signal.reason as StopReason);
        return runDetached(context, {
          connect: (detach) => context.transport.connect(target, detach),
          command: options,
          script,
          refreshMs: this.#refreshMs,
          hostName: task.host_name,
        });
      }
    }
    if (signal.aborted) return stoppedBeforeStart(signal.reason as StopReason);
    let session: TransportSession;
    try {
      session = await context.transport.connect(target, signal);
    } catch (e: unknown) {
      if (signal.aborted) return stoppedBeforeStart(signal.reason as StopReason);
      return { kind: 'exception', message: coerceError(e).message };
    }
    try {
      return await this.#runOn(session, task.host_name, options, script, context);
    } finally {
      session.release();
    }
  }

  async #runOn(session: TransportSession, hostName: string, options: ScriptCommandOptions, script: string, context: ProviderContext): Promise<TaskOutcome> {
    const { signal } = context;
    let output: RunOutput;
    let command: RemoteCommand;
    try {
      const started = needsTerminal(options)
        ? await this.#startOnTerminal(session, options, script, context)
        : await this.#start(session, options, script, context);
      if ('outcome' in started) return started.outcome;
      ({ output, command } = started);
    } catch (e: unknown) {
      return { kind: 'exception', message: coerceError(e).message };
    }

    let killing: Promise<void> | undefined;
    const onAbort = (): void => {
      const reason = signal.reason as StopReason;
      if (reason === 'shutdown') {
        session.close();
        return;
      }
      killing = killScript(session, options, context, command.exited, () => session.close(), output.pid);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });

    let exit: RemoteExit;
    try {
      exit = await command.exited;
    } catch (e: unknown) {
      output.end();
      if (signal.aborted && signal.reason === 'shutdown') return shutdownOutcome();
      if (output.refusal) return { kind: 'exception', message: output.refusal };
      const message = e instanceof TransportError ? e.message : coerceError(e).message;
      return { kind: 'exception', message: `${message}; the script's exit status is unknown` };
    } finally {
      signal.removeEventListener('abort', onAbort);
      await killing;
    }
    output.end();
    if (!output.started) {
      if (signal.aborted) return stoppedBeforeStart(signal.reason as StopReason);
      if (output.refusal) return { kind: 'exception', message: output.refusal };
      if (runsDirect(options)) {
        return {
          kind: 'exception',
          message: `The remote shell on ${hostName} ended before the script started (exit code ${exit.code ?? exit.signal ?? 'unknown'}); see the error output above`,
        };
      }
      return {
        kind: 'exception',
        message: `Failed to upload the script to ${options.dir} on ${hostName} (exit code ${exit.code ?? exit.signal ?? 'unknown'}); see the error output above`,
      };
    }
    if (exit.code === null) {
      // A direct run's login shell leads the script's process group: the signal ended the script.
      const number = runsDirect(options) ? signalNumber(exit.signal) : undefined;
      if (number !== undefined) return { kind: 'exit', code: 128 + number };
      return { kind: 'exception', message: `The remote shell on ${hostName} ended by signal ${exit.signal ?? 'unknown'}` };
    }
    return { kind: 'exit', code: exit.code };
  }

  /** Starts the wrapper (one channel, no terminal); see `buildRunCommand`. */
  async #start(session: TransportSession, options: ScriptCommandOptions, script: string, context: ProviderContext): Promise<Started> {
    const output = new OutputSplitter(context);
    const run = buildRunCommand(options, script);
    const command = await session.exec(
      run.command,
      {
        onStdout: (chunk) => output.stdout(chunk),
        onStderr: (chunk) => output.stderr(chunk),
      },
      // An embedded script has no stdin: it is closed without an empty data packet.
      { stdin: run.stdin },
    );
    return { output, command };
  }

  /**
   * Uploads the script (a channel without terminal), then runs `su` on a terminal, typing the
   * password when it asks; see `buildTerminalRun`.
   */
  async #startOnTerminal(session: TransportSession, options: ScriptCommandOptions, script: string, context: ProviderContext): Promise<Started> {
    const plan = buildTerminalRun(options, script);
    const setup = await session.exec(
      plan.setup.command,
      {
        onStdout: (chunk) => context.emit('stdout', chunk.toString('utf8')),
        onStderr: (chunk) => context.emit('stderr', chunk.toString('utf8')),
      },
      { stdin: plan.setup.stdin },
    );
    const uploaded = await setup.exited;
    if (uploaded.code !== 0) {
      return {
        outcome: {
          kind: 'exception',
          message: `Failed to upload the script to ${options.dir} (exit code ${uploaded.code ?? uploaded.signal ?? 'unknown'}); see the error output above`,
        },
      };
    }
    // The prompt comes after exec resolved: by then `run.command` is set.
    const run: { command?: RemoteCommand } = {};
    const terminal = new TerminalOutput(options.effectiveUserPassword ?? '', {
      output: (text) => context.emit('stdout', text),
      started: () => context.emit('started', ''),
      type: (text) => run.command?.write(text),
      refused: () => session.close(),
    });
    const command = await session.exec(plan.run, { onStdout: (c) => terminal.feed(c), onStderr: (c) => terminal.feed(c) }, { pty: true });
    run.command = command;
    const output: RunOutput = {
      get started() {
        return terminal.started;
      },
      get refusal() {
        if (!terminal.answered) return undefined;
        const said = terminal.lastLine ? `: ${terminal.lastLine}` : '';
        return `su did not accept the effective user password for ${options.effectiveUser}${said}`;
      },
      end: () => terminal.end(),
    };
    return { output, command };
  }
}

/** The remote commands' options of `task`, with a fresh working dir. */
function commandOptions(task: LaunchTask): ScriptCommandOptions {
  return {
    dir: posix.join(task.remote_working_dir, `remex-${task.task_id}-${randomBytes(6).toString('hex')}`),
    sshUser: task.ssh_user,
    effectiveUser: task.effective_user,
    effectiveUserMethod: task.effective_user_method,
    cleanup: task.cleanup_working_dirs,
    effectiveUserPassword: task.secrets?.effective_user_password,
  };
}

/** What a started script reports about its output. */
interface RunOutput {
  /** Whether the start marker was seen. */
  readonly started: boolean;
  /** Why the effective user switch refused to start the script, when it did. */
  readonly refusal?: string | undefined;
  /** The process group a direct run reported with its start; `undefined` once it is known there is none. */
  readonly pid?: Promise<number | undefined>;
  end(): void;
}

/** A started script, or the outcome when it could not start. */
type Started = { output: RunOutput; command: RemoteCommand } | { outcome: TaskOutcome };

/** The number of a signal named as SSH does (`KILL`) or as Node does (`SIGKILL`). */
function signalNumber(name: string | null): number | undefined {
  if (name === null) return undefined;
  const signals: Record<string, number | undefined> = constants.signals;
  return signals[name.startsWith('SIG') ? name : `SIG${name}`];
}

/** Outcome when the task stopped before its script started. */
function stoppedBeforeStart(reason: StopReason): TaskOutcome {
  if (reason === 'shutdown') return shutdownOutcome();
  if (reason === 'timeout') return { kind: 'exception', message: 'The execution timeout passed before the script started' };
  return { kind: 'exception', message: 'The task was cancelled before the script started' };
}

function shutdownOutcome(): TaskOutcome {
  return { kind: 'exception', message: 'The proxy was stopped while this task was running; its SSH session was closed' };
}
