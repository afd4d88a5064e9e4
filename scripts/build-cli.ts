/**
 * @module
 * Builds the `remex` command into `packages/cli/dist/` (ADR 0013): esbuild bundles the
 * TypeScript of every `@remex/*` package into ES modules (split, so `remex --help` loads only
 * the CLI), third-party packages stay external and load from `node_modules`, and the shipped job
 * templates are copied beside the bundle. `bin/remex` and `npm start` run the result with plain
 * Node; `npm run remex` and the tests keep running the sources through tsx.
 *
 * Run by `npm install` (prepare) and `npm start` (prestart, when a source is newer than the
 * build); `--force` always builds; `--outdir DIR` builds elsewhere (tests).
 */
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import type { Plugin } from 'esbuild';

import { newest } from './lib/newest.ts';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The default output directory. */
export const CLI_DIST = join(root, 'packages/cli/dist');

/** Directories whose files the bundle is made of (a newer file means the build is stale). */
const SOURCES = ['packages/cli/src', 'packages/server/src', 'packages/proxy/src', 'packages/common/src', 'packages/erb/src', 'packages/search-query/src'].map((p) => join(root, p));


/** True when the bundle in `outdir` is missing or older than one of its sources. */
export function cliNeedsBuild(outdir = CLI_DIST): boolean {
  const built = newest(join(outdir, 'remex.js'));
  return built === 0 || Math.max(...SOURCES.map(newest), newest(join(root, 'package-lock.json'))) > built;
}

/** Third-party imports stay external; `@remex/*` workspace packages are bundled from source. */
function externalDependencies(found: Set<string>): Plugin {
  return {
    name: 'remex-external-dependencies',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('@remex/') || args.path.startsWith('node:')) return undefined;
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : (args.path.split('/')[0] ?? args.path);
        found.add(name);
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * Bundles `entryPoints` (output name → TypeScript entry, relative to the repository) into a fresh
 * `outdir` as split ES modules: the `@remex/*` packages from their sources, third-party packages
 * external; with the shipped job templates beside the chunks and a `package.json` making the
 * files ES modules. The bench bundles its children the same way (`bench/lib/bundle.ts`).
 * @returns the third-party packages the bundle imports
 */
export async function bundleSources(entryPoints: Record<string, string>, outdir: string): Promise<Set<string>> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const external = new Set<string>();
  await build({
    absWorkingDir: root,
    // The proxy's SSH worker threads load their own entry beside the chunks (ssh-worker-link.ts).
    entryPoints: { ...entryPoints, 'ssh-worker': 'packages/proxy/src/transport/ssh-worker/ssh-worker-main.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    // The workspace packages from their TypeScript sources, not their built `dist/`.
    conditions: ['source'],
    plugins: [externalDependencies(external)],
  });
  // Chunks read the shipped templates at `./defaults/` beside them (default-templates.ts).
  cpSync(join(root, 'packages/server/src/templates/defaults'), join(outdir, 'chunks/defaults'), { recursive: true });
  cpSync(join(root, 'packages/server/src/templates/defaults'), join(outdir, 'defaults'), { recursive: true });
  writeFileSync(join(outdir, 'package.json'), '{ "type": "module" }\n');
  return external;
}

/**
 * Bundles the CLI (with the server and proxy it starts) into `outdir`.
 * @throws Error when a third-party package the bundle imports cannot be resolved from `outdir`
 */
export async function buildCli(outdir = CLI_DIST): Promise<void> {
  const external = await bundleSources({ remex: 'packages/cli/src/bin.ts', 'child-entry': 'packages/cli/src/commands/run/up/child-entry.ts' }, outdir);
  const resolveFrom = createRequire(join(outdir, 'remex.js'));
  const missing = [...external].filter((name) => {
    try {
      resolveFrom.resolve(`${name}/package.json`);
      return false;
    } catch {
      // Packages without an exported package.json: their entry resolves instead.
      try {
        resolveFrom.resolve(name);
        return false;
      } catch {
        return !existsSync(join(root, 'node_modules', name));
      }
    }
  });
  if (missing.length > 0) throw new Error(`The bundle imports packages that do not resolve from ${outdir}: ${missing.join(', ')}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--outdir');
  const outdir = at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : CLI_DIST;
  if (process.argv.includes('--force') || cliNeedsBuild(outdir)) {
    const started = Date.now();
    await buildCli(outdir);
    process.stderr.write(`built the remex command (${outdir}) in ${Date.now() - started} ms\n`);
  }
}
