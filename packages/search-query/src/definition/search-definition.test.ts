import { describe, expect, it } from 'vitest';

import { SearchFieldError } from '../errors/search-errors.ts';
import { defineSearch, lookupField, resolveOrder } from './search-definition.ts';

interface DB { hosts: { id: number; name: string; hostgroup_id: number } }

const search = defineSearch<DB, 'hosts'>({
  fields: {
    name: { type: 'string', column: 'hosts.name', aliases: ['hostname'] },
    hostgroup: { type: 'string', orderColumn: 'hosts.hostgroup_id', build: (eb) => eb.lit(true) },
    computed: { type: 'string', build: (eb) => eb.lit(true) },
    facts: { type: 'string', keyValue: true, build: (eb) => eb.lit(true) },
  },
});

describe('defineSearch', () => {
  it('rejects set fields without values and clashing aliases', () => {
    expect(() => defineSearch<DB, 'hosts'>({ fields: { s: { type: 'set', column: 'hosts.id' } } })).toThrow("search field 's' has type 'set' but no values");
    expect(() => defineSearch<DB, 'hosts'>({
      fields: { a: { type: 'string', column: 'hosts.name', aliases: ['b'] }, b: { type: 'string', column: 'hosts.name' } },
    })).toThrow("search field alias 'b' of 'a' is already a field name");
  });
});

describe('lookupField', () => {
  it('finds fields by name, alias, lowercase name and key-value prefix', () => {
    expect(lookupField(search, 'name')?.name).toBe('name');
    expect(lookupField(search, 'hostname')?.name).toBe('name');
    expect(lookupField(search, 'NAME')?.name).toBe('name');
    expect(lookupField(search, 'facts.os::family')).toMatchObject({ name: 'facts', key: 'os::family' });
    expect(lookupField(search, 'facts.net.eth0')).toMatchObject({ name: 'facts', key: 'net.eth0' });
    expect(lookupField(search, 'facts')).toBeUndefined();
    expect(lookupField(search, 'facts.')).toBeUndefined();
    expect(lookupField(search, 'name.x')).toBeUndefined();
    expect(lookupField(search, '__proto__')).toBeUndefined();
  });
});

describe('resolveOrder', () => {
  it('resolves column fields, custom fields with orderColumn, and the direction', () => {
    expect(resolveOrder('name', search)).toEqual({ field: 'name', column: 'hosts.name', direction: 'asc' });
    expect(resolveOrder('hostname DESC', search)).toEqual({ field: 'name', column: 'hosts.name', direction: 'desc' });
    expect(resolveOrder(' hostgroup asc ', search)).toEqual({ field: 'hostgroup', column: 'hosts.hostgroup_id', direction: 'asc' });
  });

  it("rejects other orders in scoped_search's words", () => {
    for (const order of ['nope', 'computed', 'facts.x', 'name sideways']) {
      expect(() => resolveOrder(order, search)).toThrow(SearchFieldError);
    }
    expect(() => resolveOrder('nope desc', search)).toThrow("the field 'nope' in the order statement is not valid field for search");
  });
});
