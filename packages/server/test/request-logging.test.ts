import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/one-request.ts', import.meta.url));

describe('request logging', () => {
  // Regression: once every route was registered inside an access scope, routes inherited the
  // scope's level and each request wrote two info lines (a cost on every API call and callback).
  it('writes no per-request lines at level info', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toContain('status 200');
    expect(r.stdout).toContain('Server listening');
    expect(r.stdout).not.toContain('incoming request');
    expect(r.stdout).not.toContain('request completed');
  });
});
