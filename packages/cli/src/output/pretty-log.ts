/**
 * @module
 * Human-readable log lines for a terminal: the server's and the proxy's pino JSON lines become
 * `12:03:04 INFO  message  key=value …` (pino-pretty style), an error's stack indented below.
 * Anything that is not a pino line passes unchanged. `REMEX_LOG_FORMAT=json` keeps JSON on a
 * terminal, `REMEX_LOG_FORMAT=pretty` formats for a pipe too.
 */
import type { TextSink } from '../cli/cli-io.ts';

const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Keys every pino line has, or that say nothing on a terminal. */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'v', 'reqId', 'err']);

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s="]/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

/**
 * One pino JSON line in human form, or `line` itself when it is not one.
 * @param line - one line without its newline
 */
export function prettyLogLine(line: string): string {
  if (!line.startsWith('{"level":')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '--:--:--';
  const level = (typeof entry.level === 'number' ? LEVELS[entry.level] : undefined) ?? String(entry.level);
  const extras = Object.entries(entry)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${value(v)}`);
  const err = entry.err as { message?: unknown; stack?: unknown } | undefined;
  const stack = typeof err?.stack === 'string' ? `\n    ${err.stack.split('\n').join('\n    ')}` : typeof err?.message === 'string' ? ` (${err.message})` : '';
  const msg = typeof entry.msg === 'string' ? entry.msg : '';
  return `${time} ${level.padEnd(5)} ${msg}${extras.length > 0 ? `  ${extras.join(' ')}` : ''}${stack}`;
}

/** Whether log lines going to `sink` are formatted (`REMEX_LOG_FORMAT`, else: when it is a terminal). */
export function wantsPrettyLogs(sink: TextSink, env: Readonly<Record<string, string | undefined>>): boolean {
  const format = env.REMEX_LOG_FORMAT;
  if (format === 'json') return false;
  if (format === 'pretty') return true;
  return sink.isTTY === true;
}

/** A sink that formats each whole line written to `sink` with {@link prettyLogLine}. */
export function prettyLogSink(sink: TextSink): TextSink {
  return {
    isTTY: sink.isTTY,
    write(text: string): void {
      sink.write(text.split('\n').map(prettyLogLine).join('\n'));
    },
  };
}
