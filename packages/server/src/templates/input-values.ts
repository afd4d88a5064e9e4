/**
 * @module
 * The values a job or a preview gives a template's inputs, checked against the inputs it offers
 * (reference §1b): known names, user inputs only, required values, option lists.
 */
import { InputError } from '@remex/common';

import type { TemplateInputRow } from '../db/schema.ts';
import { isSet } from '../db/time.ts';
import type { LoadedTemplate } from './job-template-store.ts';
import { inputOptions } from './job-template-store.ts';

/**
 * Checks input names, required inputs and option lists against the template (reference §1b).
 * `offered` is the template's own inputs plus those of its foreign input sets (default: own).
 * Only user inputs take values; fact, variable and puppet parameter inputs come from the host.
 * An empty value counts as not given (no option check). `requireValues: false` (previews of a job
 * being composed) skips the required-value check.
 */
export function checkInputs(t: LoadedTemplate, inputs: Record<string, string>, offered: readonly TemplateInputRow[] = t.inputs, options: { requireValues?: boolean } = {}): void {
  const userInputs = new Map(offered.filter((i) => i.input_type === 'user').map((i) => [i.name, i]));
  const known = new Map(offered.map((i) => [i.name, i]));
  for (const name of Object.keys(inputs)) {
    const def = known.get(name);
    if (!def) throw new InputError(`Unknown input ${name} for template ${t.row.name}`);
    if (def.input_type !== 'user') throw new InputError(`Input '${name}' of template ${t.row.name} is a ${def.input_type} input: its value comes from the host, not from the job`);
  }
  for (const [name, def] of userInputs) {
    const value = inputs[name];
    if (options.requireValues !== false && isSet(def.required) && (value === undefined || value.trim() === '') && (def.default_value ?? '') === '') {
      throw new InputError(`Value for required input '${name}' was not specified (template ${t.row.name})`);
    }
    const choices = inputOptions(def);
    if (value !== undefined && value !== '' && choices !== null && !choices.includes(value)) {
      // A hidden input's value is not repeated back (it may be a secret).
      const shown = isSet(def.hidden_value) ? '*****' : value;
      throw new InputError(`Value '${shown}' of input '${name}' is not one of its options: ${choices.filter((o) => o !== '').join(', ')}`);
    }
  }
}
