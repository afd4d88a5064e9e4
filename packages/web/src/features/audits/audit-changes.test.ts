import { describe, expect, it } from 'vitest';

import { describeChanges, valueText } from './audit-changes.ts';

describe('describeChanges', () => {
  it('shows an update as old → new and other actions as values, fields sorted', () => {
    expect(describeChanges('update', { name: ['web1', 'web2'], comment: [null, 'moved'] })).toEqual([
      { field: 'comment', text: '— → moved' },
      { field: 'name', text: 'web1 → web2' },
    ]);
    expect(describeChanges('create', { password: '*****', admin: false, roles: [1, 2] })).toEqual([
      { field: 'admin', text: 'false' },
      { field: 'password', text: '*****' },
      { field: 'roles', text: '[1,2]' },
    ]);
  });

  it('cuts long values', () => {
    expect(valueText('x'.repeat(300))).toHaveLength(201);
  });
});
