/**
 * @module
 * Bench children run as the product runs: bundled as `scripts/build-cli.ts` bundles the `remex`
 * command (ADR 0013, {@link bundleSources}) and started with plain Node, not through tsx, whose
 * loader thread and compile cache would add memory and CPU the product does not have. Each
 * child script is bundled once per bench process, from the sources, into
 * `packages/.bench/<name>/` (the depth of `packages/cli/dist/`, so that the sources' relative
 * paths to `docs/` and `packages/web/dist` resolve as in the CLI bundle).
 */
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { bundleSources } from '../../scripts/build-cli.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundles = new Map<string, Promise<string>>();

/**
 * The bundled form of the TypeScript `script` (bundled on first use).
 * @returns the path of the entry module to run with plain Node
 */
export function bundled(script: string): Promise<string> {
  let done = bundles.get(script);
  if (!done) {
    const name = basename(script, '.ts');
    const outdir = join(root, 'packages/.bench', name);
    done = bundleSources({ [name]: relative(root, script) }, outdir).then(() => join(outdir, `${name}.js`));
    bundles.set(script, done);
  }
  return done;
}
