import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { MEMORY_NODE_FLAGS, memoryEnv } from './memory-flags.ts';

describe('memory settings of the server and proxy processes', () => {
  it('are the ones bin/remex starts `remex server` and `remex proxy` with', () => {
    const bin = readFileSync(new URL('../../../../bin/remex', import.meta.url), 'utf8');
    expect(bin).toContain(`server|proxy) flags="${MEMORY_NODE_FLAGS.join(' ')}"; MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-2}`);
  });

  it('limit glibc to two malloc arenas unless MALLOC_ARENA_MAX is set', () => {
    expect(memoryEnv({ PATH: '/bin' })).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '2' });
    expect(memoryEnv({ MALLOC_ARENA_MAX: '8' })).toEqual({ MALLOC_ARENA_MAX: '8' });
  });
});
