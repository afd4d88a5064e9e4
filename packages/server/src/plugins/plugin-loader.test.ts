import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { parsePluginList, resolvePlugin } from './plugin-loader.ts';

describe('plugin list and resolution', () => {
  it('parses a comma list, dropping blanks', () => {
    expect(parsePluginList(' a, ,b ,')).toEqual(['a', 'b']);
    expect(parsePluginList(undefined)).toEqual([]);
  });

  it('resolves paths, file URLs and installed packages', () => {
    expect(resolvePlugin('./x/plugin.ts', '/srv')).toBe('file:///srv/x/plugin.ts');
    expect(resolvePlugin('/opt/p.ts')).toBe('file:///opt/p.ts');
    expect(resolvePlugin('file:///a.ts')).toBe('file:///a.ts');
    const repo = path.resolve(import.meta.dirname, '../../../..');
    expect(resolvePlugin('remex-plugin-hello', repo)).toBe(`file://${repo}/examples/remex-plugin-hello/src/index.ts`);
    expect(resolvePlugin('not-installed-plugin', repo)).toBe('not-installed-plugin');
    // A package directory given as a path is taken at its entry (plain Node imports no directory).
    expect(resolvePlugin('./examples/remex-plugin-hello', repo)).toBe(`file://${repo}/examples/remex-plugin-hello/src/index.ts`);
    expect(resolvePlugin(`${repo}/examples/remex-plugin-hello/`)).toBe(`file://${repo}/examples/remex-plugin-hello/src/index.ts`);
  });
});
