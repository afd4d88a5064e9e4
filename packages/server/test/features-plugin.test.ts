/**
 * The plugin API end to end: a server started with `REMEX_PLUGINS=remex-plugin-hello` loads the
 * example plugin, which registers the `hello_world` feature and its template; the plugin then
 * triggers a job from code (`composer.forFeature(...).trigger()`) that runs on a real sshd fleet.
 */
import { DIALECTS } from '@remex/testkit';
import { HELLO_FEATURE, sayHello } from 'remex-plugin-hello';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FleetStack } from './fleet-stack.ts';
import { startFleetStack, waitForJob } from './fleet-stack.ts';

describe.each(DIALECTS)('remex-plugin-hello on %s', (dialect) => {
  let s: FleetStack;
  beforeAll(async () => {
    s = await startFleetStack(dialect, 2, { REMEX_PLUGINS: 'remex-plugin-hello' });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('registers its feature and maps its locked template to it', async () => {
    const f = await s.t.api('GET', `/api/remote_execution_features/${HELLO_FEATURE}`);
    expect(f.status).toBe(200);
    expect(f.body).toMatchObject({ label: 'hello_world', name: 'Say Hello', host_action_button: true, provided_input_names: ['greeting'], job_template_name: 'Say Hello - Remex Plugin Hello' });
    const tpl = await s.t.api('GET', `/api/job_templates/${f.body.job_template_id}`);
    expect(tpl.body).toMatchObject({ locked: true, job_category: 'Examples', feature: 'hello_world' });
  });

  it('triggers a job from code that runs on every given host', async () => {
    const names = s.fleet.hosts.map((h) => h.name);
    const triggered = await sayHello(names, 'hello there');
    expect(triggered).toMatchObject({ description: 'Say hello there', totalHosts: 2 });
    const job = await waitForJob(s.t, triggered.id);
    expect(job).toMatchObject({ status_label: 'succeeded', succeeded: 2, template_name: 'Say Hello - Remex Plugin Hello' });
    expect(job.targeting.targeting_type).toBe('static_query');
    for (const name of names) {
      const out = await s.t.api('GET', `/api/job_invocations/${triggered.id}/hosts/${name}`);
      expect((out.body.output as Array<{ output: string }>).map((l) => l.output).join('')).toContain(`hello there from ${name}\n`);
    }
  });

  it('rejects a feature job with a missing provided input or unknown hosts', async () => {
    const host = s.fleet.hosts[0]!.name;
    await expect(sayHello([host], '')).rejects.toThrow(/required input 'greeting'/);
    await expect(sayHello(['nope.example.com'], 'x')).rejects.toThrow(/Host 'nope.example.com' not found/);
    const viaApi = await s.t.api('POST', '/api/job_invocations', { job_invocation: { feature: HELLO_FEATURE, search_query: `name = ${host}`, inputs: { greeting: 'api' } } });
    expect(viaApi.status, viaApi.text).toBe(201);
    expect((await waitForJob(s.t, viaApi.body.id as number)).status_label).toBe('succeeded');
  });
});
