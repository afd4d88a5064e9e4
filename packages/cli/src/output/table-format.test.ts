/**
 * @module
 * Unit tests of the table, info, JSON and YAML renderers.
 */
import { describe, expect, it } from 'vitest';

import { load as parseYaml } from 'js-yaml';

import { parseOutputFormat, renderList, renderRecord } from './render-output.ts';
import { cellText, formatInfo, formatTable } from './table-format.ts';

const rows = [
  { id: 1, name: 'web01.example.com', ip: '10.0.0.1', enabled: true },
  { id: 12, name: 'db', ip: null, enabled: false },
];
const columns = [
  { label: 'Id', get: 'id' as const },
  { label: 'Name', get: 'name' as const },
  { label: 'IP', get: (r: (typeof rows)[number]) => r.ip },
];

describe('table output', () => {
  it('draws a hammer-style bordered table with upper-case headers', () => {
    expect(formatTable(rows, columns)).toBe(
      [
        '---|-------------------|---------',
        'ID | NAME              | IP',
        '---|-------------------|---------',
        '1  | web01.example.com | 10.0.0.1',
        '12 | db                |',
        '---|-------------------|---------',
        '',
      ].join('\n'),
    );
  });

  it('prints only the header for an empty list', () => {
    expect(formatTable([], columns).split('\n')[1]).toBe('ID | NAME | IP');
  });

  it('keeps one record on one line', () => {
    expect(formatTable([{ id: 1, name: 'a\nb', ip: '', enabled: true }], columns)).toContain('a\\nb');
  });

  it('renders cell values', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(true)).toBe('yes');
    expect(cellText(['a', 1])).toBe('a, 1');
    expect(cellText({ a: 1 })).toBe('{"a":1}');
  });

  it('renders an info block with aligned labels and list fields', () => {
    const text = formatInfo({ id: 3, name: 'web', params: ['a => 1', 'b => 2'] }, [
      { label: 'Id', get: 'id' },
      { label: 'Name', get: 'name' },
      { label: 'Parameters', get: 'params', list: true },
    ]);
    expect(text).toBe('Id:         3\nName:       web\nParameters:\n    a => 1\n    b => 2\n');
  });
});

describe('--output', () => {
  it('json is the results array, yaml the same data', () => {
    expect(JSON.parse(renderList('json', rows, columns))).toEqual(rows);
    expect(parseYaml(renderList('yaml', rows, columns))).toEqual(rows);
    expect(JSON.parse(renderRecord('json', rows[0], []))).toEqual(rows[0]);
  });

  it('validates the format', () => {
    expect(parseOutputFormat(undefined)).toBe('table');
    expect(parseOutputFormat('JSON')).toBe('json');
    expect(() => parseOutputFormat('xml')).toThrow(/--output must be one of table, json, yaml/);
  });
});
