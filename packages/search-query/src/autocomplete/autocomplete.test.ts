import { describe, expect, it } from 'vitest';

import { defineSearch } from '../definition/search-definition.ts';
import { autocomplete } from './autocomplete.ts';

interface DB { hosts: { id: number; name: string; status: number; created_at: string } }

const search = defineSearch<DB, 'hosts'>({
  fields: {
    name: { type: 'string', column: 'hosts.name', description: 'Host name' },
    id: { type: 'integer', column: 'hosts.id' },
    status: { type: 'set', column: 'hosts.status', values: { ok: 0, error: 1 } },
    created_at: { type: 'datetime', column: 'hosts.created_at' },
    owner: { type: 'string', column: 'hosts.name', currentUser: 'login' },
    facts: { type: 'string', keyValue: true, build: (eb) => eb.lit(true) },
  },
});

const options = {
  values: ({ prefix }: { prefix: string }) => ['web01', 'web 02', 'db01'].filter((v) => v.startsWith(prefix)),
  keys: ({ prefix }: { prefix: string }) => ['os_family', 'memorysize_mb'].filter((k) => k.startsWith(prefix)),
};

const completed = async (query: string): Promise<string[]> => (await autocomplete(query, search, options)).map((s) => s.completed);

describe('autocomplete', () => {
  it('suggests fields and prefix words at the start', async () => {
    const all = await autocomplete('', search, options);
    expect(all.filter((s) => s.kind === 'field').map((s) => s.part)).toEqual(['name', 'id', 'status', 'created_at', 'owner', 'facts.']);
    expect(all.find((s) => s.part === 'name')?.description).toBe('Host name');
    expect(all.filter((s) => s.kind === 'logical').map((s) => s.part)).toEqual(['not', 'has', 'set?', 'null?']);
    expect(await completed('st')).toEqual(['status ']);
  });

  it('suggests keys of key-value fields', async () => {
    expect(await completed('fa')).toEqual(['facts.']);
    expect(await completed('facts.')).toEqual(['facts.os_family ', 'facts.memorysize_mb ']);
    expect(await completed('facts.os')).toEqual(['facts.os_family ']);
  });

  it('suggests the operators of the field before the cursor', async () => {
    expect(await completed('status ')).toEqual(['status = ', 'status != ', 'status ^ ', 'status !^ ']);
    expect(await completed('id !')).toEqual(['id != ', 'id !^ ']);
    expect(await completed('facts.os_family ')).toContain('facts.os_family > ');
  });

  it('suggests values: translated words, dates, current_user, or the server callback (quoted when needed)', async () => {
    expect(await completed('status = ')).toEqual(['status = ok ', 'status = error ']);
    expect(await completed('status = e')).toEqual(['status = error ']);
    expect(await completed('created_at > ')).toContain('created_at > "24 hours ago" ');
    expect(await completed('owner = ')).toEqual(['owner = current_user ', 'owner = web01 ', 'owner = "web 02" ', 'owner = db01 ']);
    expect(await completed('name = web')).toEqual(['name = web01 ', 'name = "web 02" ']);
  });

  it('suggests logical operators after a comparison and fields after them', async () => {
    expect(await completed('name = web01 ')).toEqual(['name = web01 and ', 'name = web01 or ', 'name = web01 not ']);
    expect(await completed('(name = web01) o')).toEqual(['(name = web01) or ']);
    expect(await completed('name = web01 and i')).toEqual(['name = web01 and id ']);
    expect(await completed('set? na')).toEqual(['set? name ']);
  });

  it('never throws on broken input', async () => {
    for (const q of ['"unterminated', '((', ')', 'a = = =', '^ (', '!!!', ',,,']) {
      await expect(autocomplete(q, search, options)).resolves.toBeInstanceOf(Array);
    }
  });
});
