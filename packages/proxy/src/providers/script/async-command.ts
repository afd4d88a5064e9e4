/**
 * @module
 * The remote shell text of async SSH (manual §4.6, in Remex's own form): the script runs detached
 * from the SSH session, its output and exit status go to files in its working dir, and the proxy
 * reads them on from offsets it stores, over as many sessions (and proxy processes) as it takes.
 *
 * Start (one channel, returns at once):
 *
 * ```sh
 * <upload as for an attached run: working dir, script, permissions>
 * : > "$d/out" && : > "$d/err"
 * w='trap : TERM; <run as the effective user> >"$d/out" 2>"$d/err"; echo "$?" >"$d/rc.new"; mv "$d/rc.new" "$d/rc"'
 * d="$d" setsid sh -c "$w" </dev/null >/dev/null 2>&1 &     # a session of its own: survives the SSH session
 * echo "$!" > "$d/wpid"; echo "$!" > "$d/pid"               # the wrapper (alive?), the process group (kill)
 * ```
 *
 * The wrapper catches SIGTERM (a handler, not an ignore, so the script still gets the default
 * action) and so records the script's status after a kill; `rc` appears whole (rename).
 *
 * Retrieve (one channel per read) prints `REMEX-ASYNC <out bytes> <err bytes> <status>` and then
 * those bytes of `out` and `err` from the given offsets, where status is `RUNNING`, `DONE <rc>`,
 * `LOST` (the wrapper is gone without a status: killed), `NOTSTARTED` (no wrapper was started)
 * or `GONE` (no working dir). The status is read before the sizes, so `DONE` comes with all of
 * the output.
 */
import { RemoteCommandError } from './async-errors.ts';
import {
  answersPassword,
  interpreterOf,
  PASSWORD_PIPE,
  type RunCommand,
  type ScriptCommandOptions,
  shellQuote,
  suInner,
  throughSu,
  uploadLines,
  userSwitch,
} from './script-command.ts';

/** The line the start command prints once the detached script is on its way. */
export const ASYNC_STARTED = 'REMEX-ASYNC-STARTED';

/** Most bytes of each stream one retrieve reads. */
export const MAX_READ_BYTES = 1024 * 1024;

/**
 * The command that uploads the script and starts it detached (see the module comment). With an
 * effective user password (sudo, dzdo) the password is the first line of stdin, as for an
 * attached run; su with a password needs a terminal and is not run detached.
 */
export function buildAsyncStart(o: ScriptCommandOptions, script: string): RunCommand {
  const password = answersPassword(o);
  const upload = uploadLines(o, script);
  const bail = o.cleanup ? '{ rm -rf "$d"; exit 1; }' : 'exit 1';
  const interpreter = interpreterOf(script).map(shellQuote).join(' ');
  const run = throughSu(o) ? `su - ${shellQuote(o.effectiveUser)} -c ${shellQuote(suInner(o, script, false))}` : userSwitch(o, `${interpreter} "$d/script"`);
  const wrapper = `trap : TERM; ${run} >"$d/out" 2>"$d/err"; echo "$?" >"$d/rc.new"; mv "$d/rc.new" "$d/rc"`;
  const lines = [
    ...(password ? ['IFS= read -r pw || exit 1'] : []),
    ...upload.lines,
    `: > "$d/out" && : > "$d/err" || ${bail}`,
    `w=${shellQuote(wrapper)}`,
    'if command -v setsid >/dev/null 2>&1; then s=setsid; else s=; fi',
    password ? `${PASSWORD_PIPE} d="$d" $s sh -c "$w" >/dev/null 2>&1 &` : 'd="$d" $s sh -c "$w" </dev/null >/dev/null 2>&1 &',
    'echo "$!" > "$d/wpid"',
    // Through su, su's child writes the pid of the script's own session.
    ...(throughSu(o) ? [] : ['echo "$!" > "$d/pid"']),
    ...(password ? ['pw='] : []),
    `printf '%s\\n' '${ASYNC_STARTED}'`,
    'exit 0',
  ];
  const head = password ? Buffer.from(`${o.effectiveUserPassword ?? ''}\n`, 'utf8') : Buffer.alloc(0);
  return { command: lines.join('\n'), stdin: Buffer.concat([head, upload.stdin]) };
}

/** The command that reports the status and the output after `outOffset`/`errOffset`. */
export function buildRetrieve(dir: string, outOffset: number, errOffset: number, maxBytes = MAX_READ_BYTES): string {
  const count = (file: string, offset: number, name: string): string[] => [
    `${name}=$(($(wc -c < "$d/${file}" 2>/dev/null || echo 0) - ${offset}))`,
    `[ "$${name}" -gt ${maxBytes} ] && ${name}=${maxBytes}`,
    `[ "$${name}" -lt 0 ] && ${name}=0`,
  ];
  const read = (file: string, offset: number, name: string): string =>
    `[ "$${name}" -gt 0 ] && tail -c +${offset + 1} "$d/${file}" | head -c "$${name}"`;
  return [
    `d=${shellQuote(dir)}`,
    `[ -d "$d" ] || { printf '%s\\n' 'REMEX-ASYNC 0 0 GONE'; exit 0; }`,
    'p=$(cat "$d/wpid" 2>/dev/null)',
    'if [ -s "$d/rc" ]; then s="DONE $(cat "$d/rc")"',
    'elif [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then s=RUNNING',
    // It may have ended between the two checks.
    'elif [ -s "$d/rc" ]; then s="DONE $(cat "$d/rc")"',
    'elif [ -z "$p" ]; then s=NOTSTARTED',
    'else s=LOST; fi',
    ...count('out', outOffset, 'no'),
    ...count('err', errOffset, 'ne'),
    `printf 'REMEX-ASYNC %s %s %s\\n' "$no" "$ne" "$s"`,
    read('out', outOffset, 'no'),
    read('err', errOffset, 'ne'),
    'exit 0',
  ].join('\n');
}

/** The command that removes the working dir of a finished detached run. */
export function buildAsyncCleanup(dir: string): string {
  return `rm -rf ${shellQuote(dir)}`;
}

/** What one retrieve reported. */
export interface Retrieved {
  status: 'RUNNING' | 'DONE' | 'LOST' | 'NOTSTARTED' | 'GONE';
  /** The script's exit code, with `DONE`. */
  code?: number;
  out: Buffer;
  err: Buffer;
}

/**
 * Parses the output of {@link buildRetrieve}.
 * @throws RemoteCommandError when it is not what the command prints (another shell's noise, a cut read)
 */
export function parseRetrieve(raw: Buffer): Retrieved {
  const newline = raw.indexOf(0x0a);
  const header = newline === -1 ? '' : raw.subarray(0, newline).toString('latin1');
  const match = /^REMEX-ASYNC (\d+) (\d+) (RUNNING|LOST|NOTSTARTED|GONE|DONE (\d+))$/.exec(header);
  if (!match) throw new RemoteCommandError(`unexpected answer while reading the script's output: ${JSON.stringify(raw.subarray(0, 200).toString('utf8'))}`);
  const outLength = Number(match[1]);
  const errLength = Number(match[2]);
  const body = raw.subarray(newline + 1);
  if (body.length !== outLength + errLength) {
    throw new RemoteCommandError(`read ${body.length} bytes of the script's output where ${outLength + errLength} were announced`);
  }
  const status = (match[4] === undefined ? match[3] : 'DONE') as Retrieved['status'];
  return {
    status,
    ...(match[4] !== undefined ? { code: Number(match[4]) } : {}),
    out: body.subarray(0, outLength),
    err: body.subarray(outLength),
  };
}

/**
 * How many bytes of `chunk` end on a whole UTF-8 character: a character cut by the end of a read
 * is left for the next read, so that text is never split into two events nor lost at a restart.
 */
export function wholeUtf8Length(chunk: Buffer): number {
  // Walk back over at most 3 continuation bytes to the lead byte of the last character.
  let i = chunk.length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && ((chunk[i] ?? 0) & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return chunk.length;
  const lead = chunk[i] ?? 0;
  const needed = lead >= 0xf8 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return continuation + 1 < needed ? i : chunk.length;
}
