/**
 * How a plugin author tests a plugin: start a real Remex server (SQLite, no proxy) with the
 * plugin named in `REMEX_PLUGINS`, then trigger a job from code. Without a proxy the job is
 * created and its host task fails to dispatch, which is enough to see the feature, the template
 * and the inputs wired together; `packages/server/test/features-plugin.test.ts` runs it on a
 * real SSH fleet.
 */
import path from 'node:path';

import { loadServerConfig, startServer } from '@remex/server';
import type { RunningServer } from '@remex/server';
import { createTestDatabase, tempDir } from '@remex/testkit';
import type { TempDir, TestDatabase } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HELLO_FEATURE, sayHello } from '../src/index.ts';

const PASSWORD = 'hello-pw';

describe('remex-plugin-hello', () => {
  let server: RunningServer;
  let db: TestDatabase;
  let dir: TempDir;
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    dir = await tempDir('remex-hello-');
    const plugin = path.resolve(import.meta.dirname, '../src/index.ts');
    server = await startServer(
      loadServerConfig({ REMEX_DATA_DIR: dir.path, REMEX_PORT: '0', REMEX_ADMIN_PASSWORD: PASSWORD, REMEX_LOG_LEVEL: 'warn', DATABASE_URL: db.url, REMEX_PLUGINS: plugin }),
    );
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    await dir?.cleanup();
  });

  it('registers the hello_world feature with its template', async () => {
    const f = await api('GET', `/api/remote_execution_features/${HELLO_FEATURE}`);
    expect(f.body).toMatchObject({ label: HELLO_FEATURE, host_action_button: true, job_template_name: 'Say Hello - Remex Plugin Hello' });
  });

  it('triggers a job from code with the feature template and the given inputs', async () => {
    expect((await api('POST', '/api/hosts', { host: { name: 'web1.example.com', ip: '127.0.0.1' } })).status).toBe(201);
    const job = await sayHello(['web1.example.com'], 'hi');
    expect(job).toMatchObject({ description: 'Say hi', totalHosts: 1 });
    const shown = await api('GET', `/api/job_invocations/${job.id}`);
    expect(shown.body).toMatchObject({ template_name: 'Say Hello - Remex Plugin Hello', inputs: { greeting: 'hi' } });
  });
});
