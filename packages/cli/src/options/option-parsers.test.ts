/**
 * @module
 * Unit tests of the option value parsers (`--inputs` key=value lists with quotes and commas, JSON, ids, booleans).
 */
import { describe, expect, it } from 'vitest';

import { InputError } from '@remex/common';

import { parseBoolean, parseIdList, parseKeyValueList, parseStringList } from './option-parsers.ts';

describe('parseKeyValueList (--inputs, --parameters)', () => {
  it('parses simple pairs', () => {
    expect(parseKeyValueList('command=uptime,k=v')).toEqual({ command: 'uptime', k: 'v' });
  });

  it('keeps commas and spaces inside double or single quotes, removing the quotes', () => {
    expect(parseKeyValueList('command="ls -l, /tmp",mode=\'a, b\'')).toEqual({ command: 'ls -l, /tmp', mode: 'a, b' });
  });

  it('treats a piece without = as part of the previous value (shell already removed the quotes)', () => {
    expect(parseKeyValueList('command=echo a,b, c')).toEqual({ command: 'echo a,b, c' });
  });

  it('keeps = signs inside values', () => {
    expect(parseKeyValueList('command=FOO=1 env,x=y')).toEqual({ command: 'FOO=1 env', x: 'y' });
  });

  it('keeps quotes that do not wrap the whole value', () => {
    expect(parseKeyValueList('command=echo "hi there"')).toEqual({ command: 'echo "hi there"' });
  });

  it('keeps bracketed lists literally', () => {
    expect(parseKeyValueList('hosts=[a,b],n=1')).toEqual({ hosts: '[a,b]', n: '1' });
  });

  it('accepts empty values and surrounding spaces around keys', () => {
    expect(parseKeyValueList(' a = ,b=2')).toEqual({ a: '', b: '2' });
  });

  it('accepts JSON objects, stringifying non-string values', () => {
    expect(parseKeyValueList('{"command": "echo a,b", "n": 3, "flag": true, "list": [1,2]}')).toEqual({
      command: 'echo a,b',
      n: '3',
      flag: 'true',
      list: '[1,2]',
    });
  });

  it('rejects bad JSON and non-objects with InputError naming the option', () => {
    expect(() => parseKeyValueList('{"a": ', '--inputs')).toThrow(/--inputs: invalid JSON/);
    expect(() => parseKeyValueList('{"a": 1', '--inputs')).toThrow(InputError);
  });

  it('rejects a first piece without =', () => {
    expect(() => parseKeyValueList('uptime', '--inputs')).toThrow(/--inputs: expected key=value/);
    expect(() => parseKeyValueList('=x', '--inputs')).toThrow(/empty key/);
  });
});

describe('list and boolean parsers', () => {
  it('parses id lists with or without brackets', () => {
    expect(parseIdList('1,2, 3', '--ids')).toEqual([1, 2, 3]);
    expect(parseIdList('[4]', '--ids')).toEqual([4]);
    expect(() => parseIdList('1,x', '--ids')).toThrow(/--ids: expected a positive integer/);
  });

  it('parses string lists', () => {
    expect(parseStringList('web01, 2 ,,db')).toEqual(['web01', '2', 'db']);
  });

  it('parses hammer booleans; a bare flag is true', () => {
    expect(parseBoolean(undefined, '--locked')).toBe(true);
    expect(parseBoolean('no', '--locked')).toBe(false);
    expect(parseBoolean('TRUE', '--locked')).toBe(true);
    expect(() => parseBoolean('maybe', '--locked')).toThrow(/--locked/);
  });
});
