/**
 * @module
 * Temporary directories for tests, created under the OS temp dir and removed by `cleanup()`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory and the function that removes it. */
export interface TempDir {
  /** Absolute path of the directory (mode 0700 as created by `mkdtemp`). */
  path: string;
  /** Removes the directory and everything in it; safe to call twice. */
  cleanup(): Promise<void>;
}

/**
 * Creates a fresh empty directory under `os.tmpdir()`.
 * @param prefix - name prefix of the directory (Default: `"remex-test-"`).
 */
export async function tempDir(prefix = 'remex-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    cleanup: () => rm(path, { recursive: true, force: true }),
  };
}
