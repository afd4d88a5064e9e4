import { describe, expect, it } from 'vitest';

import { errorForLog } from './app.ts';

describe('errorForLog', () => {
  it("keeps type, message, code and stack, never a driver error's client (which may hold the database password)", () => {
    const e = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
      client: { connectionParameters: { user: 'remex', password: 'hunter2-db-password' } },
    });
    const logged = errorForLog(e);
    expect(logged).toMatchObject({ type: 'Error', message: 'terminating connection due to administrator command', code: '57P01' });
    expect(JSON.stringify(logged)).not.toContain('hunter2');
    expect(logged).not.toHaveProperty('client');
  });
});
