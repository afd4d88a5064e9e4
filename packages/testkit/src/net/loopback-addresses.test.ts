/**
 * @module
 * Fleet and unreachable loopback address arithmetic.
 */
import { describe, expect, it } from 'vitest';

import { fleetAddress, unreachableAddress } from './loopback-addresses.ts';

describe('fleetAddress', () => {
  it('fills 127.0.1.1-254, then the next /24, then the next second octet', () => {
    expect(fleetAddress(0)).toBe('127.0.1.1');
    expect(fleetAddress(253)).toBe('127.0.1.254');
    expect(fleetAddress(254)).toBe('127.0.2.1');
    expect(fleetAddress(254 * 255 - 1)).toBe('127.0.255.254');
    expect(fleetAddress(254 * 255)).toBe('127.1.1.1');
  });

  it('never collides with the unreachable range and rejects bad indexes', () => {
    expect(fleetAddress(254 * 255 * 254 - 1)).toBe('127.253.255.254');
    expect(() => fleetAddress(254 * 255 * 254)).toThrow(RangeError);
    expect(() => fleetAddress(-1)).toThrow(RangeError);
    expect(() => fleetAddress(1.5)).toThrow(RangeError);
  });
});

describe('unreachableAddress', () => {
  it('is in 127.254.0.0/16, never a network or broadcast-like last octet', () => {
    for (let i = 0; i < 200; i++) {
      const parts = unreachableAddress().split('.').map(Number);
      expect(parts[0]).toBe(127);
      expect(parts[1]).toBe(254);
      expect(parts[3]).toBeGreaterThanOrEqual(1);
      expect(parts[3]).toBeLessThanOrEqual(254);
    }
  });
});
