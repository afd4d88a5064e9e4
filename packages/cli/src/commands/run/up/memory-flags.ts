/**
 * @module
 * How the long-running Remex processes (the server and the proxy) use memory (ADR 0027): V8's
 * defaults let the young generation grow to two 16 MB semi-spaces and the old generation to up
 * to four times what survived the last full collection. A 10,000-host job then held 470–520 MB
 * in the server and proxy together while less than 100 MB of it was live. Smaller semi-spaces
 * and a heap that grows by half at most keep that at 360–380 MB for a few per cent more CPU.
 */

/** The V8 flags the server and proxy processes start with (`remex up`'s children, `remex server`, `remex proxy`). */
export const MEMORY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--heap-growing-percent=50'];

/**
 * The environment of a server or proxy process: glibc keeps at most two malloc arenas (one per
 * thread by default, which strands freed memory in each), unless `MALLOC_ARENA_MAX` is set.
 * @param env - the environment to start from
 */
export function memoryEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return env.MALLOC_ARENA_MAX === undefined ? { ...env, MALLOC_ARENA_MAX: '2' } : env;
}
