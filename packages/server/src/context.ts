/**
 * @module
 * The services of one running server, handed to routes and loops.
 */
import type { FastifyBaseLogger } from 'fastify';

import type { Store } from './db/database.ts';
import type { JobEventBus } from './events/event-bus.ts';
import type { RecurringOptions } from './recurring/recurring-logic-store.ts';
import type { SecretBox } from './secrets/secret-box.ts';
import type { SettingsStore } from './settings/settings-store.ts';
import type { CredentialChecker } from './users/credential-checker.ts';
import type { PersonalAccessTokenStore } from './users/personal-access-token-store.ts';
import type { SessionStore } from './users/session-store.ts';

/** Wakes the dispatcher when new work is due. */
export interface DispatchTrigger {
  /** Asks the dispatcher to look for due work soon. */
  wake(): void;
}

/** Shared services. */
export interface ServerContext {
  store: Store;
  settings: SettingsStore;
  credentials: CredentialChecker;
  /** Browser sessions (ADR 0010). */
  sessions: SessionStore;
  /** Personal access tokens (ADR 0010). */
  tokens: PersonalAccessTokenStore;
  bus: JobEventBus;
  dispatch: DispatchTrigger;
  /** Seals and opens secret values stored in the database (encryption at rest), proxy credentials included. */
  secrets: SecretBox;
  log: FastifyBaseLogger;
  /** Most bytes of stdout+stderr stored per host of a job (default 10 MiB; see `output-cap.ts`). */
  maxHostOutputBytes?: number;
  /** First wait before a failed webhook delivery is retried (ms; doubles per attempt; default 5000). */
  webhookRetryBaseMs?: number;
  /** Time zone and grace of recurring jobs (default: the system zone, one hour). */
  recurring?: RecurringOptions;
}
