/**
 * @module
 * `GET /api/status` and `GET /api/settings` schemas.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';

/** Foreman's status answer. */
export const StatusSchema = Type.Object({ result: Type.Literal('ok'), status: Type.Literal(200), version: Type.String(), api_version: Type.Literal(2) });

/** One remote execution setting (secrets masked by the server). */
export const SettingSchema = Type.Object({ name: Type.String(), value: Type.Unknown(), category: Type.String() });

/** `GET /api/settings`. */
export const SettingListSchema = ListOf(SettingSchema);

/** The status answer. */
export type Status = Static<typeof StatusSchema>;
/** A setting. */
export type Setting = Static<typeof SettingSchema>;
