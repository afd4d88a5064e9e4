/**
 * @module
 * Temp dirs removed even when the run ends early (Ctrl-C: `run.ts` turns signals into
 * `process.exit`, which runs `exit` listeners but not `finally` blocks).
 */
import { rmSync } from 'node:fs';

const paths = new Set<string>();
let installed = false;

/** Removes `path` (recursively) at process exit unless {@link forget} was called for it first. */
export function removeOnExit(path: string): void {
  paths.add(path);
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const p of paths) rmSync(p, { recursive: true, force: true });
  });
}

/** Drops `path` from the exit list (it was cleaned up normally). */
export function forget(path: string): void {
  paths.delete(path);
}
