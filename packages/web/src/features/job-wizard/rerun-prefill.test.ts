import { describe, expect, it } from 'vitest';

import type { JobInvocation, TemplateInput } from '../../api/types.ts';
import { inputsToRetype, prefillFromJob } from './rerun-prefill.ts';
import { targetQuery, toRequest, initialState } from './wizard-state.ts';

const job: JobInvocation = {
  id: 7,
  status: 1,
  status_label: 'failed',
  job_category: 'Commands',
  template_id: 3,
  template_name: 'Run Command - Script Default',
  effective_user: 'app',
  ssh_user: null,
  concurrency_level: 5,
  time_span: 60,
  execution_timeout_interval: 300,
  description_format: 'Uptime of %{command}',
  inputs: { command: 'uptime', token: '*****' },
  targeting: { search_query: 'name ~ web*', targeting_type: 'dynamic_query' },
  task: {},
};
const inputs: TemplateInput[] = [
  { id: 1, name: 'command', input_type: 'user' },
  { id: 2, name: 'token', input_type: 'user', hidden_value: true },
];

describe('prefillFromJob', () => {
  it('takes template, inputs (not the masked ones), targeting and the advanced fields of the job', () => {
    const s = { ...initialState(), ...prefillFromJob(job, inputs) };
    expect(s).toMatchObject({ category: 'Commands', templateId: 3, inputs: { command: 'uptime' }, targetMode: 'search', search: 'name ~ web*', targetingType: 'dynamic_query', effectiveUser: 'app', sshUser: '', concurrency: '5', timeSpan: '60', timeout: '300', descriptionFormat: 'Uptime of %{command}' });
    expect(toRequest(s)).toMatchObject({ job_template_id: 3, search_query: 'name ~ web*', targeting_type: 'dynamic_query', inputs: { command: 'uptime' }, effective_user: 'app', concurrency_control: { concurrency_level: 5, time_span: 60 }, execution_timeout_interval: 300, description_format: 'Uptime of %{command}' });
    expect(inputsToRetype(job, inputs)).toEqual(['token']);
  });

  it('carries randomized ordering over, and sends it only when on', () => {
    const s = { ...initialState(), ...prefillFromJob({ ...job, randomized_ordering: true }, inputs) };
    expect(s.randomizedOrdering).toBe(true);
    expect(toRequest(s).randomized_ordering).toBe(true);
    const plain = { ...initialState(), ...prefillFromJob({ ...job, randomized_ordering: false }, inputs) };
    expect(toRequest(plain)).not.toHaveProperty('randomized_ordering');
  });

  it("leaves the description format empty (the template's) when the job had none", () => {
    expect(prefillFromJob({ ...job, description_format: null }, inputs).descriptionFormat).toBe('');
  });

  it('targets only the failed hosts, statically, with "failed only"', () => {
    const s = { ...initialState(), ...prefillFromJob(job, inputs, { names: ['a.example.com', 'b.example.com'] }) };
    expect(s).toMatchObject({ targetMode: 'hosts', targetingType: 'static_query', hosts: 'a.example.com, b.example.com' });
    expect(targetQuery(s)).toBe('name ^ (a.example.com, b.example.com)');
  });

  it('targets many failed hosts by the host search that picks them', () => {
    const s = { ...initialState(), ...prefillFromJob(job, inputs, { query: 'job_invocation.id = 7 and job_invocation.result = failed' }) };
    expect(s).toMatchObject({ targetMode: 'search', targetingType: 'static_query' });
    expect(toRequest(s)).toMatchObject({ search_query: 'job_invocation.id = 7 and job_invocation.result = failed', targeting_type: 'static_query' });
  });
});
