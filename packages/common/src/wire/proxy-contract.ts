/**
 * @module
 * The HTTP contract between the server and its proxies (ARCHITECTURE.md, "run").
 * Both sides validate with these schemas; neither imports the other's code.
 *
 * Proxy API (served by every proxy):
 * - `GET  /features`           → {@link ProxyFeatures} (no auth; identifies a Remex proxy)
 * - `GET  /ssh/pubkey`         → the proxy's public SSH key, text/plain (no auth)
 * - `POST /tasks/launch`       ← {@link LaunchRequest} → {@link LaunchResponse} (signed: `Remex-HMAC`, `request-signature.ts`)
 * - `POST /tasks/:id/cancel`   → {@link CancelResponse} (signed: `Remex-HMAC`, `request-signature.ts`)
 * - `POST /host_keys/forget`   {@link ForgetHostKeyRequest} → {@link ForgetHostKeyResponse} (signed)
 * - `GET  /tasks/count`        → {@link TaskCount} (signed: `Remex-HMAC`, `request-signature.ts`)
 *
 * Server callback (served by the server for proxies):
 * - `POST /api/proxy_callbacks/events` ← {@link EventBatch} → {@link EventBatchAck} (signed: `Remex-HMAC`, `request-signature.ts`)
 */
import { type Static, Type } from '@sinclair/typebox';

/** The `product` value a Remex proxy announces in `GET /features`. */
export const PROXY_PRODUCT = 'remex-proxy';

/** Version of this contract; bumped on breaking changes. */
export const PROXY_API_VERSION = 1;

/** Path of the server's event callback, relative to the server URL. */
export const EVENTS_CALLBACK_PATH = '/api/proxy_callbacks/events';

/** Answer of `GET /features`. */
export const ProxyFeaturesSchema = Type.Object({
  product: Type.Literal(PROXY_PRODUCT),
  version: Type.String(),
  api_version: Type.Integer(),
  /** Foreman-style feature names, e.g. `script`, `ssh`. */
  features: Type.Array(Type.String()),
  /** Providers this proxy can run (`script`). */
  providers: Type.Array(Type.String()),
  /** Name the proxy gives itself (from its config). */
  name: Type.String(),
});
/** @see ProxyFeaturesSchema */
export type ProxyFeatures = Static<typeof ProxyFeaturesSchema>;

/** How the effective user is switched to when it differs from the SSH user. */
export const EffectiveUserMethodSchema = Type.Union([Type.Literal('sudo'), Type.Literal('su'), Type.Literal('dzdo')]);
/** @see EffectiveUserMethodSchema */
export type EffectiveUserMethod = Static<typeof EffectiveUserMethodSchema>;

/**
 * How a proxy reaches hosts: `ssh2` (in-process ssh2 library) or `openssh` (the system `ssh`
 * with ControlMaster). Host parameter / setting `remote_execution_transport`.
 */
export const TransportNameSchema = Type.Union([Type.Literal('ssh2'), Type.Literal('openssh')]);
/** @see TransportNameSchema */
export type TransportName = Static<typeof TransportNameSchema>;
/** Every {@link TransportName}. */
export const TRANSPORT_NAMES: readonly TransportName[] = ['ssh2', 'openssh'];

/** Secrets of one task; held in memory only on the proxy, never logged, never echoed. */
export const TaskSecretsSchema = Type.Object({
  ssh_password: Type.Optional(Type.String()),
  key_passphrase: Type.Optional(Type.String()),
  effective_user_password: Type.Optional(Type.String()),
});
/** @see TaskSecretsSchema */
export type TaskSecrets = Static<typeof TaskSecretsSchema>;

/** One host task, as the server sends it to a proxy. */
export const LaunchTaskSchema = Type.Object({
  /** Template invocation id; unique across the server, the key of every event. */
  task_id: Type.Integer({ minimum: 1 }),
  job_invocation_id: Type.Integer({ minimum: 1 }),
  /** Provider that runs the script (`script`). */
  provider: Type.String(),
  /** Host name as known to the server (for logs and messages). */
  host_name: Type.String(),
  /** Address to connect to: the host name, or its IP when connect-by-IP is set. */
  address: Type.String(),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  ssh_user: Type.String({ minLength: 1 }),
  effective_user: Type.String({ minLength: 1 }),
  effective_user_method: EffectiveUserMethodSchema,
  /** The rendered script (provider input). */
  script: Type.String(),
  /** Seconds after which the remote process gets SIGTERM; absent = no limit. */
  execution_timeout_interval: Type.Optional(Type.Integer({ minimum: 1 })),
  remote_working_dir: Type.String({ minLength: 1 }),
  cleanup_working_dirs: Type.Boolean(),
  /**
   * Run the script detached on the host (async SSH, manual §4.6): its output goes to files in
   * its working dir, which the proxy reads on from stored offsets, so the task survives a proxy
   * restart. The host's `remote_execution_async_ssh`; absent: the proxy's own `async_ssh`.
   */
  async_ssh: Type.Optional(Type.Boolean()),
  /** Transport to reach the host with (the host's `remote_execution_transport`); absent: the proxy's own `ssh_transport`. */
  transport: Type.Optional(TransportNameSchema),
  secrets: Type.Optional(TaskSecretsSchema),
});
/** @see LaunchTaskSchema */
export type LaunchTask = Static<typeof LaunchTaskSchema>;

/** Body of `POST /tasks/launch`. */
export const LaunchRequestSchema = Type.Object({ tasks: Type.Array(LaunchTaskSchema, { maxItems: 10_000 }) });
/** @see LaunchRequestSchema */
export type LaunchRequest = Static<typeof LaunchRequestSchema>;

/** Answer of `POST /tasks/launch`: ids accepted (new or already known; launching is idempotent). */
export const LaunchResponseSchema = Type.Object({ accepted: Type.Array(Type.Integer()) });
/** @see LaunchResponseSchema */
export type LaunchResponse = Static<typeof LaunchResponseSchema>;

/** Body of `POST /host_keys/forget`: the addresses (name or IP) and port a host is reached at. */
export const ForgetHostKeyRequestSchema = Type.Object({
  addresses: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { minItems: 1, maxItems: 8 }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
});
/** @see ForgetHostKeyRequestSchema */
export type ForgetHostKeyRequest = Static<typeof ForgetHostKeyRequestSchema>;
/** Answer of `POST /host_keys/forget`: how many stored keys were dropped. */
export const ForgetHostKeyResponseSchema = Type.Object({ forgotten: Type.Integer({ minimum: 0 }) });
/** @see ForgetHostKeyResponseSchema */
export type ForgetHostKeyResponse = Static<typeof ForgetHostKeyResponseSchema>;

/** Answer of `POST /tasks/:id/cancel`. */
export const CancelResponseSchema = Type.Object({ cancelled: Type.Boolean() });
/** @see CancelResponseSchema */
export type CancelResponse = Static<typeof CancelResponseSchema>;

/** Answer of `GET /tasks/count`. */
export const TaskCountSchema = Type.Object({
  running: Type.Integer(),
  queued: Type.Integer(),
  /**
   * SHA-256 fingerprint (`AB:CD:…`) of the certificate the proxy's HTTPS listener presents; `null`
   * over plain HTTP. Inside a signed answer it binds the certificate to the proxy's credential
   * (ADR 0018).
   */
  tls_fingerprint: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
/** @see TaskCountSchema */
export type TaskCount = Static<typeof TaskCountSchema>;

/**
 * Event types: output streams, `started` (the SSH session is up and the script runs) and
 * `exit` (last event of a task; `data` holds the exit code or `EXCEPTION`).
 */
export const TaskEventTypeSchema = Type.Union([
  Type.Literal('stdout'),
  Type.Literal('stderr'),
  Type.Literal('debug'),
  Type.Literal('started'),
  Type.Literal('exit'),
]);
/** @see TaskEventTypeSchema */
export type TaskEventType = Static<typeof TaskEventTypeSchema>;

/** One output event. `(task_id, seq)` is unique; the server drops duplicates. */
export const TaskEventSchema = Type.Object({
  task_id: Type.Integer({ minimum: 1 }),
  /** Per-task sequence number, from 1, gap-free. */
  seq: Type.Integer({ minimum: 1 }),
  type: TaskEventTypeSchema,
  data: Type.String(),
  /** Seconds since the epoch, with fractions (Foreman's float timestamps). */
  timestamp: Type.Number(),
});
/** @see TaskEventSchema */
export type TaskEvent = Static<typeof TaskEventSchema>;

/** Body of the event callback. */
export const EventBatchSchema = Type.Object({
  proxy: Type.String(),
  events: Type.Array(TaskEventSchema, { maxItems: 50_000 }),
});
/** @see EventBatchSchema */
export type EventBatch = Static<typeof EventBatchSchema>;

/** Answer of the event callback: how many events were new (the rest were duplicates). */
export const EventBatchAckSchema = Type.Object({ stored: Type.Integer(), duplicates: Type.Integer() });
/** @see EventBatchAckSchema */
export type EventBatchAck = Static<typeof EventBatchAckSchema>;

/** Exit data used when a task could not produce an exit code (connection lost, crash). */
export const EXIT_EXCEPTION = 'EXCEPTION';
