import { describe, expect, it } from 'vitest';

import type { ForeignInputSet, JobTemplate, TemplateInput } from '../../api/types.ts';
import { effectiveInputs, hasForeignInputs, nameList } from './effective-inputs.ts';

const input = (id: number, name: string): TemplateInput => ({ id, name, input_type: 'user' });
const set = (target: number, include_all: boolean, include = '', exclude = ''): ForeignInputSet => ({ id: target * 10, target_template_id: target, include_all, include, exclude });
const tpl = (id: number, name: string, inputs: TemplateInput[], sets: ForeignInputSet[] = []): JobTemplate => ({
  id,
  name,
  job_category: 'Tests',
  provider_type: 'script',
  template: '',
  template_inputs: inputs,
  foreign_input_sets: sets,
});

/** Templates by id: 1 borrows from 2 (all but `b`), 2 has `a`, `b` and borrows `c` from 3. */
const templates = new Map<number, JobTemplate>([
  [1, tpl(1, 'one', [input(1, 'own')], [set(2, true, '', 'b')])],
  [2, tpl(2, 'two', [input(2, 'a'), input(3, 'b')], [set(3, false, 'c, nope')])],
  [3, tpl(3, 'three', [input(4, 'c'), input(5, 'd')])],
]);
const load = (id: number) => {
  const t = templates.get(id);
  return t ? Promise.resolve(t) : Promise.reject(new Error(`no template ${id}`));
};

describe('effectiveInputs', () => {
  it('adds the borrowed inputs after the own ones, through nested sets, included and not excluded', async () => {
    const one = await load(1);
    expect(hasForeignInputs(one)).toBe(true);
    expect(hasForeignInputs(await load(3))).toBe(false);
    expect((await effectiveInputs(one, load)).map((i) => i.name)).toEqual(['own', 'a', 'c']);
    expect((await effectiveInputs(await load(2), load)).map((i) => i.name)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a cycle', async () => {
    const loop = tpl(7, 'loop', [], [set(7, true)]);
    await expect(effectiveInputs(loop, () => Promise.resolve(loop))).rejects.toThrow(/Circular/);
  });

  it('reads comma-separated names', () => {
    expect(nameList(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(nameList(null)).toEqual([]);
  });
});
