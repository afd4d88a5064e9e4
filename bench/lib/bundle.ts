/**
 * @module
 * Bench children run as the product runs: bundled by esbuild (as `scripts/build-cli.ts` builds
 * the `remex` command, ADR 0013) and started with plain Node, not through tsx, whose loader
 * thread and compile cache would add memory and CPU the product does not have. Each child script
 * is bundled once per bench process, from the sources, into `packages/.bench/<name>/` (the
 * depth of `packages/cli/dist/`, so that the sources' relative paths to `docs/` and
 * `packages/web/dist` resolve as in the CLI bundle); third-party packages stay external.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundles = new Map<string, Promise<string>>();

/** Third-party imports stay external; `@remex/*` packages are bundled from their sources. */
const externalDependencies: Plugin = {
  name: 'bench-external-dependencies',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@remex/') || args.path.startsWith('node:') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * The bundled form of the TypeScript `script` (bundled on first use).
 * @returns the path of the entry module to run with plain Node
 */
export function bundled(script: string): Promise<string> {
  let done = bundles.get(script);
  if (!done) {
    done = bundle(script);
    bundles.set(script, done);
  }
  return done;
}

async function bundle(script: string): Promise<string> {
  const name = basename(script, '.ts');
  const outdir = join(root, 'packages/.bench', name);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: { [name]: script },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    logLevel: 'warning',
    conditions: ['source'],
    plugins: [externalDependencies],
  });
  // The server's chunks read the shipped templates at `./defaults/` beside them.
  for (const dir of ['chunks/defaults', 'defaults']) cpSync(join(root, 'packages/server/src/templates/defaults'), join(outdir, dir), { recursive: true });
  writeFileSync(join(outdir, 'package.json'), '{ "type": "module" }\n');
  return join(outdir, `${name}.js`);
}
