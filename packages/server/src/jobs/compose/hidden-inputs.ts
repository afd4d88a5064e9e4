/**
 * @module
 * Hidden input values (`hidden_value`, reference §1b) are masked wherever a job is shown: its
 * inputs, its description, its generic preview and each host's rendered script. Inputs borrowed
 * through foreign input sets count as the borrowing template's own. Their values are stored
 * sealed with the job ({@link sealInputs}) and opened only to render the script sent to a proxy.
 */
import { shellEscape } from '@remex/erb';
import type { Kysely } from 'kysely';

import type { Database, JobInvocationRow, TemplateInputRow } from '../../db/schema.ts';
import { isSet } from '../../db/time.ts';
import type { SecretBox } from '../../secrets/secret-box.ts';
import { effectiveInputs } from '../../templates/foreign-input-sets.ts';

/** What a hidden value is shown as. */
export const HIDDEN_MASK = '*****';

/** Names of the hidden inputs each template offers, its foreign input sets' included. */
async function hiddenInputNames(db: Kysely<Database>, templateIds: readonly number[]): Promise<Map<number, Set<string>>> {
  const out = new Map<number, Set<string>>();
  for (const id of new Set(templateIds)) {
    // A cycle cannot be stored, but if the sets changed since, mask at least the template's own.
    const offered = await effectiveInputs(db, id).catch(() => db.selectFrom('template_inputs').selectAll().where('template_id', '=', id).execute());
    out.set(id, hiddenNames(offered));
  }
  return out;
}

/**
 * Names of the hidden inputs of each job: those stored with it at creation (so that a later
 * change of the template's inputs does not unmask them), else (jobs older than migration 0007)
 * those its template offers now.
 */
export async function jobHiddenInputs(db: Kysely<Database>, jobs: ReadonlyArray<Pick<JobInvocationRow, 'id' | 'template_id' | 'hidden_inputs'>>): Promise<Map<number, Set<string>>> {
  const legacy = jobs.filter((j) => j.hidden_inputs === null);
  const byTemplate = legacy.length > 0 ? await hiddenInputNames(db, legacy.map((j) => j.template_id)) : new Map<number, Set<string>>();
  return new Map(jobs.map((j) => [j.id, j.hidden_inputs === null ? (byTemplate.get(j.template_id) ?? new Set<string>()) : new Set(JSON.parse(j.hidden_inputs) as string[])]));
}

/**
 * A script rendered with masks, the mask shown as itself where the template shell-escaped it
 * (`input('x').shellescape` renders `\*\*\*\*\*`). Only masks are replaced.
 */
export function tidyMasks(text: string): string {
  return text.split(ESCAPED_MASK).join(HIDDEN_MASK);
}

const ESCAPED_MASK = shellEscape(HIDDEN_MASK);

/** Names of the hidden inputs among `inputs`. */
export function hiddenNames(inputs: readonly TemplateInputRow[]): Set<string> {
  return new Set(inputs.filter((i) => isSet(i.hidden_value)).map((i) => i.name));
}

/** `inputs` with every hidden one's value replaced by {@link HIDDEN_MASK}. */
export function maskInputs(inputs: Readonly<Record<string, string>>, hidden: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, hidden.has(k) && v !== '' ? HIDDEN_MASK : v]));
}

/**
 * `text` with every occurrence of a hidden input's value masked, the value as typed and as a
 * shell-escaped word (how templates usually embed it).
 */
export function maskHiddenValues(text: string, inputs: Readonly<Record<string, string>>, hidden: ReadonlySet<string>): string {
  const secrets = new Set<string>();
  for (const name of hidden) {
    const v = inputs[name];
    if (v === undefined || v === '') continue;
    secrets.add(v);
    secrets.add(shellEscape(v));
  }
  // Longest first, so that a value containing another is masked whole.
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(HIDDEN_MASK);
  return out;
}

/**
 * `inputs` as stored with a job: every hidden one's value sealed (encryption at rest), the rest
 * in clear. {@link openInputs} gives them back.
 */
export function sealInputs(inputs: Readonly<Record<string, string>>, hidden: ReadonlySet<string>, secrets: SecretBox): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, hidden.has(k) && v !== '' ? secrets.seal(v) : v]));
}

/** The real input values of a job from its stored JSON (hidden ones opened; values stored in clear pass). */
export function openInputs(stored: string, hidden: ReadonlySet<string>, secrets: SecretBox): Record<string, string> {
  const inputs = JSON.parse(stored) as Record<string, string>;
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, hidden.has(k) ? secrets.open(v) : v]));
}
