/**
 * @module
 * Recursive-descent / Pratt parser from the token stream to the immutable AST. Statements may
 * span ERB tags. Local variables are resolved lexically, as Ruby does: a name assigned earlier
 * in scope is a variable, anything else is a method call (a macro at render time).
 */
import type { BlockNode, BlockParam, CallNode, HashNode, IfNode, Node, ProgramNode, WhenClause } from '../ast/nodes.ts';
import { mk } from '../ast/nodes.ts';
import { ErbSyntaxError } from '../errors.ts';
import type { SourceFile } from '../tokens/source-file.ts';
import type { StringPart, Token } from '../tokens/token.ts';
import { ALLOWED_CONSTANTS, FORBIDDEN_METHODS, RECEIVER_ALLOWED } from './forbidden.ts';
import { makeRegexp } from '../builtins/regexp-values.ts';
import { compileRegex, parseFlags } from '../regex/regex.ts';
import { RegexSyntaxError } from '../regex/syntax.ts';
import type { RubyObject } from '../values/ruby-value.ts';

/** Binding powers of infix operators (higher binds tighter). */
const INFIX: Record<string, number> = {
  '?': 20, '..': 25, '...': 25, '||': 30, '&&': 40,
  '<=>': 50, '==': 50, '===': 50, '!=': 50, '=~': 50, '!~': 50,
  '<': 60, '<=': 60, '>': 60, '>=': 60, '|': 70, '^': 70, '&': 80, '<<': 90, '>>': 90,
  '+': 100, '-': 100, '*': 110, '/': 110, '%': 110, '**': 130,
};
const UNARY_MINUS_BP = 120;
const BANG_BP = 140;
const OP_ASSIGN: ReadonlySet<string> = new Set(['+=', '-=', '*=', '/=', '%=', '**=', '||=', '&&=', '<<=', '>>=']);
const NOT_ALLOWED_KW: ReadonlySet<string> = new Set([
  'def', 'class', 'module', 'alias', 'undef', 'yield', 'super', 'return', 'redo', 'retry', 'BEGIN', 'END',
  '__FILE__', '__LINE__', '__method__', '__dir__', '__ENCODING__', 'self', 'defined?', 'lambda', 'proc', 'rescue', 'ensure',
]);

/** Parser options. */
export interface ParserOptions {
  /** Maximum nesting of expressions/blocks (see ErbLimits.maxParseDepth). */
  readonly maxDepth: number;
}

/** Parses one template's tokens into a {@link ProgramNode}. */
export class Parser {
  #toks: readonly Token[];
  #i = 0;
  readonly #file: SourceFile;
  readonly #maxDepth: number;
  #depth = 0;
  #noDo = 0;
  readonly #scopes: Set<string>[] = [new Set()];

  constructor(file: SourceFile, tokens: readonly Token[], options: ParserOptions) {
    this.#file = file;
    this.#toks = tokens;
    this.#maxDepth = options.maxDepth;
  }

  /** Parse the whole template. */
  parseProgram(): ProgramNode {
    const body = this.#statements(() => false);
    const t = this.#peek();
    if (t.kind !== 'eof') this.#unexpected(t);
    return mk({ kind: 'program', body, begin: 0, end: this.#file.text.length });
  }

  // ---- token helpers -------------------------------------------------------------------------

  #peek(o = 0): Token {
    return this.#toks[Math.min(this.#i + o, this.#toks.length - 1)]!;
  }
  #next(): Token {
    const t = this.#peek();
    if (this.#i < this.#toks.length - 1) this.#i++;
    return t;
  }
  #isOp(t: Token, v: string): boolean {
    return t.kind === 'op' && t.value === v;
  }
  #isKw(t: Token, v: string): boolean {
    return t.kind === 'kw' && t.value === v;
  }
  #acceptOp(v: string): Token | undefined {
    const t = this.#peek();
    if (this.#isOp(t, v)) return this.#next();
    return undefined;
  }
  #acceptKw(v: string): Token | undefined {
    const t = this.#peek();
    if (this.#isKw(t, v)) return this.#next();
    return undefined;
  }
  #expectOp(v: string): Token {
    const t = this.#peek();
    if (!this.#isOp(t, v)) this.#fail(`expected '${v}' but found ${this.#describe(t)}`, t);
    return this.#next();
  }
  #expectKw(v: string, opener?: Token): Token {
    const t = this.#peek();
    if (!this.#isKw(t, v)) {
      const where = opener ? ` to close '${opener.value}' at line ${this.#file.position(opener.begin).line}` : '';
      this.#fail(`expected '${v}'${where} but found ${this.#describe(t)}`, t);
    }
    return this.#next();
  }
  #skipNl(): void {
    while (this.#peek().kind === 'nl') this.#next();
  }
  #describe(t: Token): string {
    switch (t.kind) {
      case 'eof': return 'end of template';
      case 'text': return 'template text';
      case 'nl': return t.value === '%>' ? "'%>'" : 'end of line';
      case 'out_open': return "'<%='";
      case 'out_close': return "'%>'";
      case 'str': case 'dstr': return 'a string';
      case 'int': case 'float': return `number ${t.value}`;
      case 'sym': return `symbol :${t.value}`;
      default: return `'${t.value}'`;
    }
  }
  #fail(msg: string, t: Token | number): never {
    throw new ErbSyntaxError(msg).locate(this.#file, typeof t === 'number' ? t : t.begin);
  }
  #unexpected(t: Token): never {
    this.#fail(`syntax error, unexpected ${this.#describe(t)}`, t);
  }
  #enter(t: Token): void {
    if (++this.#depth > this.#maxDepth) this.#fail(`template nesting too deep (limit ${this.#maxDepth})`, t);
  }
  #leave(): void {
    this.#depth--;
  }

  // ---- scopes --------------------------------------------------------------------------------

  #isLocal(name: string): boolean {
    for (let i = this.#scopes.length - 1; i >= 0; i--) if (this.#scopes[i]!.has(name)) return true;
    return false;
  }
  #declare(name: string): void {
    if (!this.#isLocal(name)) this.#scopes[this.#scopes.length - 1]!.add(name);
  }

  // ---- statements ----------------------------------------------------------------------------

  #statements(stop: (t: Token) => boolean): Node[] {
    const body: Node[] = [];
    const start = this.#peek();
    this.#enter(start);
    for (;;) {
      this.#skipNl();
      const t = this.#peek();
      if (t.kind === 'eof' || stop(t)) break;
      const stmt = this.#statement();
      body.push(stmt);
      if (stmt.kind === 'text' || stmt.kind === 'output') continue;
      const after = this.#peek();
      if (after.kind === 'nl' || after.kind === 'text' || after.kind === 'out_open') continue;
      if (after.kind === 'eof' || stop(after)) break;
      this.#unexpected(after);
    }
    this.#leave();
    return body;
  }

  #statement(): Node {
    const t = this.#peek();
    if (t.kind === 'text') {
      this.#next();
      return mk({ kind: 'text', value: t.value, begin: t.begin, end: t.end });
    }
    if (t.kind === 'out_open') {
      this.#next();
      const body = this.#statements((x) => x.kind === 'out_close');
      const close = this.#peek();
      if (close.kind !== 'out_close') this.#unexpected(close);
      this.#next();
      return mk({ kind: 'output', body, begin: t.begin, end: close.end });
    }
    if (t.kind === 'out_close') this.#unexpected(t);
    let node = this.#exprStmt();
    for (;;) {
      const m = this.#peek();
      if (m.kind !== 'kw') break;
      if (m.value === 'if' || m.value === 'unless') {
        this.#next();
        const cond = this.#exprStmt();
        node = mk({
          kind: 'if', cond, then: m.value === 'if' ? [node] : [], else: m.value === 'if' ? [] : [node],
          begin: node.begin, end: cond.end,
        });
      } else if (m.value === 'while' || m.value === 'until') {
        this.#next();
        const cond = this.#exprStmt();
        node = mk({ kind: 'while', cond, body: [node], until: m.value === 'until', begin: node.begin, end: cond.end });
      } else if (m.value === 'rescue') {
        this.#fail("'rescue' is not supported in templates", m);
      } else break;
    }
    return node;
  }

  /** `expr and expr`, `expr or expr`, `not expr`. */
  #exprStmt(): Node {
    let left = this.#notExpr();
    for (;;) {
      const t = this.#peek();
      if (this.#isKw(t, 'and') || this.#isKw(t, 'or')) {
        this.#next();
        this.#skipNl();
        const right = this.#notExpr();
        left = mk({ kind: t.value === 'and' ? 'and' : 'or', left, right, begin: left.begin, end: right.end });
      } else return left;
    }
  }

  #notExpr(): Node {
    const t = this.#peek();
    if (this.#isKw(t, 'not')) {
      this.#next();
      this.#enter(t);
      const operand = this.#notExpr();
      this.#leave();
      return mk({ kind: 'not', operand, begin: t.begin, end: operand.end });
    }
    return this.#expr(0);
  }

  // ---- expressions ---------------------------------------------------------------------------

  #expr(minBp: number): Node {
    const first = this.#peek();
    this.#enter(first);
    let left = this.#prefix();
    let chain = 0;
    for (;;) {
      const t = this.#peek();
      if (t.kind !== 'op') break;
      const bp = INFIX[t.value];
      if (bp === undefined || bp <= minBp) break;
      this.#next();
      if (++chain + this.#depth > this.#maxDepth) this.#fail(`expression too long (limit ${this.#maxDepth} nested operations)`, t);
      if (t.value === '?') {
        this.#skipNl();
        const a = this.#expr(0);
        this.#skipNl();
        const colon = this.#peek();
        if (colon.kind === 'label' || colon.kind === 'sym') this.#fail("ambiguous ternary: put spaces around ':'", colon);
        this.#expectOp(':');
        this.#skipNl();
        const b = this.#expr(bp - 1);
        left = mk({ kind: 'if', cond: left, then: [a], else: [b], begin: left.begin, end: b.end });
        continue;
      }
      this.#skipNl();
      if (t.value === '..' || t.value === '...') {
        const right = this.#expr(bp);
        left = mk({ kind: 'range', from: left, to: right, exclusive: t.value === '...', begin: left.begin, end: right.end });
        continue;
      }
      const right = this.#expr(t.value === '**' ? bp - 1 : bp);
      if (t.value === '&&') left = mk({ kind: 'and', left, right, begin: left.begin, end: right.end });
      else if (t.value === '||') left = mk({ kind: 'or', left, right, begin: left.begin, end: right.end });
      else left = this.#call(left, t.value, [right], null, false, left.begin, right.end);
    }
    this.#leave();
    return left;
  }

  #call(recv: Node | null, name: string, args: readonly Node[], block: BlockNode | null, safeNav: boolean, begin: number, end: number): CallNode {
    return mk({ kind: 'call', recv, name, args, block, safeNav, begin, end });
  }

  #prefix(): Node {
    const t = this.#peek();
    if (t.kind === 'op') {
      if (t.value === '-' || t.value === '+') {
        this.#next();
        const n = this.#peek();
        if ((n.kind === 'int' || n.kind === 'float') && !n.spaceBefore) {
          this.#next();
          const v = t.value === '-' ? -(n.num ?? 0) : (n.num ?? 0);
          return this.#postfix(mk({ kind: 'num', value: v, float: n.kind === 'float', begin: t.begin, end: n.end }));
        }
        const operand = this.#expr(UNARY_MINUS_BP);
        return t.value === '-' ? this.#call(operand, '-@', [], null, false, t.begin, operand.end) : operand;
      }
      if (t.value === '!') {
        this.#next();
        const operand = this.#expr(BANG_BP);
        return mk({ kind: 'not', operand, begin: t.begin, end: operand.end });
      }
      if (t.value === '~') this.#fail("operator '~' is not supported in templates", t);
    }
    return this.#postfix(this.#primary());
  }

  #primary(): Node {
    const t = this.#next();
    switch (t.kind) {
      case 'int':
      case 'float':
        return mk({ kind: 'num', value: t.num ?? 0, float: t.kind === 'float', begin: t.begin, end: t.end });
      case 'str':
        return mk({ kind: 'str', value: t.value, begin: t.begin, end: t.end });
      case 'dstr':
        return mk({ kind: 'dstr', parts: this.#parts(t.parts ?? []), begin: t.begin, end: t.end });
      case 'sym':
        return mk({ kind: 'sym', name: t.value, begin: t.begin, end: t.end });
      case 'regex':
        return this.#regex(t);
      case 'dsym':
        return mk({ kind: 'dsym', parts: this.#parts(t.parts ?? []), begin: t.begin, end: t.end });
      case 'words':
        return mk({
          kind: 'array', begin: t.begin, end: t.end,
          elements: (t.words ?? []).map((w) => (t.symbols ? mk({ kind: 'sym', name: w, begin: t.begin, end: t.end }) : mk({ kind: 'str', value: w, begin: t.begin, end: t.end }))),
        });
      case 'ivar':
        return this.#ivar(t);
      case 'ident':
        return this.#identifier(t);
      case 'const':
        if (this.#isOp(this.#peek(), '(') && !this.#peek().spaceBefore) return this.#callRest(null, t, false);
        if (!ALLOWED_CONSTANTS.has(t.value)) this.#fail(`constant '${t.value}' is not accessible in templates`, t);
        if (this.#isOp(this.#peek(), '::')) this.#fail("'::' is not allowed in templates", this.#peek());
        return mk({ kind: 'const', name: t.value, begin: t.begin, end: t.end });
      case 'kw':
        return this.#keyword(t);
      case 'op':
        return this.#opPrimary(t);
      case 'label':
        return this.#fail(`unexpected label '${t.value}:'`, t);
      default:
        return this.#unexpected(t);
    }
  }

  #parts(parts: readonly StringPart[]): (string | Node)[] {
    return parts.map((p) => {
      if (typeof p === 'string') return p;
      const saved = this.#toks;
      const savedI = this.#i;
      const savedNoDo = this.#noDo;
      this.#toks = [...p.tokens, { kind: 'eof', value: '', begin: p.end, end: p.end, spaceBefore: true }];
      this.#i = 0;
      this.#noDo = 0;
      const body = this.#statements(() => false);
      const left = this.#peek();
      if (left.kind !== 'eof') this.#unexpected(left);
      this.#toks = saved;
      this.#i = savedI;
      this.#noDo = savedNoDo;
      if (body.length === 1) return body[0]!;
      if (body.length === 0) return mk({ kind: 'nil', begin: p.begin, end: p.end });
      return mk({ kind: 'seq', body, begin: p.begin, end: p.end });
    });
  }

  /** A regex literal: compiled now when it has no interpolation, so a bad pattern is a syntax error. */
  #regex(t: Token): Node {
    const parts = this.#parts(t.parts ?? []);
    let value: RubyObject | null = null;
    if (parts.every((p) => typeof p === 'string')) {
      try {
        value = makeRegexp(compileRegex(parts.join(''), parseFlags(t.value)));
      } catch (e) {
        if (!(e instanceof RegexSyntaxError)) throw e;
        this.#fail(e.message, e.offset >= 0 ? (t.bodyBegin ?? t.begin) + e.offset : t.begin);
      }
    }
    return mk({ kind: 'regex', parts, flags: t.value, value, begin: t.begin, end: t.end });
  }

  #ivar(t: Token): Node {
    const n = this.#peek();
    if (this.#isOp(n, '=')) {
      this.#next();
      const value = this.#rhs();
      return mk({ kind: 'iasgn', name: t.value, value, begin: t.begin, end: value.end });
    }
    const target = mk({ kind: 'ivar' as const, name: t.value, begin: t.begin, end: t.end });
    if (n.kind === 'op' && OP_ASSIGN.has(n.value)) {
      this.#next();
      const value = this.#rhs();
      return mk({ kind: 'opasgn', target, op: n.value.slice(0, -1), value, begin: t.begin, end: value.end });
    }
    return target;
  }

  #rhs(): Node {
    this.#skipNl();
    const t = this.#peek();
    if (this.#isKw(t, 'not')) return this.#notExpr();
    return this.#expr(0);
  }

  #identifier(t: Token): Node {
    const name = t.value;
    const n = this.#peek();
    const parenCall = this.#isOp(n, '(') && !n.spaceBefore;
    if (this.#isLocal(name) && !parenCall) {
      if (this.#isOp(n, '=')) {
        this.#next();
        const value = this.#rhs();
        return mk({ kind: 'lasgn', name, value, begin: t.begin, end: value.end });
      }
      const target = mk({ kind: 'lvar' as const, name, begin: t.begin, end: t.end });
      if (n.kind === 'op' && OP_ASSIGN.has(n.value)) {
        this.#next();
        const value = this.#rhs();
        return mk({ kind: 'opasgn', target, op: n.value.slice(0, -1), value, begin: t.begin, end: value.end });
      }
      return target;
    }
    const plainName = !name.endsWith('?') && !name.endsWith('!');
    if (plainName && this.#isOp(n, '=')) {
      this.#declare(name);
      this.#next();
      const value = this.#rhs();
      return mk({ kind: 'lasgn', name, value, begin: t.begin, end: value.end });
    }
    if (plainName && n.kind === 'op' && OP_ASSIGN.has(n.value)) {
      this.#declare(name);
      this.#next();
      const target = mk({ kind: 'lvar' as const, name, begin: t.begin, end: t.end });
      const value = this.#rhs();
      return mk({ kind: 'opasgn', target, op: n.value.slice(0, -1), value, begin: t.begin, end: value.end });
    }
    if (FORBIDDEN_METHODS.has(name)) this.#fail(`method '${name}' is not allowed in templates`, t);
    return this.#callRest(null, t, false);
  }

  /** Arguments (parenthesised or command style) and block of a call whose name token is `t`. */
  #callRest(recv: Node | null, t: Token, safeNav: boolean): CallNode {
    let args: Node[] = [];
    let end = t.end;
    const n = this.#peek();
    if (this.#isOp(n, '(') && !n.spaceBefore) {
      this.#next();
      args = this.#argList(')');
      end = this.#expectOp(')').end;
    } else if (this.#canStartCommandArg(n)) {
      this.#noDo++;
      try {
        args = this.#argItems(null);
      } finally {
        this.#noDo--;
      }
      end = args[args.length - 1]?.end ?? end;
    }
    let block: BlockNode | null = null;
    const pass = args.findIndex((a) => a.kind === 'blockpass');
    if (pass >= 0) {
      const bp = args[pass]!;
      if (bp.kind !== 'blockpass') throw new Error('unreachable');
      if (pass !== args.length - 1) this.#fail('block argument must be the last argument', bp.begin);
      args = args.slice(0, pass);
      block = mk({ kind: 'block', params: [], body: [], symbol: bp.name, begin: bp.begin, end: bp.end });
    }
    const b = this.#peek();
    if (this.#isOp(b, '{') || (this.#isKw(b, 'do') && this.#noDo === 0)) {
      if (block) this.#fail('both block argument and literal block given', b);
      block = this.#block();
      end = block.end;
    }
    return this.#call(recv, t.value, args, block, safeNav, recv ? recv.begin : t.begin, end);
  }

  #canStartCommandArg(t: Token): boolean {
    if (!t.spaceBefore) return false;
    switch (t.kind) {
      case 'int': case 'float': case 'str': case 'dstr': case 'sym': case 'dsym': case 'words': case 'regex':
      case 'ident': case 'const': case 'ivar': case 'label':
        return true;
      case 'kw':
        return t.value === 'nil' || t.value === 'true' || t.value === 'false' || t.value === 'not' || t.value === 'lambda' || t.value === 'proc';
      case 'op': {
        if (t.value === '[' || t.value === '(' || t.value === '->') return true;
        const after = this.#peek(1);
        if (t.value === '-' || t.value === '!' || t.value === '*' || t.value === '&' || t.value === '**' || t.value === '::') return !after.spaceBefore;
        return false;
      }
      default:
        return false;
    }
  }

  /** Parenthesised/bracketed argument list; the closing token is left for the caller. */
  #argList(close: string): Node[] {
    const savedNoDo = this.#noDo;
    this.#noDo = 0;
    this.#skipNl();
    const args = this.#isOp(this.#peek(), close) ? [] : this.#argItems(close);
    this.#skipNl();
    this.#noDo = savedNoDo;
    return args;
  }

  /** Comma-separated arguments; `k: v` and `k => v` pairs are gathered into one trailing hash. */
  #argItems(close: string | null): Node[] {
    const args: Node[] = [];
    const pairs: [Node, Node][] = [];
    let pairsBegin = -1;
    for (;;) {
      const t = this.#peek();
      if (t.kind === 'label') {
        this.#next();
        this.#skipNl();
        const value = this.#expr(0);
        if (pairsBegin < 0) pairsBegin = t.begin;
        pairs.push([mk({ kind: 'sym', name: t.value, begin: t.begin, end: t.end }), value]);
      } else if (this.#isOp(t, '&')) {
        this.#next();
        const s = this.#next();
        if (s.kind !== 'sym') this.#fail('only &:method block arguments are supported', s);
        args.push(mk({ kind: 'blockpass', name: s.value, begin: t.begin, end: s.end }));
      } else if (this.#isOp(t, '*') || this.#isOp(t, '**')) {
        this.#fail('splat arguments are not supported in templates', t);
      } else {
        const e = this.#isKw(t, 'not') ? this.#notExpr() : this.#expr(0);
        if (this.#acceptOp('=>')) {
          this.#skipNl();
          const value = this.#expr(0);
          if (pairsBegin < 0) pairsBegin = e.begin;
          pairs.push([e, value]);
        } else {
          args.push(e);
        }
      }
      if (!this.#acceptOp(',')) break;
      this.#skipNl();
      if (close && this.#isOp(this.#peek(), close)) break;
    }
    if (pairs.length > 0) {
      const last = pairs[pairs.length - 1]!;
      const hash: HashNode = mk({ kind: 'hash', pairs, begin: pairsBegin, end: last[1].end });
      const bp = args.length > 0 && args[args.length - 1]!.kind === 'blockpass' ? args.pop() : undefined;
      args.push(hash);
      if (bp) args.push(bp);
    }
    return args;
  }

  #block(): BlockNode {
    const open = this.#next();
    const brace = open.value === '{';
    this.#enter(open);
    this.#scopes.push(new Set());
    const params: BlockParam[] = [];
    const savedNoDo = this.#noDo;
    this.#noDo = 0;
    this.#skipNl();
    if (this.#acceptOp('||')) {
      // empty parameter list
    } else if (this.#acceptOp('|')) {
      params.push(...this.#blockParams('|'));
      this.#expectOp('|');
    }
    const body = this.#statements((t) => (brace ? this.#isOp(t, '}') : this.#isKw(t, 'end')));
    const close = brace ? this.#expectOp('}') : this.#expectKw('end', open);
    this.#noDo = savedNoDo;
    this.#scopes.pop();
    this.#leave();
    return mk({ kind: 'block', params, body, symbol: null, begin: open.begin, end: close.end });
  }

  #blockParams(close: string): BlockParam[] {
    const params: BlockParam[] = [];
    for (;;) {
      const t = this.#next();
      if (t.kind === 'ident') {
        this.#scopes[this.#scopes.length - 1]!.add(t.value);
        params.push(t.value);
      } else if (this.#isOp(t, '(')) {
        params.push(this.#blockParams(')'));
        this.#expectOp(')');
      } else this.#fail(`unsupported block parameter ${this.#describe(t)}`, t);
      if (!this.#acceptOp(',')) break;
    }
    if (!this.#isOp(this.#peek(), close)) this.#fail(`expected '${close}' after block parameters`, this.#peek());
    return params;
  }

  #postfix(node: Node): Node {
    let chain = 0;
    for (;;) {
      let t = this.#peek();
      if (++chain + this.#depth > this.#maxDepth + 1) this.#fail(`method chain too long (limit ${this.#maxDepth})`, t);
      if (t.kind === 'nl' && t.value === '\n') {
        let k = 0;
        while (this.#peek(k).kind === 'nl' && this.#peek(k).value === '\n') k++;
        const after = this.#peek(k);
        if (this.#isOp(after, '.') || this.#isOp(after, '&.')) {
          for (let j = 0; j < k; j++) this.#next();
          t = after;
        } else return node;
      }
      if (this.#isOp(t, '.') || this.#isOp(t, '&.')) {
        this.#next();
        this.#skipNl();
        const nameTok = this.#next();
        if (nameTok.kind !== 'ident' && nameTok.kind !== 'kw' && nameTok.kind !== 'const') {
          if (nameTok.kind === 'label') this.#fail("ambiguous ':' after a method name: add spaces around ':'", nameTok);
          this.#fail(`expected a method name after '.' but found ${this.#describe(nameTok)}`, nameTok);
        }
        const regexpNew = nameTok.value === 'new' && node.kind === 'const' && node.name === 'Regexp';
        if (FORBIDDEN_METHODS.has(nameTok.value) && !RECEIVER_ALLOWED.has(nameTok.value) && !regexpNew) {
          this.#fail(`method '${nameTok.value}' is not allowed in templates`, nameTok);
        }
        const eq = this.#peek();
        if (this.#isOp(eq, '=') || (eq.kind === 'op' && OP_ASSIGN.has(eq.value))) {
          this.#fail(`attribute assignment '${nameTok.value}=' is not supported in templates`, eq);
        }
        node = this.#callRest(node, nameTok, t.value === '&.');
        continue;
      }
      if (this.#isOp(t, '[') && (!t.spaceBefore || node.kind !== 'call')) {
        this.#next();
        const args = this.#argList(']');
        const close = this.#expectOp(']');
        const n = this.#peek();
        if (this.#isOp(n, '=')) {
          this.#next();
          const value = this.#rhs();
          node = this.#call(node, '[]=', [...args, value], null, false, node.begin, value.end);
        } else if (n.kind === 'op' && OP_ASSIGN.has(n.value)) {
          this.#next();
          const value = this.#rhs();
          const target = this.#call(node, '[]', args, null, false, node.begin, close.end);
          node = mk({ kind: 'opasgn', target, op: n.value.slice(0, -1), value, begin: node.begin, end: value.end });
        } else {
          node = this.#call(node, '[]', args, null, false, node.begin, close.end);
        }
        continue;
      }
      if (this.#isOp(t, '::')) this.#fail("'::' is not allowed in templates", t);
      return node;
    }
  }

  #opPrimary(t: Token): Node {
    switch (t.value) {
      case '(': {
        this.#enter(t);
        const savedNoDo = this.#noDo;
        this.#noDo = 0;
        const body = this.#statements((x) => this.#isOp(x, ')'));
        this.#noDo = savedNoDo;
        const close = this.#expectOp(')');
        this.#leave();
        if (body.length === 1) return body[0]!;
        if (body.length === 0) return mk({ kind: 'nil', begin: t.begin, end: close.end });
        return mk({ kind: 'seq', body, begin: t.begin, end: close.end });
      }
      case '[': {
        const elements = this.#argList(']');
        for (const e of elements) if (e.kind === 'blockpass') this.#fail('unexpected block argument', e.begin);
        const close = this.#expectOp(']');
        return mk({ kind: 'array', elements, begin: t.begin, end: close.end });
      }
      case '{':
        return this.#hashLiteral(t);
      case '..':
      case '...':
        return this.#fail('beginless ranges are not supported in templates', t);
      case '->':
        return this.#fail('lambdas are not supported in templates', t);
      case '::':
        return this.#fail("'::' is not allowed in templates", t);
      default:
        this.#unexpected(t);
    }
  }

  #hashLiteral(open: Token): Node {
    this.#enter(open);
    const savedNoDo = this.#noDo;
    this.#noDo = 0;
    const pairs: [Node, Node][] = [];
    this.#skipNl();
    while (!this.#isOp(this.#peek(), '}')) {
      const t = this.#peek();
      let key: Node;
      if (t.kind === 'label') {
        this.#next();
        key = mk({ kind: 'sym', name: t.value, begin: t.begin, end: t.end });
      } else if ((t.kind === 'str' || t.kind === 'dstr') && this.#isOp(this.#peek(1), ':') && !this.#peek(1).spaceBefore) {
        this.#next();
        this.#next();
        key = t.kind === 'str' ? mk({ kind: 'sym', name: t.value, begin: t.begin, end: t.end }) : mk({ kind: 'dsym', parts: this.#parts(t.parts ?? []), begin: t.begin, end: t.end });
      } else {
        key = this.#expr(0);
        this.#skipNl();
        this.#expectOp('=>');
      }
      this.#skipNl();
      const value = this.#expr(0);
      pairs.push([key, value]);
      this.#skipNl();
      if (!this.#acceptOp(',')) break;
      this.#skipNl();
    }
    const close = this.#expectOp('}');
    this.#noDo = savedNoDo;
    this.#leave();
    return mk({ kind: 'hash', pairs, begin: open.begin, end: close.end });
  }

  #keyword(t: Token): Node {
    switch (t.value) {
      case 'nil':
        return mk({ kind: 'nil', begin: t.begin, end: t.end });
      case 'true':
      case 'false':
        return mk({ kind: 'bool', value: t.value === 'true', begin: t.begin, end: t.end });
      case 'if':
      case 'unless':
        return this.#if(t);
      case 'case':
        return this.#case(t);
      case 'while':
      case 'until': {
        this.#noDo++;
        const cond = this.#exprStmt();
        this.#noDo--;
        if (!this.#acceptKw('do')) this.#separator(t);
        const body = this.#statements((x) => this.#isKw(x, 'end'));
        const end = this.#expectKw('end', t);
        return mk({ kind: 'while', cond, body, until: t.value === 'until', begin: t.begin, end: end.end });
      }
      case 'for': {
        const vars: string[] = [];
        do {
          const v = this.#next();
          if (v.kind !== 'ident') this.#fail(`expected a variable name after 'for' but found ${this.#describe(v)}`, v);
          this.#declare(v.value);
          vars.push(v.value);
        } while (this.#acceptOp(','));
        this.#expectKw('in');
        this.#noDo++;
        const iter = this.#exprStmt();
        this.#noDo--;
        if (!this.#acceptKw('do')) this.#separator(t);
        const body = this.#statements((x) => this.#isKw(x, 'end'));
        const end = this.#expectKw('end', t);
        return mk({ kind: 'for', vars, iter, body, begin: t.begin, end: end.end });
      }
      case 'begin': {
        const body = this.#statements((x) => this.#isKw(x, 'end') || this.#isKw(x, 'rescue') || this.#isKw(x, 'ensure'));
        const n = this.#peek();
        if (this.#isKw(n, 'rescue') || this.#isKw(n, 'ensure')) this.#fail(`'${n.value}' is not supported in templates`, n);
        const end = this.#expectKw('end', t);
        return mk({ kind: 'seq', body, begin: t.begin, end: end.end });
      }
      case 'break':
      case 'next': {
        const n = this.#peek();
        const hasValue = n.kind !== 'nl' && n.kind !== 'eof' && n.kind !== 'out_close' && n.kind !== 'text' && !(n.kind === 'kw' && ['if', 'unless', 'end', 'while', 'until', 'and', 'or'].includes(n.value)) && !this.#isOp(n, '}');
        const value = hasValue ? this.#expr(0) : null;
        const end = value ? value.end : t.end;
        return t.value === 'break' ? mk({ kind: 'break', value, begin: t.begin, end }) : mk({ kind: 'next', value, begin: t.begin, end });
      }
      case 'not': {
        const operand = this.#expr(BANG_BP);
        return mk({ kind: 'not', operand, begin: t.begin, end: operand.end });
      }
      default:
        if (NOT_ALLOWED_KW.has(t.value)) this.#fail(`'${t.value}' is not allowed in templates`, t);
        this.#unexpected(t);
    }
  }

  /** After a condition: `then`, a newline or the end of a tag. */
  #separator(opener: Token): void {
    const t = this.#peek();
    if (this.#isKw(t, 'then')) {
      this.#next();
      return;
    }
    if (t.kind === 'nl' || t.kind === 'text' || t.kind === 'out_open') return;
    this.#fail(`syntax error after '${opener.value}' condition: unexpected ${this.#describe(t)}`, t);
  }

  #if(t: Token): IfNode {
    const cond = this.#exprStmt();
    this.#separator(t);
    const stop = (x: Token): boolean => this.#isKw(x, 'elsif') || this.#isKw(x, 'else') || this.#isKw(x, 'end');
    const body = this.#statements(stop);
    let elseBody: Node[] = [];
    const n = this.#peek();
    let end: number;
    if (t.value === 'if' && this.#isKw(n, 'elsif')) {
      this.#next();
      const nested = this.#if({ ...n, value: 'if' });
      elseBody = [nested];
      end = nested.end;
      return mk({ kind: 'if', cond, then: body, else: elseBody, begin: t.begin, end });
    }
    if (this.#acceptKw('else')) elseBody = this.#statements((x) => this.#isKw(x, 'end'));
    end = this.#expectKw('end', t).end;
    return t.value === 'if'
      ? mk({ kind: 'if', cond, then: body, else: elseBody, begin: t.begin, end })
      : mk({ kind: 'if', cond, then: elseBody, else: body, begin: t.begin, end });
  }

  #case(t: Token): Node {
    const n = this.#peek();
    const subject = n.kind === 'nl' ? null : this.#exprStmt();
    this.#skipNl();
    const whens: WhenClause[] = [];
    while (this.#peek().kind === 'kw' && this.#peek().value === 'when') {
      const w = this.#next();
      const conds: Node[] = [];
      do {
        this.#skipNl();
        conds.push(this.#expr(0));
      } while (this.#acceptOp(','));
      this.#separator(w);
      const body = this.#statements((x) => this.#isKw(x, 'when') || this.#isKw(x, 'else') || this.#isKw(x, 'end'));
      whens.push({ conds, body });
    }
    if (whens.length === 0) {
      const x = this.#peek();
      if (this.#isKw(x, 'in')) this.#fail("pattern matching ('case … in') is not supported in templates", x);
      this.#fail(`expected 'when' after 'case' but found ${this.#describe(x)}`, x);
    }
    const elseBody = this.#acceptKw('else') ? this.#statements((x) => this.#isKw(x, 'end')) : null;
    const end = this.#expectKw('end', t);
    return mk({ kind: 'case', subject, whens, else: elseBody, begin: t.begin, end: end.end });
  }
}
