import { InputError } from '@remex/common';
import { describe, expect, it } from 'vitest';

import { loadServerConfig } from './server-config.ts';

describe('REMEX_TASK_LEASE_SECONDS', () => {
  it('defaults to 30 and takes whole seconds', () => {
    expect(loadServerConfig({}).taskLeaseSeconds).toBe(30);
    expect(loadServerConfig({ REMEX_TASK_LEASE_SECONDS: '5' }).taskLeaseSeconds).toBe(5);
  });

  it('refuses a value that is not a whole number of seconds from 1, naming the variable', () => {
    for (const bad of ['0', '-3', '1.5', 'soon', '100000']) {
      expect(() => loadServerConfig({ REMEX_TASK_LEASE_SECONDS: bad })).toThrow(InputError);
      expect(() => loadServerConfig({ REMEX_TASK_LEASE_SECONDS: bad })).toThrow(/REMEX_TASK_LEASE_SECONDS/);
    }
  });
});

describe('session lifetimes', () => {
  it('default to 60 idle minutes and 12 hours, and refuse bad values naming the variable', () => {
    expect(loadServerConfig({})).toMatchObject({ sessionIdleMinutes: 60, sessionMaxHours: 12 });
    expect(loadServerConfig({ REMEX_SESSION_IDLE_MINUTES: '15', REMEX_SESSION_MAX_HOURS: '1' })).toMatchObject({ sessionIdleMinutes: 15, sessionMaxHours: 1 });
    expect(() => loadServerConfig({ REMEX_SESSION_IDLE_MINUTES: '0' })).toThrow(/REMEX_SESSION_IDLE_MINUTES/);
    expect(() => loadServerConfig({ REMEX_SESSION_MAX_HOURS: 'long' })).toThrow(/REMEX_SESSION_MAX_HOURS/);
  });
});
