/**
 * @module
 * A typed visitor over {@link QueryNode}: one method per node kind, dispatched on `kind`.
 */
import type { AndNode, ComparisonNode, EmptyNode, NotNode, OrNode, PresenceNode, QueryNode, TermNode } from './nodes.ts';

/** One handler per node kind; `visitNode` calls the matching one. */
export interface QueryNodeVisitor<R> {
  and(node: AndNode): R;
  or(node: OrNode): R;
  not(node: NotNode): R;
  comparison(node: ComparisonNode): R;
  term(node: TermNode): R;
  presence(node: PresenceNode): R;
  empty(node: EmptyNode): R;
}

/** Dispatches a node to the visitor method of its kind. */
export function visitNode<R>(node: QueryNode, visitor: QueryNodeVisitor<R>): R {
  switch (node.kind) {
    case 'and': return visitor.and(node);
    case 'or': return visitor.or(node);
    case 'not': return visitor.not(node);
    case 'comparison': return visitor.comparison(node);
    case 'term': return visitor.term(node);
    case 'presence': return visitor.presence(node);
    case 'empty': return visitor.empty(node);
  }
}

function quote(text: string): string {
  return text === '' || /[\s"=~<>&|(),\\]/.test(text) || /^[-!^]/.test(text) || /^(and|or|not|set\?|has|null\?|before|after|at)$/i.test(text)
    ? `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`
    : text;
}

/**
 * Prints a node back as query text that parses to the same tree (fully parenthesised where
 * and/or nest). Useful for logs, bookmarks and tests.
 */
export function formatQuery(node: QueryNode): string {
  return visitNode<string>(node, {
    and: (n) => n.children.map((c) => (c.kind === 'or' ? `(${formatQuery(c)})` : formatQuery(c))).join(' and '),
    or: (n) => n.children.map((c) => (c.kind === 'and' ? `(${formatQuery(c)})` : formatQuery(c))).join(' or '),
    not: (n) => `not ${n.operand.kind === 'comparison' || n.operand.kind === 'not' || n.operand.kind === 'term' || n.operand.kind === 'presence' ? formatQuery(n.operand) : `(${formatQuery(n.operand)})`}`,
    comparison: (n) => {
      const field = n.field === null ? '' : `${quote(n.field.text)} `;
      const values = n.operator === '^' || n.operator === '!^'
        ? `(${n.values.map((v) => quote(v.text)).join(', ')})`
        : quote(n.values[0]?.text ?? '');
      return `${field}${n.operator} ${values}`;
    },
    term: (n) => quote(n.value.text),
    presence: (n) => `${n.operator === 'set' ? 'set?' : 'null?'} ${quote(n.field.text)}`,
    empty: () => '',
  });
}
