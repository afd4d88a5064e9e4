/**
 * @module
 * Immutable AST nodes of the Ruby-in-ERB subset. Every node has a `kind` discriminant and the
 * source offsets `begin`/`end` (turned into line:col on error). Build them with {@link mk}.
 */
import type { RubyObject } from '../values/ruby-value.ts';

interface Base {
  readonly begin: number;
  readonly end: number;
}

/** Template text outside tags, appended to the output as is. */
export interface TextNode extends Base { readonly kind: 'text'; readonly value: string }
/** `<%= … %>`: evaluates the statements and appends `to_s` of the last value. */
export interface OutputNode extends Base { readonly kind: 'output'; readonly body: readonly Node[] }
/** A statement sequence used as an expression (parenthesised `(a; b)`, `begin … end`). */
export interface SeqNode extends Base { readonly kind: 'seq'; readonly body: readonly Node[] }
/** `nil` literal. */
export interface NilNode extends Base { readonly kind: 'nil' }
/** `true` / `false`. */
export interface BoolNode extends Base { readonly kind: 'bool'; readonly value: boolean }
/** Integer or Float literal (`float` true for `1.0`). */
export interface NumNode extends Base { readonly kind: 'num'; readonly value: number; readonly float: boolean }
/** String literal without interpolation. */
export interface StrNode extends Base { readonly kind: 'str'; readonly value: string }
/** Interpolated string; parts are literal strings or expression nodes. */
export interface DStrNode extends Base { readonly kind: 'dstr'; readonly parts: readonly (string | Node)[] }
/** Regex literal `/…/flags` / `%r{…}`; `value` is the Regexp built at parse time when there is no interpolation. */
export interface RegexLitNode extends Base { readonly kind: 'regex'; readonly parts: readonly (string | Node)[]; readonly flags: string; readonly value: RubyObject | null }
/** Symbol literal. */
export interface SymNode extends Base { readonly kind: 'sym'; readonly name: string }
/** Interpolated symbol `:"a#{b}"`. */
export interface DSymNode extends Base { readonly kind: 'dsym'; readonly parts: readonly (string | Node)[] }
/** Array literal (also `%w[]`). */
export interface ArrayNode extends Base { readonly kind: 'array'; readonly elements: readonly Node[] }
/** Hash literal or trailing keyword arguments. */
export interface HashNode extends Base { readonly kind: 'hash'; readonly pairs: readonly (readonly [Node, Node])[] }
/** `a..b` / `a...b`. */
export interface RangeNode extends Base { readonly kind: 'range'; readonly from: Node | null; readonly to: Node | null; readonly exclusive: boolean }
/** Local variable read. */
export interface LVarNode extends Base { readonly kind: 'lvar'; readonly name: string }
/** Local variable assignment. */
export interface LAsgnNode extends Base { readonly kind: 'lasgn'; readonly name: string; readonly value: Node }
/** Instance variable read (`@host`). */
export interface IVarNode extends Base { readonly kind: 'ivar'; readonly name: string }
/** Instance variable assignment. */
export interface IAsgnNode extends Base { readonly kind: 'iasgn'; readonly name: string; readonly value: Node }
/** `a += 1`, `a ||= x`, `h[k] ||= []`: target is an lvar, ivar or index node. */
export interface OpAsgnNode extends Base { readonly kind: 'opasgn'; readonly target: LVarNode | IVarNode | CallNode; readonly op: string; readonly value: Node }
/** Method call; `recv === null` is a bare call (macro, kernel function). Indexing is `[]`, index assignment `[]=`. */
export interface CallNode extends Base {
  readonly kind: 'call';
  readonly recv: Node | null;
  readonly name: string;
  readonly args: readonly Node[];
  readonly block: BlockNode | null;
  readonly safeNav: boolean;
}
/** `&:name` block argument. */
export interface BlockPassNode extends Base { readonly kind: 'blockpass'; readonly name: string }
/** Block parameter: a name or a parenthesised destructuring list. */
export type BlockParam = string | readonly BlockParam[];
/** Block `{ |x| … }` / `do |x| … end`, or `&:sym` when `symbol` is set. */
export interface BlockNode extends Base { readonly kind: 'block'; readonly params: readonly BlockParam[]; readonly body: readonly Node[]; readonly symbol: string | null }
/** `a && b` / `a and b`. */
export interface AndNode extends Base { readonly kind: 'and'; readonly left: Node; readonly right: Node }
/** `a || b` / `a or b`. */
export interface OrNode extends Base { readonly kind: 'or'; readonly left: Node; readonly right: Node }
/** `!a` / `not a`. */
export interface NotNode extends Base { readonly kind: 'not'; readonly operand: Node }
/** `if`/`unless`/ternary/modifier; `unless` is stored with then/else swapped. */
export interface IfNode extends Base { readonly kind: 'if'; readonly cond: Node; readonly then: readonly Node[]; readonly else: readonly Node[] }
/** One `when a, b` clause of a case. */
export interface WhenClause { readonly conds: readonly Node[]; readonly body: readonly Node[] }
/** `case … when … else … end` (subject-less case tests truthiness). */
export interface CaseNode extends Base { readonly kind: 'case'; readonly subject: Node | null; readonly whens: readonly WhenClause[]; readonly else: readonly Node[] | null }
/** `while`/`until` loop (also the modifier forms). */
export interface WhileNode extends Base { readonly kind: 'while'; readonly cond: Node; readonly body: readonly Node[]; readonly until: boolean }
/** `for x in list … end` (variables stay visible after the loop, as in Ruby). */
export interface ForNode extends Base { readonly kind: 'for'; readonly vars: readonly string[]; readonly iter: Node; readonly body: readonly Node[] }
/** `break [value]`. */
export interface BreakNode extends Base { readonly kind: 'break'; readonly value: Node | null }
/** `next [value]`. */
export interface NextNode extends Base { readonly kind: 'next'; readonly value: Node | null }
/** Allowed class-name constant (`String`, `Integer`, …) usable with `is_a?` and `case/when`. */
export interface ConstNode extends Base { readonly kind: 'const'; readonly name: string }

/** Any AST node. */
export type Node =
  | TextNode | OutputNode | SeqNode | NilNode | BoolNode | NumNode | StrNode | DStrNode | RegexLitNode | SymNode | DSymNode
  | ArrayNode | HashNode | RangeNode | LVarNode | LAsgnNode | IVarNode | IAsgnNode | OpAsgnNode | CallNode
  | BlockPassNode | AndNode | OrNode | NotNode | IfNode | CaseNode | WhileNode | ForNode | BreakNode | NextNode
  | ConstNode | BlockNode;

/** The root of a parsed template. */
export interface ProgramNode extends Base { readonly kind: 'program'; readonly body: readonly Node[] }

/** Companion factory: builds and freezes a node. */
export function mk<N extends Node | ProgramNode>(node: N): N {
  return Object.freeze(node);
}
