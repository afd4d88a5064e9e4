/**
 * @module
 * The quarantine list stays honest: exact, unique names, a one-line reason and a date each.
 */
import { describe, expect, it } from 'vitest';

import { QUARANTINE, quarantined } from '@remex/testkit';

describe('quarantine', () => {
  it('has unique names, a one-line reason and a date for every entry', () => {
    expect(new Set(QUARANTINE.map((q) => q.name)).size).toBe(QUARANTINE.length);
    for (const q of QUARANTINE) {
      expect(q.name.trim()).toBe(q.name);
      expect(q.name).not.toBe('');
      expect(q.reason).toMatch(/^[^\n]{10,}$/);
      expect(q.since).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('does not skip a test that is not listed', () => {
    expect(quarantined('a test name nobody uses')).toBe(false);
  });
});
