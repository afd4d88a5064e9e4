/**
 * @module
 * Unit tests of the CSV/YAML host import parsers, including a generated 10,000-host file.
 */
import { describe, expect, it } from 'vitest';

import { detectImportFormat, parseCsvRecords, parseHostImport, parseHostsCsv, parseHostsYaml } from './host-import-parser.ts';

describe('CSV host import', () => {
  it('parses the header and k=v;k2=v2 parameters', () => {
    const csv = 'name,ip,hostgroup,parameters\nweb01,10.0.0.1,base/web,role=web;tier=1\ndb01,10.0.0.2,,\n';
    expect(parseHostsCsv(csv)).toEqual([
      { name: 'web01', ip: '10.0.0.1', hostgroup: 'base/web', parameters: { role: 'web', tier: '1' } },
      { name: 'db01', ip: '10.0.0.2', parameters: {} },
    ]);
  });

  it('handles quoted fields with commas, escaped quotes and newlines, CRLF and a BOM', () => {
    const csv = '\ufeffname,parameters\r\n"web,01","motd=say ""hi"";x=a,b"\r\n"multi\nline",\r\n';
    const records = parseCsvRecords(csv);
    expect(records.map((r) => r.fields)).toEqual([
      ['name', 'parameters'],
      ['web,01', 'motd=say "hi";x=a,b'],
      ['multi\nline', ''],
    ]);
    expect(parseHostsCsv(csv)[0]).toEqual({ name: 'web,01', parameters: { motd: 'say "hi"', x: 'a,b' } });
  });

  it('accepts columns in any order and case, and skips blank lines', () => {
    expect(parseHostsCsv('IP,Name\n\n10.1.1.1,a\n')).toEqual([{ name: 'a', ip: '10.1.1.1', parameters: {} }]);
  });

  it('reports the file and line of bad rows', () => {
    expect(() => parseHostsCsv('name,ip\nweb01,1.2.3.4\n,1.2.3.5\n', 'hosts.csv')).toThrow('hosts.csv:3: missing host name');
    expect(() => parseHostsCsv('name,mac\n', 'hosts.csv')).toThrow(/hosts.csv:1: unknown column "mac"/);
    expect(() => parseHostsCsv('ip\n1.2.3.4\n')).toThrow(/"name" column/);
    expect(() => parseHostsCsv('name,parameters\nweb,broken\n', 'h.csv')).toThrow(/h.csv:2: parameter "broken" is not key=value/);
    expect(() => parseHostsCsv('name\n"open\n')).toThrow(/unterminated/);
  });

  it('parses a generated 10,000-host file', () => {
    const lines = ['name,ip,hostgroup,parameters'];
    for (let i = 0; i < 10_000; i++) lines.push(`host${i}.example.com,10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255},base/web,role=web;idx=${i}`);
    const started = performance.now();
    const hosts = parseHostsCsv(lines.join('\n'));
    const ms = performance.now() - started;
    expect(hosts).toHaveLength(10_000);
    expect(hosts[9999]).toEqual({ name: 'host9999.example.com', ip: '10.0.39.15', hostgroup: 'base/web', parameters: { role: 'web', idx: '9999' } });
    // Timing is printed, not asserted (no timing assertions in tests).
    console.log(`parsed 10,000 CSV rows in ${ms.toFixed(1)} ms`);
  });
});

describe('YAML host import', () => {
  it('parses a list of hosts with parameter maps (values stringified)', () => {
    const yaml = '- name: web01\n  ip: 10.0.0.1\n  hostgroup: base/web\n  parameters:\n    port: 2222\n    role: web\n- name: db01\n';
    expect(parseHostsYaml(yaml)).toEqual([
      { name: 'web01', ip: '10.0.0.1', hostgroup: 'base/web', parameters: { port: '2222', role: 'web' } },
      { name: 'db01', parameters: {} },
    ]);
  });

  it('accepts {hosts: [...]} and JSON', () => {
    expect(parseHostsYaml('{"hosts": [{"name": "a"}]}')).toEqual([{ name: 'a', parameters: {} }]);
  });

  it('rejects bad entries with their position', () => {
    expect(() => parseHostsYaml('- ip: 1.2.3.4\n', 'h.yml')).toThrow('h.yml: host #1: missing host name');
    expect(() => parseHostsYaml('- name: a\n  mac: x\n', 'h.yml')).toThrow(/unknown key "mac"/);
    expect(() => parseHostsYaml('name: a\n', 'h.yml')).toThrow(/expected a list of hosts/);
    expect(() => parseHostsYaml('- [a\n', 'h.yml')).toThrow(/not valid YAML/);
  });

  it('parses a generated 10,000-host YAML file', () => {
    const yaml = Array.from({ length: 10_000 }, (_, i) => `- name: h${i}\n  ip: 10.0.0.1\n  parameters: {idx: ${i}}`).join('\n');
    const hosts = parseHostsYaml(yaml);
    expect(hosts).toHaveLength(10_000);
    expect(hosts[42]?.parameters).toEqual({ idx: '42' });
  });
});

describe('format detection', () => {
  it('uses --format, then the extension, then the content', () => {
    expect(detectImportFormat('x.txt', '', 'YAML')).toBe('yaml');
    expect(detectImportFormat('hosts.CSV', '- a')).toBe('csv');
    expect(detectImportFormat('hosts.yml', 'name')).toBe('yaml');
    expect(detectImportFormat('hosts', '  - name: a')).toBe('yaml');
    expect(detectImportFormat('hosts', 'name,ip')).toBe('csv');
    expect(() => detectImportFormat('hosts', '', 'xml')).toThrow(/--format must be csv or yaml/);
    expect(parseHostImport('h', 'name\na\n')).toEqual([{ name: 'a', parameters: {} }]);
  });
});
