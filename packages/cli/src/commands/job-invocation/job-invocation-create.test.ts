/**
 * @module
 * Unit tests of the `job-invocation create` option → API body mapping.
 */
import { describe, expect, it } from 'vitest';

import { captureIo } from '../../../test/helpers/capture-io.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { jobInvocationPayload } from './job-invocation-create.ts';

/** A context whose API client must not be used (ids are given, nothing to look up). */
function offlineContext(): CommandContext {
  const { io } = captureIo();
  return {
    io,
    client: () => {
      throw new Error('no API call expected');
    },
    globalFlags: () => ({}),
    out: () => undefined,
    say: () => undefined,
    warn: () => undefined,
  };
}

describe('job-invocation create body', () => {
  it('maps hammer options to Foreman API names', async () => {
    const body = await jobInvocationPayload(offlineContext(), {
      jobTemplateId: 7,
      inputs: { command: 'uptime' },
      searchQuery: 'hostgroup = web',
      dynamic: true,
      randomizedOrdering: true,
      concurrencyLevel: 5,
      timeSpan: 30,
      executionTimeoutInterval: 60,
      effectiveUser: 'deploy',
      sshUser: 'ops',
      password: 'ssh-pw',
      keyPassphrase: 'key-pp',
      effectiveUserPassword: 'sudo-pw',
      descriptionFormat: 'Run %{command}',
    });
    expect(body).toEqual({
      job_template_id: 7,
      targeting_type: 'dynamic_query',
      search_query: 'hostgroup = web',
      inputs: { command: 'uptime' },
      randomized_ordering: true,
      concurrency_control: { concurrency_level: 5, time_span: 30 },
      execution_timeout_interval: 60,
      ssh: { effective_user: 'deploy', effective_user_password: 'sudo-pw' },
      ssh_user: 'ops',
      password: 'ssh-pw',
      key_passphrase: 'key-pp',
      description_format: 'Run %{command}',
    });
  });

  it('sends --start-at/--start-before as scheduling and any recurrence option as recurrence', async () => {
    const scheduled = await jobInvocationPayload(offlineContext(), { jobTemplateId: 7, searchQuery: 'a', startAt: '2030-01-01 10:00', startBefore: '2030-01-01 11:00' });
    expect(scheduled.scheduling).toEqual({ start_at: '2030-01-01 10:00', start_before: '2030-01-01 11:00' });
    expect(scheduled.recurrence).toBeUndefined();
    const later = await jobInvocationPayload(offlineContext(), { jobTemplateId: 7, searchQuery: 'a', startAt: '2030-01-01 10:00' });
    expect(later.scheduling).toEqual({ start_at: '2030-01-01 10:00' });
    const recurring = await jobInvocationPayload(offlineContext(), { jobTemplateId: 7, searchQuery: 'a', maxIteration: 3 });
    expect(recurring.recurrence).toEqual({ max_iteration: 3 });
    expect(recurring.scheduling).toBeUndefined();
  });

  it('sends host ids as numbers and names as strings, static by default', async () => {
    const body = await jobInvocationPayload(offlineContext(), { feature: 'run_script', hostIds: ['3', 'web01'] });
    expect(body).toMatchObject({ feature: 'run_script', targeting_type: 'static_query', host_ids: [3, 'web01'], inputs: {} });
  });

  it('rejects contradictory or missing options before calling the API', async () => {
    await expect(jobInvocationPayload(offlineContext(), { jobTemplateId: 1, feature: 'x', searchQuery: 'a' })).rejects.toThrow(
      'Only one of feature or job_template_id can be specified',
    );
    await expect(jobInvocationPayload(offlineContext(), { searchQuery: 'a' })).rejects.toThrow(/give --job-template/);
    await expect(jobInvocationPayload(offlineContext(), { jobTemplateId: 1 })).rejects.toThrow(/give --search-query, --host-ids/);
  });

  it('reads --input-files relative to the working directory; --inputs win', async () => {
    const ctx = offlineContext();
    const body = await jobInvocationPayload(
      { ...ctx, io: { ...ctx.io, cwd: new URL('.', import.meta.url).pathname } },
      { jobTemplateId: 1, searchQuery: 'a', inputFiles: { script: 'job-progress.ts', command: 'job-progress.ts' }, inputs: { command: 'ls' } },
    );
    expect((body.inputs as Record<string, string>).script).toContain('export function formatProgress');
    expect((body.inputs as Record<string, string>).command).toBe('ls');
    await expect(jobInvocationPayload(ctx, { jobTemplateId: 1, searchQuery: 'a', inputFiles: { s: 'nope.sh' } })).rejects.toThrow(/file not found: nope.sh/);
  });
});
