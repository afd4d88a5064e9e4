/**
 * @module
 * The remote shell text of the script provider. One exec channel per task does everything
 * (POSIX sh, run by the SSH user's login shell). The script itself always travels on the
 * channel's stdin, never in the command: the command is the login shell's argument, which any
 * local user of the host can read in the process list for as long as the task runs.
 *
 * **Direct run** ({@link runsDirect}: no effective user switch, working dirs cleaned up; ADR
 * 0026): the script's interpreter reads it from the channel (`/dev/fd/3`). No file, and no
 * process on the host but the login shell and the interpreter:
 *
 * ```sh
 * printf '%s %s\n' '@@REMEX-STARTED@@' "$$"   # → the `started` event; sshd made $$ a process group leader, the kill's target
 * trap : TERM                                  # a kill ends the script; this shell stays to report its status
 * exec 3<&0                                    # the channel (an async list's stdin would be /dev/null)
 * '/bin/bash' /dev/fd/3 </dev/null &           # the script's stdin is /dev/null, as below
 *                                              # (through `cat |` when the channel is a socket, not a pipe)
 * p=$!; exec 3<&-
 * while :; do { wait "$p"; rc=$?; } 2>/dev/null; kill -0 "$p" 2>/dev/null || break; done   # a trapped TERM ends `wait` early
 * exit "$rc"
 * ```
 *
 * **Run from a working dir** (a user switch, or `cleanup_working_dirs` off so the script stays
 * on the host to be looked at):
 *
 * ```sh
 * umask 077
 * d='/var/tmp/remex-42-1a2b3c4d5e6f'
 * mkdir -m 700 "$d" || exit 1                        # fails if it exists: no symlink games
 * cat > "$d/script" || { rm -rf "$d"; exit 1; }      # the script, from stdin
 * # only when the effective user differs: let it traverse the dir and read the script
 * { setfacl -m u:'app':x "$d" && setfacl -m u:'app':r "$d/script"; } 2>/dev/null \
 *   || { chmod 711 "$d" && chmod 644 "$d/script"; } || { rm -rf "$d"; exit 1; }
 * printf '%s\n' '@@REMEX-STARTED@@'                 # → the `started` event
 * if command -v setsid >/dev/null 2>&1; then setsid sudo -n -u 'app' -- '/bin/bash' "$d/script" </dev/null &
 * else sudo -n -u 'app' -- '/bin/bash' "$d/script" </dev/null & fi
 * p=$!; echo "$p" > "$d/pid"                         # process group leader, for kill
 * { wait "$p"; rc=$?; } 2>/dev/null                # no "Killed setsid …" job report of the shell
 * rm -rf "$d"                                        # when cleanup_working_dirs
 * exit "$rc"
 * ```
 *
 * The script is run through the interpreter named by its own `#!` line (split as the kernel
 * does: interpreter plus at most one argument; `/bin/sh` without one) instead of being made
 * executable: that saves a `chmod` per task and also works where the working dir is mounted
 * `noexec`.
 *
 * Kill (timeout and cancel) runs on a second channel of the same connection and sends SIGTERM
 * to the script's process group: the pid the direct run reported, or the one in the working
 * dir's pid file (as the effective user when it differs, since only it may signal the script's
 * processes).
 */
import type { EffectiveUserMethod } from '@remex/common';

/** The line the wrapper prints on stdout right before it starts the script. */
export const STARTED_MARKER = '@@REMEX-STARTED@@\n';

/** Inputs of {@link buildRunCommand} and {@link buildKillCommand}. */
export interface ScriptCommandOptions {
  /** Per-task remote directory, `<remote_working_dir>/remex-<task_id>-<random>`. */
  dir: string;
  sshUser: string;
  effectiveUser: string;
  effectiveUserMethod: EffectiveUserMethod;
  cleanup: boolean;
  /**
   * The effective user's password, answered to the password prompt. For sudo and dzdo it
   * travels as the first line of the channel's stdin and reaches `sudo -S` through a pipe from
   * the shell's `printf` builtin; for su it is typed on a terminal when su asks
   * ({@link buildTerminalRun}). Either way it is never on the target's disk, in a process list
   * or in the output.
   */
  effectiveUserPassword?: string | undefined;
}

/**
 * Quotes `value` for POSIX sh.
 * @internal
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * True when the script must run through sudo/su/dzdo.
 * @internal
 */
export function switchesUser(o: ScriptCommandOptions): boolean {
  return o.effectiveUser !== o.sshUser;
}

/**
 * Whether the switch answers a password prompt (a password given, and sudo or dzdo).
 * @internal
 */
export function answersPassword(o: ScriptCommandOptions): boolean {
  return switchesUser(o) && o.effectiveUserPassword !== undefined && o.effectiveUserPassword !== '' && o.effectiveUserMethod !== 'su';
}

/**
 * The password prompt answered: the password read into `$pw` fed to `sudo -S` / `dzdo -S`.
 * @internal
 */
export const PASSWORD_PIPE = `printf '%s\n' "$pw" |`;

/**
 * Prefix that runs a command as the effective user (empty when no switch is needed).
 * @internal
 */
export function userSwitch(o: ScriptCommandOptions, command: string): string {
  if (!switchesUser(o)) return command;
  const user = shellQuote(o.effectiveUser);
  const withPassword = answersPassword(o);
  switch (o.effectiveUserMethod) {
    case 'sudo':
      return withPassword ? `sudo -S -p '' -u ${user} -- ${command}` : `sudo -n -u ${user} -- ${command}`;
    case 'dzdo':
      return withPassword ? `dzdo -S -p '' -u ${user} -- ${command}` : `dzdo -u ${user} -- ${command}`;
    case 'su':
      return `su - ${user} -c ${shellQuote(command)}`;
  }
}

/** What to send: the command, and the bytes for its stdin. */
export interface RunCommand {
  command: string;
  stdin: Buffer;
}

/**
 * The interpreter line of a script, split as Linux does for `#!`: the interpreter and at most
 * one argument (the rest of the line). `/bin/sh` when the script has no `#!` line.
 * @internal
 */
export function interpreterOf(script: string): string[] {
  if (!script.startsWith('#!')) return ['/bin/sh'];
  const newline = script.indexOf('\n');
  const line = script.slice(2, newline === -1 ? undefined : newline).trim();
  const match = /^(\S+)(?:\s+(.*\S))?/.exec(line);
  if (!match?.[1]) return ['/bin/sh'];
  return match[2] ? [match[1], match[2]] : [match[1]];
}

/**
 * Whether the task must run on a terminal: `su` with a password (su reads it only from a
 * terminal; sudo and dzdo take it on a pipe with `-S`).
 */
export function needsTerminal(o: ScriptCommandOptions): boolean {
  return switchesUser(o) && o.effectiveUserMethod === 'su' && o.effectiveUserPassword !== undefined && o.effectiveUserPassword !== '';
}

/**
 * Whether the script runs through `su`, whose child shell writes the pid file itself.
 * @internal
 */
export function throughSu(o: ScriptCommandOptions): boolean {
  return switchesUser(o) && o.effectiveUserMethod === 'su';
}

/**
 * What `su -c` runs: records its own pid (su's child leads a session of its own, so that pid
 * is the script's process group) and replaces itself with the script's interpreter.
 * @internal
 */
export function suInner(o: ScriptCommandOptions, script: string, marker: boolean): string {
  const interpreter = interpreterOf(script).map(shellQuote).join(' ');
  return [
    `echo $$ > ${shellQuote(`${o.dir}/pid`)}`,
    ...(marker ? [`printf '%s\\n' '${STARTED_MARKER.trim()}'`] : []),
    `exec ${interpreter} ${shellQuote(`${o.dir}/script`)}`,
  ].join(' && ');
}

/**
 * The upload part of the wrapper: working dir, script, pid file and their permissions.
 * @internal
 */
export function uploadLines(o: ScriptCommandOptions, script: string): { lines: string[]; stdin: Buffer } {
  const bail = o.cleanup ? '{ rm -rf "$d"; exit 1; }' : 'exit 1';
  const lines = ['umask 077', `d=${shellQuote(o.dir)}`, 'mkdir -m 700 "$d" || exit 1', `cat > "$d/script" || ${bail}`];
  if (switchesUser(o)) {
    const user = shellQuote(o.effectiveUser);
    // Through su the effective user writes the pid file; otherwise it only reads the script.
    const su = throughSu(o);
    if (su) lines.push(`: > "$d/pid" || ${bail}`);
    const acl = [`setfacl -m u:${user}:x "$d"`, `setfacl -m u:${user}:r "$d/script"`, ...(su ? [`setfacl -m u:${user}:rw "$d/pid"`] : [])];
    const modes = ['chmod 711 "$d"', 'chmod 644 "$d/script"', ...(su ? ['chmod 666 "$d/pid"'] : [])];
    lines.push(`{ ${acl.join(' && ')}; } 2>/dev/null || { ${modes.join(' && ')}; } || ${bail}`);
  }
  return { lines, stdin: Buffer.from(script, 'utf8') };
}

/**
 * Whether the script runs straight from the channel, without a working dir (see the module
 * comment): the SSH user is the effective user and the working dir would be removed anyway.
 */
export function runsDirect(o: ScriptCommandOptions): boolean {
  return !switchesUser(o) && o.cleanup;
}

/** The direct run (see the module comment). */
function buildDirectRun(script: string): RunCommand {
  const interpreter = interpreterOf(script).map(shellQuote).join(' ');
  const lines = [
    `printf '%s %s\\n' '${STARTED_MARKER.trim()}' "$$"`,
    'trap : TERM',
    // An asynchronous list's stdin is /dev/null before its own redirections: take the channel first.
    'exec 3<&0',
    // A socket (some SSH servers' stdin) cannot be opened by its /dev/fd path: a pipe can.
    `if [ -S /dev/fd/3 ]; then cat <&3 | ${interpreter} /dev/fd/4 4<&0 </dev/null & else ${interpreter} /dev/fd/3 </dev/null & fi`,
    'p=$!',
    'exec 3<&-',
    'while :; do { wait "$p"; rc=$?; } 2>/dev/null; kill -0 "$p" 2>/dev/null || break; done',
    'exit "$rc"',
  ];
  return { command: lines.join('\n'), stdin: Buffer.from(script, 'utf8') };
}

/**
 * The kill of a direct run: `signal` to the process group `pid` (the login shell's, reported
 * with the start marker), falling back to that process alone.
 */
export function buildDirectKill(pid: number, signal: 'TERM' | 'KILL' = 'TERM'): string {
  return `kill -s ${signal} -- -${pid} 2>/dev/null || kill -s ${signal} -- ${pid}`;
}

/**
 * The command that runs the script: directly ({@link runsDirect}) or from a working dir it
 * uploads to, runs from and cleans up (see the module comment).
 * @param script - the script text (carriage returns already removed)
 */
export function buildRunCommand(o: ScriptCommandOptions, script: string): RunCommand {
  if (runsDirect(o)) return buildDirectRun(script);
  const password = answersPassword(o);
  const upload = uploadLines(o, script);
  const lines = [
    // The password is the first line of stdin (never in the command line, which `ps` shows).
    ...(password ? ['IFS= read -r pw || exit 1'] : []),
    ...upload.lines,
  ];
  const interpreter = interpreterOf(script).map(shellQuote).join(' ');
  // The su method hands the command line to a new shell: give it literal paths there.
  const run = throughSu(o) ? `su - ${shellQuote(o.effectiveUser)} -c ${shellQuote(suInner(o, script, false))}` : userSwitch(o, `${interpreter} "$d/script"`);
  lines.push(
    `printf '%s\\n' '${STARTED_MARKER.trim()}'`,
    password
      ? `if command -v setsid >/dev/null 2>&1; then ${PASSWORD_PIPE} setsid ${run} & else ${PASSWORD_PIPE} ${run} & fi`
      : `if command -v setsid >/dev/null 2>&1; then setsid ${run} </dev/null & else ${run} </dev/null & fi`,
    'p=$!',
    ...(password ? ['pw='] : []),
    // Through su, the script's own shell has written its pid.
    ...(throughSu(o) ? [] : ['echo "$p" > "$d/pid"']),
    // The shell reports a job killed by a signal ("… Killed setsid '/bin/sh' …") on its stderr
    // while it waits: that line is the wrapper's, not the script's output.
    '{ wait "$p"; rc=$?; } 2>/dev/null',
  );
  if (o.cleanup) lines.push('rm -rf "$d"');
  lines.push('exit "$rc"');
  const head = password ? Buffer.from(`${o.effectiveUserPassword ?? ''}\n`, 'utf8') : Buffer.alloc(0);
  return { command: lines.join('\n'), stdin: Buffer.concat([head, upload.stdin]) };
}

/**
 * The two commands of a task run through `su` with a password ({@link needsTerminal}): `setup`
 * (no terminal: uploads the script, as {@link buildRunCommand} does) and `run`, for a terminal:
 * turns echo off, runs `su` in the foreground (its password prompt is answered by the proxy over
 * the terminal, see `terminal-output.ts`); the start marker comes from su's child, once su
 * accepted the password.
 */
export function buildTerminalRun(o: ScriptCommandOptions, script: string): { setup: RunCommand; run: string } {
  const upload = uploadLines(o, script);
  const run = [
    'stty -echo -onlcr 2>/dev/null',
    `d=${shellQuote(o.dir)}`,
    `LC_ALL=C su - ${shellQuote(o.effectiveUser)} -c ${shellQuote(suInner(o, script, true))}`,
    'rc=$?',
    ...(o.cleanup ? ['rm -rf "$d"'] : []),
    'exit "$rc"',
  ];
  return { setup: { command: [...upload.lines, 'exit 0'].join('\n'), stdin: upload.stdin }, run: run.join('\n') };
}

/**
 * Sends `signal` (SIGTERM by default) to the script's process group, falling back to the leader
 * alone. Waits up to ~5 s for the pid file when the script is only about to start. With an
 * effective user password, the password is its stdin (sudo, dzdo) or is answered on the
 * terminal the command then needs (su, {@link needsTerminal}).
 */
export function buildKillCommand(o: ScriptCommandOptions, signal: 'TERM' | 'KILL' = 'TERM'): RunCommand {
  // `kill -s TERM -- -<pgid>` is the POSIX spelling that dash, bash and /bin/kill all accept.
  const password = answersPassword(o);
  const group = `kill -s ${signal} -- "-$p" 2>/dev/null || kill -s ${signal} -- "$p"`;
  const lines = [
    ...(password ? ['IFS= read -r pw || exit 1'] : []),
    `d=${shellQuote(o.dir)}`,
    'i=0',
    'while [ ! -s "$d/pid" ] && [ "$i" -lt 50 ]; do sleep 0.1 2>/dev/null || sleep 1; i=$((i+1)); done',
    'p=$(cat "$d/pid" 2>/dev/null) || exit 0',
    '[ -n "$p" ] || exit 0',
  ];
  if (throughSu(o)) {
    // `$p` expands in this shell: su's shell gets the number (one su call: one password prompt).
    if (needsTerminal(o)) lines.push('stty -echo -onlcr 2>/dev/null');
    lines.push(`LC_ALL=C su - ${shellQuote(o.effectiveUser)} -c "${group.replace(/"/g, '')}"`);
  } else {
    const kill = (target: string): string => `${password ? `${PASSWORD_PIPE} ` : ''}${userSwitch(o, `kill -s ${signal} ${target}`)}`;
    lines.push(`${kill('-- "-$p"')} 2>/dev/null || ${kill('-- "$p"')}`);
  }
  return { command: lines.join('\n'), stdin: password ? Buffer.from(`${o.effectiveUserPassword ?? ''}\n`, 'utf8') : Buffer.alloc(0) };
}
