/**
 * @module
 * Sends queued webhook deliveries (ADR 0022). Each delivery is a JSON POST with:
 *
 * - `X-Remex-Event`: the event name; `X-Remex-Delivery`: the delivery id (the same on retries);
 * - `X-Remex-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the
 *   webhook's secret>` when the webhook has a secret (as Stripe signs: the receiver recomputes it
 *   and rejects a stale `t` to stop replays).
 *
 * A 2xx answer delivers it; anything else (another status, a timeout, a refused connection) is
 * retried with exponential backoff (`retryBaseMs × 2^(attempt-1)`, at most an hour) up to
 * {@link MAX_ATTEMPTS} attempts, then it is `failed`. Servers sharing a database claim deliveries
 * with a lease (`claimed_by`, `lease_expires_at`: compare-and-set), so one is sent by one server
 * at a time and a server that died mid-send leaves it to another once the lease ends. Answers are
 * read up to 64 KiB and dropped; redirects are not followed.
 */
import { createHmac } from 'node:crypto';

import { coerceError } from '@remex/common';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';

import type { Database, WebhookDeliveryRow, WebhookRow } from '../db/schema.ts';
import { isSet, nowIso } from '../db/time.ts';
import type { SecretBox } from '../secrets/secret-box.ts';

/** Attempts before a delivery is given up. */
export const MAX_ATTEMPTS = 8;
/** Longest wait between attempts. */
const MAX_BACKOFF_MS = 3600_000;
/** How long one attempt may take. */
const TIMEOUT_MS = 10_000;
/** Most bytes of an answer read. */
const MAX_ANSWER = 64 * 1024;
/** Deliveries sent per pass. */
const PER_PASS = 50;
/** Lease of a claimed delivery. */
const LEASE_MS = 60_000;

/** The outcome of one attempt. */
export interface Attempt {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** The signature header of `body` at `unixSeconds`. */
export function signatureOf(secret: string, unixSeconds: number, body: string): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;
}

/** Reads (and drops) at most {@link MAX_ANSWER} bytes of an answer. */
async function drain(res: Response): Promise<void> {
  const reader = res.body?.getReader();
  if (!reader) return;
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    read += value.byteLength;
    if (read >= MAX_ANSWER) {
      await reader.cancel();
      return;
    }
  }
}

/** Sends one delivery of `hook` now. */
export async function sendDelivery(hook: WebhookRow, delivery: Pick<WebhookDeliveryRow, 'id' | 'event' | 'payload'>, secrets: SecretBox): Promise<Attempt> {
  const started = performance.now();
  const headers: Record<string, string> = {
    ...(JSON.parse(hook.headers) as Record<string, string>),
    'content-type': 'application/json',
    'user-agent': 'Remex-Webhook/1',
    'x-remex-event': delivery.event,
    'x-remex-delivery': String(delivery.id),
  };
  if (hook.secret !== null) headers['x-remex-signature'] = signatureOf(secrets.open(hook.secret), Math.floor(Date.now() / 1000), delivery.payload);
  try {
    const res = await fetch(hook.url, { method: 'POST', headers, body: delivery.payload, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    await drain(res).catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return { statusCode: res.status, error: ok ? null : `HTTP ${res.status}`, durationMs: Math.round(performance.now() - started) };
  } catch (e: unknown) {
    const err = coerceError(e);
    const cause = (err as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
    return { statusCode: null, error: detail.slice(0, 1000), durationMs: Math.round(performance.now() - started) };
  }
}

/**
 * Stores the outcome of the next attempt of `d`.
 * @param final - no retry after this one (a test delivery)
 */
export async function recordAttempt(db: Kysely<Database>, d: WebhookDeliveryRow, attempt: Attempt, retryBaseMs: number, final = false): Promise<WebhookDeliveryRow> {
  const attempts = d.attempts + 1;
  const delivered = attempt.error === null;
  const failed = !delivered && (final || attempts >= MAX_ATTEMPTS);
  const wait = Math.min(MAX_BACKOFF_MS, retryBaseMs * 2 ** (attempts - 1));
  return db
    .updateTable('webhook_deliveries')
    .set({
      state: delivered ? 'delivered' : failed ? 'failed' : 'pending',
      attempts,
      next_attempt_at: new Date(Date.now() + (delivered || failed ? 0 : wait)).toISOString(),
      last_status_code: attempt.statusCode,
      last_error: attempt.error,
      duration_ms: attempt.durationMs,
      delivered_at: delivered ? nowIso() : null,
      claimed_by: null,
      lease_expires_at: null,
    })
    .where('id', '=', d.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Options of {@link WebhookDeliverer}. */
export interface WebhookDelivererOptions {
  db: Kysely<Database>;
  secrets: SecretBox;
  log: FastifyBaseLogger;
  /** This server's id in claims. */
  instanceId: string;
  /** First retry wait (ms); doubles per attempt. */
  retryBaseMs: number;
  /** Pause between passes when nothing was due (ms). */
  idleMs?: number;
}

/** The loop that sends due deliveries. */
export class WebhookDeliverer {
  readonly #o: WebhookDelivererOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = true;

  /** @param options - see {@link WebhookDelivererOptions} */
  constructor(options: WebhookDelivererOptions) {
    this.#o = options;
  }

  /** Starts sending. */
  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Stops after the pass under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.pass()
        .then((sent) => this.#schedule(sent > 0 ? 0 : (this.#o.idleMs ?? 1000)))
        .catch((e: unknown) => {
          this.#o.log.warn({ err: coerceError(e) }, 'webhook delivery pass failed');
          this.#schedule(this.#o.idleMs ?? 1000);
        });
    }, ms);
    this.#timer.unref();
  }

  /** Claims and sends the due deliveries once; returns how many were sent. */
  async pass(): Promise<number> {
    const { db } = this.#o;
    const now = nowIso();
    const due = await db
      .selectFrom('webhook_deliveries')
      .select(['id'])
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', now)]))
      .orderBy('id')
      .limit(PER_PASS)
      .execute();
    let sent = 0;
    const hooks = new Map<number, WebhookRow | null>();
    for (const { id } of due) {
      if (this.#stopped) break;
      // Compare-and-set claim: of several servers, one takes it.
      const claimed = await db
        .updateTable('webhook_deliveries')
        .set({ claimed_by: this.#o.instanceId, lease_expires_at: new Date(Date.now() + LEASE_MS).toISOString() })
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', now)]))
        .returningAll()
        .executeTakeFirst();
      if (!claimed) continue;
      if (!hooks.has(claimed.webhook_id)) hooks.set(claimed.webhook_id, (await db.selectFrom('webhooks').selectAll().where('id', '=', claimed.webhook_id).executeTakeFirst()) ?? null);
      const hook = hooks.get(claimed.webhook_id);
      if (!hook) {
        await db.deleteFrom('webhook_deliveries').where('id', '=', claimed.id).execute();
        continue;
      }
      if (!isSet(hook.enabled)) {
        // Held while the webhook is disabled; looked at again in a minute.
        await db.updateTable('webhook_deliveries').set({ claimed_by: null, lease_expires_at: null, next_attempt_at: new Date(Date.now() + 60_000).toISOString() }).where('id', '=', claimed.id).execute();
        continue;
      }
      const attempt = await sendDelivery(hook, claimed, this.#o.secrets);
      const stored = await recordAttempt(db, claimed, attempt, this.#o.retryBaseMs);
      if (stored.state === 'failed') this.#o.log.warn({ webhook: hook.name, delivery: stored.id, error: stored.last_error }, 'webhook delivery given up');
      sent++;
    }
    return sent;
  }
}
