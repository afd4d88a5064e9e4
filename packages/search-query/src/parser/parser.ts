/**
 * @module
 * LL(1) recursive-descent parser for the scoped_search 4.3 grammar:
 *
 * ```
 * query      := expr*                               juxtaposition = AND
 * expr       := logical (("and"|"or") expr)?        right-recursive, no precedence between and/or
 * logical    := "(" expr* ")" | "not" negated | ("set?"|"null?") value | comparison
 * negated    := "not" negated | "(" expr* ")" | comparison
 * comparison := value [cmp_op value] | cmp_op value | ("^"|"!^") "(" value ("," value)* ")"
 * ```
 *
 * Trailing operator tokens are dropped (`name =` is the bare word `name`), as scoped_search does.
 * Unlike scoped_search, unbalanced parentheses are reported (with the position of the culprit)
 * instead of being silently ignored, and hard limits on length and nesting protect the server.
 */
import { SearchSyntaxError } from '../errors/search-errors.ts';
import type { SourceSpan } from '../errors/search-errors.ts';
import {
  AndNode, ComparisonNode, EmptyNode, NotNode, OrNode, PresenceNode, QueryValue, TermNode,
} from '../ast/nodes.ts';
import type { QueryNode } from '../ast/nodes.ts';
import { tokenize } from '../lexer/lexer.ts';
import { isComparisonOperator } from '../lexer/token.ts';
import type { QueryLimits } from './query-limits.ts';
import { DEFAULT_QUERY_LIMITS, checkQueryLimits } from './query-limits.ts';
import type { ComparisonOperator, SymbolToken, Token, ValueToken } from '../lexer/token.ts';

/** Limits applied by {@link parseQuery}. */
export interface ParseOptions {
  /** Maximum query length in characters. (Default: 50 000; `name ^ (…)` lists of host names get long.) */
  readonly maxLength?: number;
  /** Maximum nesting of parentheses, `not` and alternating and/or in the tree. (Default: 64.) */
  readonly maxDepth?: number;
  /** Limits on conditions, list sizes and value lengths. (Default: {@link DEFAULT_QUERY_LIMITS}.) */
  readonly limits?: Partial<QueryLimits>;
}

/** Default for {@link ParseOptions.maxLength}. */
export const DEFAULT_MAX_LENGTH = 50_000;
/** Default for {@link ParseOptions.maxDepth}. */
export const DEFAULT_MAX_DEPTH = 64;

const WORD_KEYWORD = /^[a-z?]+$/i;

function describe(token: Token | undefined): string {
  if (token === undefined) return 'the end of the query';
  return token.type === 'value' ? `'${token.text}'` : `'${token.raw}'`;
}

function spanOf(first: { span: SourceSpan } | Token, last: { span: SourceSpan } | Token): SourceSpan {
  const b = 'span' in first ? first.span.begin : first.begin;
  const e = 'span' in last ? last.span.end : last.end;
  return { begin: b, end: e };
}

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly depths = new WeakMap<QueryNode, number>();
  private readonly tokens: readonly Token[];
  private readonly input: string;
  private readonly maxDepth: number;

  constructor(tokens: readonly Token[], input: string, maxDepth: number) {
    this.tokens = tokens;
    this.input = input;
    this.maxDepth = maxDepth;
  }

  parse(): QueryNode {
    const node = this.sequence(null);
    return node;
  }

  // ---- token helpers -------------------------------------------------------------------------

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private next(): Token {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw new Error('parser read past the end');
    return t;
  }

  private isSymbol(token: Token | undefined, ...symbols: string[]): boolean {
    return token !== undefined && token.type === 'symbol' && symbols.includes(token.symbol);
  }

  private error(message: string, span: SourceSpan): SearchSyntaxError {
    return new SearchSyntaxError(message, span, { query: this.input });
  }

  private endSpan(): SourceSpan {
    return { begin: this.input.length, end: this.input.length };
  }

  private spanOfToken(token: Token | undefined): SourceSpan {
    return token === undefined ? this.endSpan() : { begin: token.begin, end: token.end };
  }

  private enter(at: SourceSpan): void {
    this.depth++;
    if (this.depth > this.maxDepth) {
      throw this.error(`Query is nested too deeply (more than ${this.maxDepth} levels)`, at);
    }
  }

  private leave(): void {
    this.depth--;
  }

  private depthOf(node: QueryNode): number {
    return this.depths.get(node) ?? 1;
  }

  private track<N extends QueryNode>(node: N, depth: number): N {
    if (depth > this.maxDepth) {
      throw this.error(`Query is nested too deeply (more than ${this.maxDepth} levels)`, node.span);
    }
    this.depths.set(node, depth);
    return node;
  }

  /** Builds an and/or node, flattening children of the same kind and dropping empty ones. */
  private combine(kind: 'and' | 'or', parts: readonly QueryNode[], span?: SourceSpan): QueryNode {
    const children: QueryNode[] = [];
    let depth = 0;
    for (const part of parts) {
      if (part.kind === 'empty') continue;
      const flat = part.kind === kind ? part.children : [part];
      for (const c of flat) {
        children.push(c);
        depth = Math.max(depth, this.depthOf(c));
      }
    }
    if (children.length === 0) return EmptyNode.create(span ?? (parts[0]?.span ?? this.endSpan()));
    if (children.length === 1) return children[0]!;
    const whole = span ?? spanOf(children[0]!, children[children.length - 1]!);
    const node = kind === 'and' ? AndNode.create(children, whole) : OrNode.create(children, whole);
    return this.track(node, depth + 1);
  }

  // ---- grammar -------------------------------------------------------------------------------

  /** `expr*` until the end (root) or the `)` matching `open`. */
  private sequence(open: SymbolToken | null): QueryNode {
    const items: QueryNode[] = [];
    for (;;) {
      const t = this.peek();
      if (t === undefined) {
        if (open !== null) {
          throw this.error(`Unbalanced parentheses: '(' at position ${open.begin + 1} is never closed`, this.spanOfToken(open));
        }
        break;
      }
      if (this.isSymbol(t, 'rparen')) {
        if (open === null) {
          throw this.error(`Unbalanced parentheses: ')' at position ${t.begin + 1} has no matching '('`, this.spanOfToken(t));
        }
        break;
      }
      items.push(this.logical());
    }
    if (open === null) {
      const span = items.length > 0 ? spanOf(items[0]!, items[items.length - 1]!) : this.endSpan();
      return this.combine('and', items, span);
    }
    const close = this.next();
    return this.combine('and', items, { begin: open.begin, end: close.end });
  }

  private parenthesised(): QueryNode {
    const open = this.next() as SymbolToken;
    this.enter(this.spanOfToken(open));
    const node = this.sequence(open);
    this.leave();
    return node;
  }

  /** `logical (("and"|"or") logical)*`, folded to the right as scoped_search does. */
  private logical(): QueryNode {
    const items: QueryNode[] = [this.primary()];
    const ops: Array<'and' | 'or'> = [];
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.type !== 'symbol' || (t.symbol !== 'and' && t.symbol !== 'or')) break;
      this.pos++;
      const after = this.peek();
      if (after === undefined || this.isSymbol(after, 'rparen')) {
        throw this.error(`Expected an expression after '${t.raw}' but found ${describe(after)}`, this.spanOfToken(t));
      }
      ops.push(t.symbol);
      items.push(this.primary());
    }
    // Right fold `a op0 (b op1 (c …))`, collecting runs of the same operator in one node so a
    // long `a and b and c …` chain costs linear time.
    let run: QueryNode[] = [items[items.length - 1]!];
    let runOp: 'and' | 'or' | null = null;
    for (let i = ops.length - 1; i >= 0; i--) {
      const op = ops[i]!;
      if (runOp !== null && op !== runOp) {
        run = [this.combine(runOp, run.reverse())];
      }
      runOp = op;
      run.push(items[i]!);
    }
    return runOp === null ? run[0]! : this.combine(runOp, run.reverse());
  }

  /** A logical operand; leading `and`/`or` tokens are skipped as scoped_search does. */
  private primary(): QueryNode {
    let skipped: SymbolToken | null = null;
    while (this.isSymbol(this.peek(), 'and', 'or')) skipped = this.next() as SymbolToken;
    const t = this.peek();
    if (skipped !== null && (t === undefined || this.isSymbol(t, 'rparen'))) {
      throw this.error(`Expected an expression after '${skipped.raw}' but found ${describe(t)}`, this.spanOfToken(skipped));
    }
    if (this.isSymbol(t, 'lparen')) return this.parenthesised();
    if (this.isSymbol(t, 'not')) return this.negation();
    if (this.isSymbol(t, 'set', 'null')) return this.presence();
    return this.comparison();
  }

  private negation(): QueryNode {
    const not = this.next() as SymbolToken;
    this.enter(this.spanOfToken(not));
    const t = this.peek();
    let operand: QueryNode;
    if (t === undefined) {
      throw this.error(`Expected an expression after '${not.raw}'`, this.spanOfToken(not));
    } else if (this.isSymbol(t, 'not')) {
      operand = this.negation();
    } else if (this.isSymbol(t, 'lparen')) {
      operand = this.parenthesised();
    } else {
      operand = this.comparison();
    }
    this.leave();
    if (operand.kind === 'empty') {
      throw this.error(`No operands found after '${not.raw}'`, { begin: not.begin, end: operand.span.end });
    }
    return this.track(NotNode.create(operand, { begin: not.begin, end: operand.span.end }), this.depthOf(operand) + 1);
  }

  private presence(): QueryNode {
    const op = this.next() as SymbolToken;
    const field = this.peek();
    if (field === undefined || field.type !== 'value') {
      throw this.error(`Expected a field name after '${op.raw}' but found ${describe(field)}`, this.spanOfToken(field ?? op));
    }
    this.pos++;
    return PresenceNode.create(op.symbol as 'set' | 'null', toValue(field), { begin: op.begin, end: field.end });
  }

  private comparison(): QueryNode {
    if (this.isSymbol(this.peek(), 'comma')) this.pos++;
    const t = this.peek();
    if (t === undefined) throw this.error('Expected a value but the query ended', this.endSpan());
    if (t.type === 'value') return this.infix();
    if (this.isSymbol(t, 'set', 'null')) return this.presence();
    if (isComparisonOperator(t.symbol)) {
      this.pos++;
      const values = (t.symbol === '^' || t.symbol === '!^') && !this.isSymbol(this.peek(), 'lparen')
        ? this.prefixListWithoutParentheses(t)
        : this.operand(t as SymbolToken & { symbol: ComparisonOperator });
      return ComparisonNode.create(null, t.symbol, values, { begin: t.begin, end: values[values.length - 1]!.span.end });
    }
    throw this.error(`Unexpected ${describe(t)}`, this.spanOfToken(t));
  }

  private infix(): QueryNode {
    const lhs = this.next() as ValueToken;
    const t = this.peek();
    if (this.isSymbol(t, 'comma')) {
      this.pos++;
      return TermNode.create(toValue(lhs));
    }
    if (t !== undefined && t.type === 'symbol' && isComparisonOperator(t.symbol)) {
      this.pos++;
      const values = this.operand(t as SymbolToken & { symbol: ComparisonOperator });
      return ComparisonNode.create(toValue(lhs), t.symbol, values, { begin: lhs.begin, end: values[values.length - 1]!.span.end });
    }
    return TermNode.create(toValue(lhs));
  }

  /** The right-hand side of a comparison operator: one value, or a list for `^`/`!^`. */
  private operand(op: SymbolToken & { symbol: ComparisonOperator }): QueryValue[] {
    const t = this.peek();
    if (op.symbol === '^' || op.symbol === '!^') {
      if (this.isSymbol(t, 'lparen')) return this.list();
      const parts = splitOnCommas(this.value(op));
      if (parts.length === 0) throw this.error(`Expected a value after '${op.raw}'`, this.spanOfToken(op));
      return parts;
    }
    return [this.value(op)];
  }

  /** One value; `-` directly followed by a word (`-5`) is a negative value, not a NOT. */
  private value(after: SymbolToken): QueryValue {
    const t = this.peek();
    if (t !== undefined && t.type === 'value') {
      this.pos++;
      return toValue(t);
    }
    const merged = this.negativeValue();
    if (merged !== null) return merged;
    throw this.error(`Expected a value after '${after.raw}' but found ${describe(t)}`, this.spanOfToken(t ?? after));
  }

  private negativeValue(): QueryValue | null {
    const t = this.peek();
    const n = this.peek(1);
    if (t !== undefined && t.type === 'symbol' && t.symbol === 'not' && t.raw === '-' && n !== undefined && n.type === 'value' && !n.quoted && n.begin === t.end) {
      this.pos += 2;
      return QueryValue.create(`-${n.text}`, { begin: t.begin, end: n.end });
    }
    return null;
  }

  /**
   * `^ a b` / `^ a,b` without parentheses and without a field: as scoped_search, the list takes
   * every value up to the end of the query (or the enclosing `)`), skipping other tokens.
   */
  private prefixListWithoutParentheses(op: SymbolToken): QueryValue[] {
    const values: QueryValue[] = [];
    for (let t = this.peek(); t !== undefined && !this.isSymbol(t, 'rparen'); t = this.peek()) {
      const merged = this.negativeValue();
      if (merged !== null) {
        values.push(merged);
        continue;
      }
      this.pos++;
      if (t.type === 'value') values.push(...splitOnCommas(toValue(t)));
    }
    if (values.length === 0) throw this.error(`Expected a value after '${op.raw}'`, this.spanOfToken(op));
    return values;
  }

  /** `( v1, v2, … )`; keywords inside a list are taken as plain words. */
  private list(): QueryValue[] {
    const open = this.next() as SymbolToken;
    const values: QueryValue[] = [];
    for (;;) {
      const t = this.peek();
      if (t === undefined) {
        throw this.error(`Unbalanced parentheses: '(' at position ${open.begin + 1} is never closed`, this.spanOfToken(open));
      }
      if (t.type === 'value') {
        this.pos++;
        values.push(toValue(t));
        continue;
      }
      if (t.symbol === 'rparen') {
        this.pos++;
        break;
      }
      if (t.symbol === 'comma') {
        this.pos++;
        continue;
      }
      if (WORD_KEYWORD.test(t.raw)) {
        this.pos++;
        values.push(QueryValue.create(t.raw, { begin: t.begin, end: t.end }));
        continue;
      }
      const merged = this.negativeValue();
      if (merged !== null) {
        values.push(merged);
        continue;
      }
      throw this.error(`Unexpected ${describe(t)} in a list of values`, this.spanOfToken(t));
    }
    if (values.length === 0) throw this.error('Expected at least one value in the list', { begin: open.begin, end: open.end });
    return values;
  }
}

/** scoped_search splits a single list value on commas: `name ^ "a,b"`. */
function splitOnCommas(value: QueryValue): QueryValue[] {
  if (!value.text.includes(',')) return [value];
  return value.text.split(',').map((p) => p.trim()).filter((p) => p !== '')
    .map((p) => QueryValue.create(p, value.span, value.quoted));
}

function toValue(token: ValueToken): QueryValue {
  return QueryValue.create(token.text, { begin: token.begin, end: token.end }, token.quoted);
}

/** Drops trailing operator tokens (not parentheses), as scoped_search does for partial queries. */
function dropTrailingOperators(tokens: Token[]): Token[] {
  let end = tokens.length;
  while (end > 0) {
    const t = tokens[end - 1]!;
    if (t.type === 'symbol' && t.symbol !== 'rparen' && t.symbol !== 'lparen') end--;
    else break;
  }
  return end === tokens.length ? tokens : tokens.slice(0, end);
}

/**
 * Parses a query into an immutable AST.
 *
 * @example
 * ```ts
 * const ast = parseQuery('hostgroup = web and facts.os_family = Debian');
 * ast.kind; // 'and'
 * ```
 * @throws {@link SearchSyntaxError} with the position of the problem (unbalanced parentheses,
 *   missing value, unterminated string, length/depth limits, and the {@link QueryLimits}).
 */
export function parseQuery(text: string, options: ParseOptions = {}): QueryNode {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (text.length > maxLength) {
    throw new SearchSyntaxError(`Query is too long (${text.length} characters, at most ${maxLength} allowed)`,
      { begin: maxLength, end: text.length }, { query: text });
  }
  const tokens = dropTrailingOperators(tokenize(text));
  if (tokens.length === 0) return EmptyNode.create();
  const ast = new Parser(tokens, text, maxDepth).parse();
  checkQueryLimits(ast, text, { ...DEFAULT_QUERY_LIMITS, ...options.limits });
  return ast;
}
