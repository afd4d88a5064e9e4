/**
 * @module
 * Job templates shipped with Remex (written for this product, in `defaults/*.erb` with the
 * Foreman metadata header), imported the way Foreman seeds its own: locked and marked default;
 * created when missing and re-synced from disk while `remote_execution_sync_templates` is true.
 * The core remote execution features are registered first, so templates naming a `feature:`
 * in their header get assigned to it.
 */
import fs from 'node:fs';

import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { CORE_FEATURES, registerFeature } from '../features/feature-store.ts';
import { importTemplate } from './template-import.ts';
import { parseMetadata } from './template-metadata.ts';

const DEFAULTS_DIR = new URL('./defaults/', import.meta.url);

/** A shipped template file. */
export interface DefaultTemplateFile {
  /** File name in `defaults/`. */
  file: string;
  /** Template name from its header. */
  name: string;
  /** Full text with the metadata header. */
  text: string;
}

/** Reads the shipped template files (sorted by file name). */
export function defaultTemplateFiles(): DefaultTemplateFile[] {
  return fs
    .readdirSync(DEFAULTS_DIR)
    .filter((f) => f.endsWith('.erb'))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(new URL(file, DEFAULTS_DIR), 'utf8');
      return { file, name: String(parseMetadata(text).name), text };
    });
}

/**
 * Registers the core features, then seeds the shipped templates: created when missing, their
 * body, inputs and metadata re-synced when `sync` is true. Shipped templates are locked.
 */
export async function seedDefaultTemplates(db: Kysely<Database>, sync: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const f of CORE_FEATURES) await registerFeature(trx, f);
  });
  for (const t of defaultTemplateFiles()) {
    await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('job_templates').select('id').where('name', '=', t.name).executeTakeFirst();
      if (existing && !sync) return;
      await importTemplate(trx, t.text, { overwrite: true, force: true, lock: true, default: true, action: existing ? 'sync' : 'create' });
    });
  }
}
