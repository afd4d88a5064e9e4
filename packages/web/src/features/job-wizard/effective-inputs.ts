/**
 * @module
 * The inputs a template offers in the wizard: its own, then those its foreign input sets borrow
 * from other templates (all of the target's, or the ones included; never the excluded ones),
 * followed through nested sets as the server does when it checks a job's inputs.
 */
import type { JobTemplate, TemplateInput } from '../../api/types.ts';

/** Loads a template (with its inputs and foreign input sets) by id. */
export type TemplateLoader = (id: number) => Promise<JobTemplate>;

/** The names of a comma-separated list (`a, b`). */
export function nameList(value: string | null | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Whether `template` borrows inputs from other templates. */
export function hasForeignInputs(template: JobTemplate): boolean {
  return (template.foreign_input_sets ?? []).length > 0;
}

/**
 * Own and borrowed inputs of `template`, in the server's order.
 * @throws Error on a cycle of foreign input sets (the server refuses those too)
 */
export async function effectiveInputs(template: JobTemplate, load: TemplateLoader, stack: readonly number[] = []): Promise<TemplateInput[]> {
  if (stack.includes(template.id)) throw new Error(`Circular dependency in foreign input sets of template ${template.name}`);
  const out = [...(template.template_inputs ?? [])];
  for (const set of template.foreign_input_sets ?? []) {
    const target = await load(set.target_template_id);
    let inputs = await effectiveInputs(target, load, [...stack, template.id]);
    if (!set.include_all) {
      const included = new Set(nameList(set.include));
      inputs = inputs.filter((i) => included.has(i.name));
    }
    const excluded = new Set(nameList(set.exclude));
    out.push(...inputs.filter((i) => !excluded.has(i.name)));
  }
  return out;
}
