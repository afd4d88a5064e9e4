/**
 * @module
 * Immutable AST of a search query. Every node has a `kind` discriminant and a `span` into the
 * query text; each node type has a companion object with `create` (freezes the node) and `is`.
 *
 * Shapes, following scoped_search's tree after simplification:
 * - `and` / `or`: two or more children (nested nodes of the same kind are flattened);
 * - `not`: one operand;
 * - `comparison`: `field op value`, or `op value` without a field (applies to the default
 *   fields); `^`/`!^` carry the list in `values`;
 * - `term`: a bare value (free text, or a boolean field name meaning `= true`);
 * - `presence`: `set? field` / `has field` (`set`) and `null? field` (`null`);
 * - `empty`: the empty query (matches everything).
 */
import type { SourceSpan } from '../errors/search-errors.ts';
import type { ComparisonOperator } from '../lexer/token.ts';

/** A value or field name as written in the query. */
export interface QueryValue {
  /** Text with quotes removed and escapes resolved. */
  readonly text: string;
  /** Whether it was written in double quotes. */
  readonly quoted: boolean;
  readonly span: SourceSpan;
}

/** Conjunction of two or more nodes (`and`, `&`, `&&`, or juxtaposition). */
export interface AndNode {
  readonly kind: 'and';
  readonly children: readonly QueryNode[];
  readonly span: SourceSpan;
}

/** Disjunction of two or more nodes (`or`, `|`, `||`). */
export interface OrNode {
  readonly kind: 'or';
  readonly children: readonly QueryNode[];
  readonly span: SourceSpan;
}

/** Negation (`not`, `!`, `-`); compiled as `NOT COALESCE((X), false)`. */
export interface NotNode {
  readonly kind: 'not';
  readonly operand: QueryNode;
  readonly span: SourceSpan;
}

/** `field op value`, `op value` (field `null`: default fields) or `field ^ (v1, v2…)`. */
export interface ComparisonNode {
  readonly kind: 'comparison';
  readonly field: QueryValue | null;
  readonly operator: ComparisonOperator;
  /** One value, or the list of `^` / `!^`. */
  readonly values: readonly QueryValue[];
  readonly span: SourceSpan;
}

/** A bare value: free text over the default fields, or a boolean field name (`recurring`). */
export interface TermNode {
  readonly kind: 'term';
  readonly value: QueryValue;
  readonly span: SourceSpan;
}

/** `set? field` / `has field` (`set`, IS NOT NULL) and `null? field` (`null`, IS NULL). */
export interface PresenceNode {
  readonly kind: 'presence';
  readonly operator: 'set' | 'null';
  readonly field: QueryValue;
  readonly span: SourceSpan;
}

/** The empty query; matches every row. */
export interface EmptyNode {
  readonly kind: 'empty';
  readonly span: SourceSpan;
}

/** Any node of a parsed query. */
export type QueryNode = AndNode | OrNode | NotNode | ComparisonNode | TermNode | PresenceNode | EmptyNode;

/** The `kind` values of {@link QueryNode}. */
export type QueryNodeKind = QueryNode['kind'];

function freezeSpan(span: SourceSpan): SourceSpan {
  return Object.freeze({ begin: span.begin, end: span.end });
}

/** Factory and guard for {@link QueryValue}. */
export const QueryValue = Object.freeze({
  create(text: string, span: SourceSpan, quoted = false): QueryValue {
    return Object.freeze({ text, quoted, span: freezeSpan(span) });
  },
});

/** Factory and guard for {@link AndNode}. */
export const AndNode = Object.freeze({
  is(node: QueryNode): node is AndNode {
    return node.kind === 'and';
  },
  create(children: readonly QueryNode[], span: SourceSpan): AndNode {
    return Object.freeze({ kind: 'and', children: Object.freeze([...children]), span: freezeSpan(span) });
  },
});

/** Factory and guard for {@link OrNode}. */
export const OrNode = Object.freeze({
  is(node: QueryNode): node is OrNode {
    return node.kind === 'or';
  },
  create(children: readonly QueryNode[], span: SourceSpan): OrNode {
    return Object.freeze({ kind: 'or', children: Object.freeze([...children]), span: freezeSpan(span) });
  },
});

/** Factory and guard for {@link NotNode}. */
export const NotNode = Object.freeze({
  is(node: QueryNode): node is NotNode {
    return node.kind === 'not';
  },
  create(operand: QueryNode, span: SourceSpan): NotNode {
    return Object.freeze({ kind: 'not', operand, span: freezeSpan(span) });
  },
});

/** Factory and guard for {@link ComparisonNode}. */
export const ComparisonNode = Object.freeze({
  is(node: QueryNode): node is ComparisonNode {
    return node.kind === 'comparison';
  },
  create(field: QueryValue | null, operator: ComparisonOperator, values: readonly QueryValue[], span: SourceSpan): ComparisonNode {
    return Object.freeze({ kind: 'comparison', field, operator, values: Object.freeze([...values]), span: freezeSpan(span) });
  },
});

/** Factory and guard for {@link TermNode}. */
export const TermNode = Object.freeze({
  is(node: QueryNode): node is TermNode {
    return node.kind === 'term';
  },
  create(value: QueryValue): TermNode {
    return Object.freeze({ kind: 'term', value, span: value.span });
  },
});

/** Factory and guard for {@link PresenceNode}. */
export const PresenceNode = Object.freeze({
  is(node: QueryNode): node is PresenceNode {
    return node.kind === 'presence';
  },
  create(operator: 'set' | 'null', field: QueryValue, span: SourceSpan): PresenceNode {
    return Object.freeze({ kind: 'presence', operator, field, span: freezeSpan(span) });
  },
});

/** Factory and guard for {@link EmptyNode}. */
export const EmptyNode = Object.freeze({
  is(node: QueryNode): node is EmptyNode {
    return node.kind === 'empty';
  },
  create(span: SourceSpan = { begin: 0, end: 0 }): EmptyNode {
    return Object.freeze({ kind: 'empty', span: freezeSpan(span) });
  },
});
