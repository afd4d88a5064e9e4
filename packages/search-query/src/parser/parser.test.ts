import { describe, expect, it } from 'vitest';

import { formatQuery } from '../ast/visitor.ts';
import { SearchSyntaxError } from '../errors/search-errors.ts';
import { parseQuery } from './parser.ts';

const shape = (query: string): string => formatQuery(parseQuery(query));

function syntaxError(query: string): SearchSyntaxError {
  try {
    parseQuery(query);
  } catch (e: unknown) {
    if (e instanceof SearchSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for ${query}`);
}

describe('parseQuery', () => {
  it('builds comparisons, terms and presence checks', () => {
    expect(parseQuery('name ~ rex01')).toMatchObject({
      kind: 'comparison', operator: '~', field: { text: 'name' }, values: [{ text: 'rex01' }], span: { begin: 0, end: 12 },
    });
    expect(parseQuery('rex01')).toMatchObject({ kind: 'term', value: { text: 'rex01' } });
    expect(parseQuery('set? facts.x')).toMatchObject({ kind: 'presence', operator: 'set', field: { text: 'facts.x' } });
    expect(parseQuery('null? ip')).toMatchObject({ kind: 'presence', operator: 'null' });
    expect(parseQuery('')).toMatchObject({ kind: 'empty' });
  });

  it('treats juxtaposition as AND and folds and/or to the right without precedence', () => {
    expect(shape('a b c')).toBe('a and b and c');
    expect(shape('a b or c')).toBe('a and (b or c)');
    expect(shape('a or b and c')).toBe('a or (b and c)');
    expect(shape('a and b or c')).toBe('a and (b or c)');
    expect(shape('(a and b) or c')).toBe('(a and b) or c');
    expect(shape('a & b | c && d || e')).toBe('a and (b or (c and (d or e)))');
  });

  it('parses not, ! and - (also nested and before parentheses)', () => {
    expect(shape('not a = 1')).toBe('not a = 1');
    expect(shape('!a')).toBe('not a');
    expect(shape('-a b')).toBe('not a and b');
    expect(shape('not not a')).toBe('not not a');
    expect(shape('not (a or b) c')).toBe('not (a or b) and c');
    expect(shape('not set? a')).toBe('not set? a');
  });

  it('parses lists for ^ and !^, with or without a field', () => {
    expect(parseQuery('name ^ (a, b)')).toMatchObject({ kind: 'comparison', operator: '^', values: [{ text: 'a' }, { text: 'b' }] });
    expect(shape('name !^ (a,"b c",d)')).toBe('name !^ (a, "b c", d)');
    expect(shape('^ (a, b)')).toBe('^ (a, b)');
    expect(shape('name ^ (and, at)')).toBe('name ^ ("and", "at")');
    expect(shape('id ^ (-1, 2)')).toBe('id ^ ("-1", 2)');
  });

  it('parses prefix comparisons and negative numbers', () => {
    expect(shape('> 5')).toBe('> 5');
    expect(parseQuery('id > -5')).toMatchObject({ values: [{ text: '-5' }] });
  });

  it('drops trailing operators and skips leading ones, as scoped_search', () => {
    expect(shape('name =')).toBe('name');
    expect(shape('a and')).toBe('a');
    expect(shape('a and not')).toBe('a');
    expect(shape('and a')).toBe('a');
    expect(shape('a,')).toBe('a');
  });

  it('flattens nested groups of the same operator and drops empty groups', () => {
    expect(shape('(a and (b and c)) d')).toBe('a and b and c and d');
    expect(shape('() a')).toBe('a');
  });

  it('returns frozen nodes', () => {
    const ast = parseQuery('a and b');
    expect(Object.isFrozen(ast)).toBe(true);
    expect(ast.kind === 'and' && Object.isFrozen(ast.children)).toBe(true);
  });

  it('reports unbalanced parentheses where they are', () => {
    expect(syntaxError('name = a and (b or c').position).toEqual({ begin: 13, end: 14 });
    expect(syntaxError('name = a and (b or c').message).toBe("Unbalanced parentheses: '(' at position 14 is never closed");
    expect(syntaxError('a) b').position).toEqual({ begin: 1, end: 2 });
    expect(syntaxError('a ^ (b').position).toEqual({ begin: 4, end: 5 });
  });

  it('reports missing values and operands', () => {
    expect(syntaxError('name = (a)').message).toBe("Expected a value after '=' but found '('");
    expect(syntaxError('(a and)').message).toBe("Expected an expression after 'and' but found ')'");
    expect(syntaxError('not ()').message).toBe("No operands found after 'not'");
    expect(syntaxError('set? (a)').message).toBe("Expected a field name after 'set?' but found '('");
    expect(syntaxError('a ^ ()').message).toBe('Expected at least one value in the list');
    expect(syntaxError('a ^ (b = c)').message).toBe("Unexpected '=' in a list of values");
  });

  it('enforces the length and depth limits', () => {
    expect(() => parseQuery('a'.repeat(11), { maxLength: 10 })).toThrow('Query is too long (11 characters, at most 10 allowed)');
    expect(() => parseQuery('((a))', { maxDepth: 1 })).toThrow('Query is nested too deeply (more than 1 levels)');
    expect(() => parseQuery('not not a', { maxDepth: 1 })).toThrow(SearchSyntaxError);
  });

  it('enforces the size limits of conditions, lists and values', () => {
    expect(() => parseQuery('a or b or c', { limits: { maxConditions: 2 } })).toThrow('Query has too many conditions (more than 2 allowed)');
    expect(() => parseQuery('set? a and b = 1', { limits: { maxConditions: 1 } })).toThrow('too many conditions');
    expect(() => parseQuery('a ^ (1, 2, 3)', { limits: { maxListValues: 2 } })).toThrow("List of values after '^' is too long (3 values, at most 2 allowed)");
    expect(() => parseQuery('a ^ (1, 2) or b = 3', { limits: { maxValues: 2 } })).toThrow('Query has too many values (more than 2 allowed)');
    expect(() => parseQuery('abcd', { limits: { maxPatternLength: 3 } })).toThrow('Free-text search term is too long (4 characters, at most 3 allowed)');
    expect(() => parseQuery('a ~ abcd', { limits: { maxPatternLength: 3 } })).toThrow("Value after '~' is too long (4 characters, at most 3 allowed)");
    expect(() => parseQuery('a = abcd', { limits: { maxValueLength: 3 } })).toThrow('Value is too long (4 characters, at most 3 allowed)');
    expect(parseQuery('a = abcd', { limits: { maxPatternLength: 3 } }).kind).toBe('comparison');
    expect(() => parseQuery(Array.from({ length: 201 }, (_, i) => `h${i}`).join(' or '))).toThrow('more than 200 allowed');
    expect(parseQuery(Array.from({ length: 200 }, (_, i) => `h${i}`).join(' or ')).kind).toBe('or');
  });

  it('draws a caret under the error', () => {
    expect(syntaxError('name = a)').excerpt()).toBe('name = a)\n        ^');
  });
});

/** The examples of scoped_search's own parser_spec.rb, in our tree notation. */
describe('scoped_search parser_spec compatibility', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['single', 'single'],
    ['double_1 double_2', 'double_1 and double_2'],
    ['triplet_1 triplet_2 triplet_3', 'triplet_1 and triplet_2 and triplet_3'],
    ['1 (2 (3 4))', '1 and 2 and 3 and 4'],
    ['some OR simple OR keywords', 'some or simple or keywords'],
    ['some simple OR keywords', 'some and (simple or keywords)'],
    ['some OR simple keywords', '(some or simple) and keywords'],
    ['some OR (simple keywords)', 'some or (simple and keywords)'],
    ['(some OR simple) keywords', '(some or simple) and keywords'],
    ['not easy', 'not easy'],
    ['not !easy', 'not not easy'],
    ['hard !easy', 'hard and not easy'],
    ['hard || !easy', 'hard or not easy'],
    ['!easy OR !hard', 'not easy or not hard'],
    ['!(easy OR !hard)', 'not (easy or not hard)'],
    ['(a|b)(b|c)', '(a or b) and (b or c)'],
    ['(a|b)&(b|c)', '(a or b) and (b or c)'],
    ['a,b', 'a and b'],
    ['a>b', 'a > b'],
    ['<b', '< b'],
    ['a, < b', 'a and < b'],
    ['(a = b) >c', 'a = b and > c'],
    ['a = b, >c', 'a = b and > c'],
    ['a = b > c', 'a = b and > c'],
    ['set? a b null? c', 'set? a and b and null? c'],
    ['& a', 'a'],
    ['& & & & a & b & & &', 'a and b'],
    ['^ a', '^ (a)'],
    ['^ a b', '^ (a, b)'],
    ['^ a,b', '^ (a, b)'],
    ['^ (a b)', '^ (a, b)'],
    ['^ (a,b)', '^ (a, b)'],
    ['!^ a', '!^ (a)'],
    ['!^ a b', '!^ (a, b)'],
    ['!^ a,b', '!^ (a, b)'],
    ['!^ (a b)', '!^ (a, b)'],
    ['!^ (a,b)', '!^ (a, b)'],
  ];

  it.each(cases)('%s', (query, expected) => {
    expect(shape(query)).toBe(expected);
  });

  it('refuses an empty not expression', () => {
    expect(() => parseQuery('!()|*')).toThrow(SearchSyntaxError);
  });
});
