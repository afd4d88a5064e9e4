/**
 * @module
 * The safety net of a `remex up` child: an uncaught exception or an unhandled rejection is logged
 * with its stack and the process exits with code 70 at once (the supervisor restarts it).
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/safety-net-child.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function run(mode: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', TSX, FIXTURE, mode], { timeout: 50_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('remex up child safety net', () => {
  it.each([
    ['throw', 'uncaught exception', 'Error: thrown outside any request'],
    ['reject', 'unhandled promise rejection', 'TypeError: rejected outside any request'],
  ])('%s: logs the stack and exits 70', async (mode, kind, error) => {
    const r = await run(mode);
    expect(r.code).toBe(70);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^remex server \\(pid \\d+\\): ${kind}, exiting: ${error}\\n\\s+at `));
    expect(r.stderr).toContain('safety-net-child.ts');
  });
});
