/**
 * @module
 * A deterministic pseudo-random generator for fuzz tests, so that a failure replays from its seed.
 */

/**
 * Returns a generator of numbers in [0, 1) seeded with `seed` (mulberry32: small, fast, and the
 * same sequence on every machine).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
