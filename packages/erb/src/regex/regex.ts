/**
 * @module
 * The regex engine's door: compile a Ruby pattern (bounded size, refused features raise a
 * positioned {@link RegexSyntaxError}) and search it with the linear-time Pike VM. Untrusted
 * patterns never reach JavaScript's backtracking `RegExp`.
 */
import { runProgram } from './pike-vm.ts';
import type { StepMeter } from './pike-vm.ts';
import { compileProgram } from './program.ts';
import type { Program } from './program.ts';
import { parseRegex, RegexSyntaxError } from './syntax.ts';
import type { RegexFlags } from './syntax.ts';

/** Longest pattern source accepted (characters). */
export const MAX_PATTERN_LENGTH = 65_536;

/** A compiled Ruby regular expression. */
export interface CompiledRegex {
  /** Pattern source as written (Ruby's `Regexp#source`). */
  readonly source: string;
  readonly flags: RegexFlags;
  readonly program: Program;
  /** Number of capture groups. */
  readonly groups: number;
  /** Named groups in order, with their numbers. */
  readonly names: readonly (readonly [string, number])[];
}

/** Parse a flag string (`"imx"`; `o` is accepted and ignored). */
export function parseFlags(flags: string): RegexFlags {
  let i = false;
  let m = false;
  let x = false;
  for (let k = 0; k < flags.length; k++) {
    const f = flags[k];
    if (f === 'i') i = true;
    else if (f === 'm') m = true;
    else if (f === 'x') x = true;
    else if (f !== 'o') throw new RegexSyntaxError(`unknown regular expression option '${f ?? ''}'`, -1);
  }
  return { i, m, x };
}

/** Compile `source` with flags; throws {@link RegexSyntaxError}. */
export function compileRegex(source: string, flags: RegexFlags): CompiledRegex {
  if (source.length > MAX_PATTERN_LENGTH) throw new RegexSyntaxError(`regular expression too long (limit ${MAX_PATTERN_LENGTH} characters)`, 0);
  const parsed = parseRegex(source, flags);
  const program = compileProgram(parsed.node, parsed.groups);
  return { source, flags, program, groups: parsed.groups, names: parsed.names };
}

/**
 * Search `input` from `start` (or match exactly at `start` when `anchored`). Returns capture
 * slots `[begin0, end0, begin1, end1, …]` (-1 when a group did not take part) or null.
 */
export function execRegex(re: CompiledRegex, input: string, start: number, meter?: StepMeter, anchored = false): Int32Array | null {
  if (start < 0 || start > input.length) return null;
  return runProgram(re.program, input, start, anchored, meter);
}

/** Ruby's `Regexp.escape`: backslash the metacharacters, spell out control whitespace. */
export function escapeRegex(s: string): string {
  let out = '';
  for (const c of s) {
    switch (c) {
      case '\n': out += '\\n'; break;
      case '\t': out += '\\t'; break;
      case '\r': out += '\\r'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      case ' ': out += '\\ '; break;
      default:
        out += '[]{}()|-*.\\?+^$#'.includes(c) ? `\\${c}` : c;
    }
  }
  return out;
}

/** `Regexp#to_s`: `(?flags-flags:source)`. */
export function regexToS(re: CompiledRegex): string {
  const on = `${re.flags.m ? 'm' : ''}${re.flags.i ? 'i' : ''}${re.flags.x ? 'x' : ''}`;
  const off = `${re.flags.m ? '' : 'm'}${re.flags.i ? '' : 'i'}${re.flags.x ? '' : 'x'}`;
  return `(?${on}${off ? `-${off}` : ''}:${re.source})`;
}

/** `Regexp#inspect`: `/source/flags` (unescaped slashes escaped). */
export function regexInspect(re: CompiledRegex): string {
  let src = '';
  for (let i = 0; i < re.source.length; i++) {
    const c = re.source[i]!;
    if (c === '\\' && i + 1 < re.source.length) {
      src += c + re.source[++i]!;
    } else src += c === '/' ? '\\/' : c;
  }
  return `/${src}/${re.flags.m ? 'm' : ''}${re.flags.i ? 'i' : ''}${re.flags.x ? 'x' : ''}`;
}
