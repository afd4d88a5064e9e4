/**
 * The wizard's state → request: target queries, input order, required inputs, schedule.
 */
import { describe, expect, it } from 'vitest';

import type { TemplateInput } from '../../api/types.ts';
import { hostsQuery } from './targets.ts';
import { initialState, missingInputs, orderInputs, targetQuery, toRequest } from './wizard-state.ts';

const input = (name: string, extra: Partial<TemplateInput> = {}): TemplateInput => ({ id: 1, name, input_type: 'user', ...extra });

describe('wizard state', () => {
  it('turns hosts, host groups and a search into a host query', () => {
    expect(targetQuery({ ...initialState(), targetMode: 'hosts', hosts: 'a.example, b.example' })).toBe('name ^ (a.example, b.example)');
    expect(targetQuery({ ...initialState(), targetMode: 'hostgroups', hostgroups: 'web' })).toBe('hostgroup = web');
    expect(targetQuery(initialState(' os = Debian '))).toBe('os = Debian');
    expect(hostsQuery(['odd name"x'])).toBe('name = "odd namex"');
  });

  it('orders user inputs required first, folds advanced ones, and ignores fact inputs', () => {
    const { basic, advanced } = orderInputs([input('opt'), input('req', { required: true }), input('adv', { advanced: true }), input('fact', { input_type: 'fact' })]);
    expect(basic.map((i) => i.name)).toEqual(['req', 'opt']);
    expect(advanced.map((i) => i.name)).toEqual(['adv']);
  });

  it('lists required inputs still empty (a default counts)', () => {
    const inputs = [input('a', { required: true }), input('b', { required: true, default: 'x' }), input('c')];
    expect(missingInputs(inputs, {})).toEqual(['a']);
    expect(missingInputs(inputs, { a: ' ' })).toEqual(['a']);
    expect(missingInputs(inputs, { a: 'v' })).toEqual([]);
  });

  it('builds the request with only the options given and a UTC schedule', () => {
    const s = { ...initialState('name = a'), templateId: 4, inputs: { command: 'uptime', empty: '' }, concurrency: '5', schedule: 'future' as const, startAt: '2030-01-02T03:04' };
    const body = toRequest(s);
    expect(body).toMatchObject({ job_template_id: 4, targeting_type: 'static_query', search_query: 'name = a', inputs: { command: 'uptime' }, concurrency_control: { concurrency_level: 5 } });
    expect(body.inputs).not.toHaveProperty('empty');
    expect(body).not.toHaveProperty('effective_user');
    expect(body.scheduling?.start_at).toBe(new Date('2030-01-02T03:04').toISOString());
  });

  it('builds a recurrence from the presets or a cron line, and a time span', () => {
    const base = { ...initialState('name = a'), templateId: 4, schedule: 'recurring' as const };
    expect(toRequest({ ...base, recurType: 'weekly', recurTime: '22:30', recurDays: '1, 3', maxIteration: '4', purpose: ' patch ' }).recurrence).toEqual({ input_type: 'weekly', time: '22:30', days_of_week: ['1', '3'], max_iteration: 4, purpose: 'patch' });
    expect(toRequest({ ...base, recurType: 'cronline', cronLine: ' 0 4 * * 0#2 ', endTime: '2031-01-01T00:00' }).recurrence).toEqual({ input_type: 'cronline', cron_line: '0 4 * * 0#2', end_time: new Date('2031-01-01T00:00').toISOString() });
    expect(toRequest({ ...base, recurType: 'hourly', recurMinute: '15' }).recurrence).toEqual({ input_type: 'hourly', minutes: '15' });
    expect(toRequest({ ...base, recurType: 'monthly', recurTime: '01:00', recurDays: '1 15' }).recurrence).toEqual({ input_type: 'monthly', time: '01:00', days: '1,15' });
    expect(toRequest({ ...initialState('x'), templateId: 1, timeSpan: '60' }).concurrency_control).toEqual({ time_span: 60 });
    expect(toRequest({ ...initialState('x'), templateId: 1 })).not.toHaveProperty('recurrence');
  });
});
