/**
 * @module
 * The ordered list of migrations. Append only; never edit a landed migration (C11).
 */
import type { Kysely, Migration } from 'kysely';

import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-templates-features.ts';
import * as m0003 from './0003-search-bookmarks.ts';
import * as m0004 from './0004-search-value-indexes.ts';
import * as m0005 from './0005-search-partial-value-indexes.ts';
import * as m0006 from './0006-job-scheduling-cancel.ts';
import * as m0007 from './0007-job-hidden-inputs.ts';
import * as m0009 from './0009-proxy-credentials.ts';
import * as m0010 from './0010-task-output-bytes.ts';
import * as m0011 from './0011-task-leases.ts';
import * as m0012 from './0012-users-tokens-sessions.ts';
import * as m0013 from './0013-roles-filters.ts';
import * as m0017 from './0017-audits.ts';
import * as m0018 from './0018-job-effective-user-password.ts';
import * as m0025 from './0025-job-ssh-secrets.ts';
import * as m0026 from './0026-job-time-span.ts';
import * as m0027 from './0027-recurring-logics.ts';
import * as m0028 from './0028-task-transitions.ts';
import * as m0029 from './0029-webhooks.ts';
import * as m0040 from './0040-proxy-tls-certificates.ts';
import * as m0041 from './0041-taxonomies.ts';
import * as m0042 from './0042-domains.ts';
import type { DialectName, MigrationHelpers } from './migration-helpers.ts';
import { migrationHelpers } from './migration-helpers.ts';

type MigrationModule = { up(db: Kysely<unknown>, h: MigrationHelpers): Promise<void> };

const MIGRATIONS: Record<string, MigrationModule> = {
  '0001-initial': m0001,
  '0002-templates-features': m0002,
  '0003-search-bookmarks': m0003,
  '0004-search-value-indexes': m0004,
  '0005-search-partial-value-indexes': m0005,
  '0006-job-scheduling-cancel': m0006,
  '0007-job-hidden-inputs': m0007,
  // 0008 was reserved during parallel work and never used; Kysely orders by name, so the gap is fine.
  '0009-proxy-credentials': m0009,
  '0010-task-output-bytes': m0010,
  '0011-task-leases': m0011,
  '0012-users-tokens-sessions': m0012,
  '0013-roles-filters': m0013,
  '0017-audits': m0017,
  '0018-job-effective-user-password': m0018,
  '0025-job-ssh-secrets': m0025,
  '0026-job-time-span': m0026,
  '0027-recurring-logics': m0027,
  '0028-task-transitions': m0028,
  '0029-webhooks': m0029,
  '0040-proxy-tls-certificates': m0040,
  '0041-taxonomies': m0041,
  '0042-domains': m0042,
};

/** Kysely migrations bound to `dialect`. */
export function migrationsFor(dialect: DialectName): Record<string, Migration> {
  const helpers = migrationHelpers(dialect);
  return Object.fromEntries(
    Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, helpers) }]),
  );
}

export type { DialectName } from './migration-helpers.ts';
