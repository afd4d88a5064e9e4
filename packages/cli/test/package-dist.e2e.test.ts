/**
 * @module
 * The library packages' builds (scripts/build-packages.ts, run by `npm install`): each one's
 * `exports` give plain Node its `dist/` JavaScript (no TypeScript loader, no `source` condition)
 * with the same exports as the sources, and a TypeScript consumer type-checks against its
 * declaration files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const LIBRARIES = ['common', 'erb', 'search-query', 'proxy', 'server'] as const;
let dir: string;

/** The environment of a consumer outside the workspace's tools: no `--conditions=source`. */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

beforeAll(() => {
  // Incremental: a no-op when `npm install` built them and no source changed since.
  execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', path.join(REPO, 'scripts/build-packages.ts')], { cwd: REPO, stdio: 'pipe', env: plainEnv() });
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the built library packages', { timeout: 120_000 }, () => {
  it.each(LIBRARIES)('@remex/%s: plain Node imports dist/ with the exports of the sources', async (name) => {
    const manifest = JSON.parse(readFileSync(path.join(REPO, 'packages', name, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
    expect(manifest.exports['.']).toEqual({ source: './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js' });
    expect(existsSync(path.join(REPO, 'packages', name, 'dist/index.d.ts'))).toBe(true);
    const script = `import('@remex/${name}').then((m) => { process.stdout.write(JSON.stringify({ url: import.meta.resolve('@remex/${name}'), keys: Object.keys(m).sort() })); })`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8', env: plainEnv() });
    expect(r.stderr).toBe('');
    const built = JSON.parse(r.stdout) as { url: string; keys: string[] };
    expect(built.url).toMatch(new RegExp(`/packages/${name}/dist/index\\.js$`));
    // This worker reads the sources (the `source` condition): the same names must come out.
    const source = (await import(`@remex/${name}`)) as Record<string, unknown>;
    expect(built.keys).toEqual(Object.keys(source).sort());
  });

  it('a TypeScript consumer type-checks against the declarations (no source condition)', async () => {
    dir = await mkdtemp(path.join(REPO, 'packages/cli/.consumer-'));
    const file = path.join(dir, 'consumer.ts');
    await writeFile(
      file,
      [
        "import { parseQuery } from '@remex/search-query';",
        "import { InputError, type JobInvocationCreate } from '@remex/common';",
        "const body: JobInvocationCreate = { job_template_id: 1, search_query: 'name ~ web' };",
        'const e: Error = new InputError(String(body.search_query));',
        'export const used = [parseQuery(String(body.search_query)), e];',
        '',
      ].join('\n'),
    );
    // A consumer's own project: Node's resolution, no custom conditions.
    const compilerOptions = { noEmit: true, strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: true, types: ['node'] };
    await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8', env: plainEnv() });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
