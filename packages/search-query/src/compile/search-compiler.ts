/**
 * @module
 * The compiler: a visitor from the query AST to a Kysely `Expression<SqlBool>` for one
 * resource's {@link SearchDefinition}. It never produces SQL text of its own with user data in
 * it; values are bound parameters, columns go through `eb.ref`.
 */
import { sql } from 'kysely';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { SearchFieldError } from '../errors/search-errors.ts';
import type { SourceSpan } from '../errors/search-errors.ts';
import type { ComparisonNode, PresenceNode, QueryNode, QueryValue, TermNode } from '../ast/nodes.ts';
import { visitNode } from '../ast/visitor.ts';
import type { ComparisonOperator } from '../lexer/token.ts';
import { parseQuery } from '../parser/parser.ts';
import type { CustomField, FieldMatch, FieldOperator, SearchDefinition, SearchField } from '../definition/search-definition.ts';
import { isColumnField, isKeyValueField, lookupField } from '../definition/search-definition.ts';
import type { CompileContext } from './compile-context.ts';
import { buildComparison, isIntegerText, operatorsOf, translationOf } from './comparison-builder.ts';
import { parseTemporal } from './temporal.ts';

const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;

const POSITIVE: Partial<Record<ComparisonOperator, ComparisonOperator>> = { '!=': '=', '!~': '~', '!^': '^' };

function negate(expression: Expression<SqlBool>): Expression<SqlBool> {
  return sql<SqlBool>`not coalesce((${expression}), false)`;
}

class SearchCompiler<DB, TB extends keyof DB> {
  private readonly definition: SearchDefinition<DB, TB>;
  private readonly eb: ExpressionBuilder<DB, TB>;
  private readonly context: CompileContext;

  constructor(definition: SearchDefinition<DB, TB>, eb: ExpressionBuilder<DB, TB>, context: CompileContext) {
    this.definition = definition;
    this.eb = eb;
    this.context = { ...context, now: context.now ?? new Date() };
  }

  compile(node: QueryNode): Expression<SqlBool> {
    return visitNode<Expression<SqlBool>>(node, {
      empty: () => TRUE,
      and: (n) => this.eb.and(this.conjunction(n.children)),
      or: (n) => this.eb.or(n.children.map((c) => this.compile(c))),
      not: (n) => negate(this.compile(n.operand)),
      comparison: (n) => (n.field === null ? this.defaultFields(n) : this.fieldComparison(n, n.field)),
      term: (n) => this.term(n),
      presence: (n) => this.presence(n),
    });
  }

  /**
   * The parts of an AND: comparisons of fields tied to the same relation (positive operators
   * only) become one relation predicate, so they hold on the same related row.
   */
  private conjunction(children: readonly QueryNode[]): Expression<SqlBool>[] {
    const relations = this.definition.relations ?? {};
    const tied = new Map<string, { node: ComparisonNode; match: FieldMatch<DB, TB> }[]>();
    const parts: Expression<SqlBool>[] = [];
    const rest: QueryNode[] = [];
    for (const child of children) {
      const match = child.kind === 'comparison' && child.field !== null && POSITIVE[child.operator] === undefined ? this.lookup(child.field) : undefined;
      const relation = match === undefined || isColumnField(match.field) || isKeyValueField(match.field) ? undefined : match.field.relation;
      if (relation === undefined || child.kind !== 'comparison') {
        rest.push(child);
        continue;
      }
      tied.set(relation.name, [...(tied.get(relation.name) ?? []), { node: child, match: match! }]);
    }
    for (const [name, group] of tied) {
      const build = relations[name];
      if (group.length === 1 || build === undefined) {
        rest.push(...group.map((g) => g.node));
        continue;
      }
      const conditions = group.map(({ node, match }) => {
        const field = match.field as CustomField<DB, TB>;
        const comparison = buildComparison({ name: node.field!.text, fieldName: match.name, field, key: match.key, values: node.values, span: node.span, operator: node.operator }, this.context);
        return (sub: never) => field.relation!.condition(sub, comparison);
      });
      parts.push(build(this.eb, conditions));
    }
    return [...rest.map((c) => this.compile(c)), ...parts];
  }

  private lookup(name: QueryValue): FieldMatch<DB, TB> {
    const match = lookupField(this.definition, name.text);
    if (match === undefined) {
      throw new SearchFieldError(`Field '${name.text}' not recognized for searching!`, name.span, { field: name.text });
    }
    return match;
  }

  /** Applies `operator values` to one field (column, custom or key-value). */
  private apply(match: FieldMatch<DB, TB>, written: string, operator: FieldOperator, values: readonly QueryValue[], span: SourceSpan): Expression<SqlBool> {
    const field = match.field;
    const request = { name: written, fieldName: match.name, field, key: match.key, values, span };
    if (isColumnField(field)) {
      const comparison = buildComparison({ ...request, operator }, this.context);
      return comparison.test(this.eb.ref(field.column));
    }
    const positive = operator === 'set' ? undefined : POSITIVE[operator];
    const outside = field.negation === 'outside' && positive !== undefined;
    const comparison = buildComparison({ ...request, operator: outside ? positive : operator }, this.context);
    let built: Expression<SqlBool>;
    if (isKeyValueField(field)) {
      built = field.build(this.eb, { ...comparison, key: match.key ?? '' });
    } else {
      built = field.build(this.eb, comparison);
    }
    return outside ? negate(built) : built;
  }

  private fieldComparison(node: ComparisonNode, name: QueryValue): Expression<SqlBool> {
    const match = this.lookup(name);
    return this.apply(match, name.text, node.operator, node.values, node.span);
  }

  private presence(node: PresenceNode): Expression<SqlBool> {
    const match = this.lookup(node.field);
    if (isColumnField(match.field)) {
      const ref = this.eb.ref(match.field.column);
      return node.operator === 'set' ? sql<SqlBool>`${ref} is not null` : sql<SqlBool>`${ref} is null`;
    }
    const present = this.apply(match, node.field.text, 'set', [], node.span);
    return node.operator === 'set' ? present : negate(present);
  }

  private term(node: TermNode): Expression<SqlBool> {
    // A bare boolean/set field whose values include `true` means `field = <that word>`.
    const match = lookupField(this.definition, node.value.text);
    if (match !== undefined && !isKeyValueField(match.field)) {
      const translation = translationOf(match.field);
      const word = translation === undefined ? undefined : Object.keys(translation).find((k) => translation[k] === true);
      if (word !== undefined) {
        const value = { text: word, quoted: false, span: node.value.span };
        return this.apply(match, node.value.text, '=', [value], node.span);
      }
    }
    return this.freeText(node.value, null);
  }

  private defaultFields(node: ComparisonNode): Expression<SqlBool> {
    if (node.operator === '^') return this.eb.or(node.values.map((v) => this.freeText(v, '=')));
    if (node.operator === '!^') return this.eb.and(node.values.map((v) => this.freeText(v, '!=')));
    return this.freeText(node.values[0]!, node.operator);
  }

  /** Whether a default field can take this value with this operator, and with which operator. */
  private defaultOperator(field: SearchField<DB, TB>, text: string, operator: ComparisonOperator | null): ComparisonOperator | null {
    if (field.onlyExplicit === true || isKeyValueField(field) || translationOf(field) !== undefined) return null;
    let op: ComparisonOperator | null = null;
    switch (field.type) {
      case 'string':
        op = operator ?? field.defaultOperator ?? '~';
        if (!['~', '!~', '=', '!='].includes(op)) op = null;
        break;
      case 'integer':
        op = operator ?? field.defaultOperator ?? '=';
        if (!isIntegerText(text) || op === '~' || op === '!~') op = null;
        break;
      case 'datetime':
        op = operator ?? field.defaultOperator ?? '=';
        if (op === '~' || op === '!~' || parseTemporal(text, { now: this.context.now, utcOffsetMinutes: this.context.utcOffsetMinutes }) === null) op = null;
        break;
      default:
        op = null;
    }
    if (op === null || !operatorsOf(field).includes(op)) return null;
    if (field.validate !== undefined && field.validate(text) !== true) return null;
    if (field.currentUser !== undefined && text === 'current_user' && (this.context.currentUser ?? null) === null) return null;
    return op;
  }

  /** A value without a field: OR over the compatible default fields (FALSE when none fits). */
  private freeText(value: QueryValue, operator: ComparisonOperator | null): Expression<SqlBool> {
    const parts: Expression<SqlBool>[] = [];
    for (const [name, field] of Object.entries(this.definition.fields)) {
      const op = this.defaultOperator(field, value.text, operator);
      if (op === null) continue;
      parts.push(this.apply({ name, field, key: undefined }, name, op, [value], value.span));
    }
    if (parts.length === 0) return FALSE;
    return parts.length === 1 ? parts[0]! : this.eb.or(parts);
  }
}

/**
 * Compiles a query (text or parsed AST) into a Kysely boolean expression for `where`.
 *
 * @example
 * ```ts
 * const rows = await db.selectFrom('hosts').selectAll()
 *   .where((eb) => compileSearch('hostgroup = web and facts.os_family = Debian', hostSearch, eb, { dialect: 'sqlite' }))
 *   .orderBy('hosts.name').execute();
 * ```
 * @throws {@link SearchSyntaxError} when the text does not parse,
 *   {@link SearchFieldError} for unknown fields, unsupported operators and invalid values.
 */
export function compileSearch<DB, TB extends keyof DB>(
  query: string | QueryNode,
  definition: SearchDefinition<DB, TB>,
  eb: ExpressionBuilder<DB, TB>,
  context: CompileContext,
): Expression<SqlBool> {
  const ast = typeof query === 'string' ? parseQuery(query, context.parseOptions) : query;
  try {
    return new SearchCompiler(definition, eb, context).compile(ast);
  } catch (e: unknown) {
    if (e instanceof SearchFieldError && e.query === undefined && typeof query === 'string') {
      const withQuery = new SearchFieldError(e.message, e.position, { query, field: e.field, cause: e.cause });
      throw withQuery;
    }
    throw e;
  }
}
