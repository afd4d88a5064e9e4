/**
 * @module
 * Builds the library packages (`@remex/common`, `erb`, `search-query`, `proxy`, `server`) into
 * their `dist/`: JavaScript with declaration files and source maps, by `tsc -b tsconfig.build.json`
 * (project references, so each package is compiled against the declarations of those it imports).
 * Their `exports` name `dist/` under the `types` and `import` conditions, so plain Node and
 * TypeScript consumers use the build; the workspace's own tools (tsc, Vitest, tsx, esbuild) ask
 * for the `source` condition and read the TypeScript sources (ADR 0013).
 *
 * Run by `npm install` (prepare) and `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

execFileSync(process.execPath, [tsc, '-b', join(root, 'tsconfig.build.json'), ...(process.argv.includes('--force') ? ['--force'] : [])], { stdio: 'inherit' });
// The server reads its shipped job templates at `./defaults/` beside `default-templates.js`.
cpSync(join(root, 'packages/server/src/templates/defaults'), join(root, 'packages/server/dist/templates/defaults'), { recursive: true });
