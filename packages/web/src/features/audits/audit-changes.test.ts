import { describe, expect, it } from 'vitest';

import { auditChanges, changedFieldsSummary, fullText, isMultiline, valueText } from './audit-changes.ts';

describe('auditChanges', () => {
  it('splits an update into before and after, fields sorted', () => {
    expect(auditChanges('update', { name: ['web1', 'web2'], comment: [null, 'moved'] })).toEqual([
      { field: 'comment', before: null, after: 'moved' },
      { field: 'name', before: 'web1', after: 'web2' },
    ]);
  });

  it('puts what a create set after (empty fields left out), what a destroy removed before', () => {
    expect(auditChanges('create', { password: '*****', admin: false, comment: null, mail: '' })).toEqual([
      { field: 'admin', before: null, after: false },
      { field: 'password', before: null, after: '*****' },
    ]);
    expect(auditChanges('destroy', { name: 'web1' })).toEqual([{ field: 'name', before: 'web1', after: null }]);
    expect(auditChanges('cancel', { force: true })).toEqual([{ field: 'force', before: null, after: true }]);
  });

  it('keeps an update value that is not a pair as the new value', () => {
    expect(auditChanges('update', { roles: [1, 2, 3] })).toEqual([{ field: 'roles', before: null, after: [1, 2, 3] }]);
  });
});

describe('texts', () => {
  it('writes values in full or cut at 200 characters', () => {
    expect(fullText(null)).toBe('—');
    expect(fullText('')).toBe('—');
    expect(fullText(false)).toBe('false');
    expect(fullText([1, 2])).toBe('[1,2]');
    expect(fullText('x'.repeat(300))).toHaveLength(300);
    expect(valueText('x'.repeat(300))).toHaveLength(201);
  });

  it('shows text changes over several lines as diffs', () => {
    expect(isMultiline({ field: 'template', before: 'a\nb', after: 'a\nc' })).toBe(true);
    expect(isMultiline({ field: 'name', before: 'a', after: 'b' })).toBe(false);
    expect(isMultiline({ field: 'template', before: null, after: 'a\nb' })).toBe(false);
  });

  it('summarises the changed fields', () => {
    expect(changedFieldsSummary('update', {})).toBe('—');
    expect(changedFieldsSummary('update', { b: [1, 2], a: [null, 2] })).toBe('a, b');
    expect(changedFieldsSummary('create', { a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: null })).toBe('a, b, c, d +2');
  });
});
