/**
 * @module
 * `/api/audits` schemas: the append-only record of every audited create, update, destroy and
 * job cancel (who, when, which record, the changed fields with secrets masked, the request id).
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';

/** An audit as the API shows it (Foreman's field names). */
export const AuditSchema = Type.Object({
  id: Type.Integer(),
  auditable_type: Type.String({ description: 'Type of the audited record (host, job_template, …)' }),
  auditable_id: Type.Union([Type.Integer(), Type.String()], { description: 'Id of the audited record (a setting: its name)' }),
  auditable_name: Type.Union([Type.String(), Type.Null()], { description: 'Name of the record when it was audited' }),
  action: Type.String({ description: 'create, update, destroy or cancel' }),
  audited_changes: Type.Record(Type.String(), Type.Unknown(), { description: '{field: [old, new]} for an update, {field: value} otherwise; secrets are *****' }),
  user_id: Type.Union([Type.Integer(), Type.Null()]),
  user_name: Type.Union([Type.String(), Type.Null()], { description: 'Login of the user who made the change (kept after the user is deleted)' }),
  remote_address: Type.Union([Type.String(), Type.Null()]),
  request_uuid: Type.Union([Type.String(), Type.Null()], { description: 'Id of the request (its X-Request-Id answer header)' }),
  version: Type.Integer({ description: 'Number of this audit among the audits of the record' }),
  created_at: Type.String(),
});

/** `GET /api/audits`. */
export const AuditListSchema = ListOf(AuditSchema);

/** An audit as the API shows it. */
export type Audit = Static<typeof AuditSchema>;
/** A page of audits. */
export type AuditList = Static<typeof AuditListSchema>;
