/**
 * @module
 * Pure Foreman helpers shared by the macros: `Foreman::Cast.to_bool`, `indent`, `save_to_file`,
 * `gem_version_compare`, and stripping of the metadata header.
 */
import { ErbRenderError } from '../errors.ts';
import { RubyFloat } from '../values/ruby-value.ts';
import type { RubyValue } from '../values/ruby-value.ts';

/** `Foreman::Cast.to_bool`: true/false for recognised values, null otherwise. */
export function castToBool(v: RubyValue): boolean | null {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof RubyFloat) return v.value !== 0;
  if (typeof v === 'string') {
    if (/^(true|t|yes|y|on|1)$/i.test(v)) return true;
    if (/^\s*$/.test(v) || /^(false|f|no|n|off|0)$/i.test(v)) return false;
    return null;
  }
  return null;
}

/** Foreman `indent(count, skip1:)`: prefix every line of `text` with `count` spaces. */
export function indentText(text: string, count: number, skip1: boolean, maxSize: number): string {
  if (count < 0) throw new ErbRenderError('negative indent');
  const prefix = ' '.repeat(Math.min(count, maxSize));
  let out = '';
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    const line = text.slice(start, end);
    out += lineNo === 0 && skip1 ? line : prefix + line;
    if (out.length > maxSize) throw new ErbRenderError(`string size limit exceeded (${maxSize} characters)`);
    lineNo++;
    start = end;
  }
  return out;
}

/** Foreman `save_to_file(path, content, verbatim: false)`: a heredoc writing the file. */
export function saveToFile(path: string, content: string, verbatim: boolean): string {
  if (content.length === 0) return `cp /dev/null ${path}`;
  const delimiter = verbatim ? "'EOF'" : 'EOF';
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `cat << ${delimiter} > ${path}\n${body}EOF`;
}

/** RubyGems-like version comparison: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    let c: number;
    if (nx && ny) c = Math.sign(Number(x) - Number(y));
    else if (nx) c = 1;
    else if (ny) c = -1;
    else c = x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Remove the leading `<%# … %>` metadata comment the way Foreman's import does
 * (`template.sub(/<%#.+?.-?%>\n?/m, '').strip`).
 */
export function stripTemplateMetadata(source: string): string {
  return source.replace(/<%#[\s\S]+?[\s\S]-?%>\n?/, '').trim();
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Foreman's `format_time`: formats a time (ISO-8601 text; nil → `now`) with a strftime pattern in
 * UTC (Default pattern: `%Y-%m-%d %H:%M:%S %z`). Supported directives: `%Y %y %m %d %e %H %I %M %S
 * %p %j %a %A %b %B %z %Z %s %F %T %%`; others are kept literally.
 * @throws Error when `value` is not a parsable time
 */
export function formatTime(value: string | null, pattern: string, now: Date): string {
  const date = value === null ? now : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`format_time: '${value ?? ''}' is not a time`);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const start = Date.UTC(date.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((date.getTime() - start) / 86_400_000) + 1;
  const h = date.getUTCHours();
  const parts: Record<string, string> = {
    Y: String(date.getUTCFullYear()),
    y: pad(date.getUTCFullYear() % 100),
    m: pad(date.getUTCMonth() + 1),
    d: pad(date.getUTCDate()),
    e: String(date.getUTCDate()).padStart(2, ' '),
    H: pad(h),
    I: pad(h % 12 === 0 ? 12 : h % 12),
    M: pad(date.getUTCMinutes()),
    S: pad(date.getUTCSeconds()),
    p: h < 12 ? 'AM' : 'PM',
    j: pad(dayOfYear, 3),
    a: (DAYS[date.getUTCDay()] ?? '').slice(0, 3),
    A: DAYS[date.getUTCDay()] ?? '',
    b: (MONTHS[date.getUTCMonth()] ?? '').slice(0, 3),
    B: MONTHS[date.getUTCMonth()] ?? '',
    z: '+0000',
    Z: 'UTC',
    s: String(Math.floor(date.getTime() / 1000)),
    '%': '%',
  };
  parts.F = `${parts.Y}-${parts.m}-${parts.d}`;
  parts.T = `${parts.H}:${parts.M}:${parts.S}`;
  return pattern.replace(/%([A-Za-z%])/g, (m, k: string) => parts[k] ?? m);
}
