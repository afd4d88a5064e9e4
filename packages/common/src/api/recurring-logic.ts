/**
 * @module
 * `/api/recurring_logics` schemas (Foreman's recurring logic, foreman-tasks API shapes): the
 * schedule of a recurring job and its occurrences (job invocations).
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { LooseBooleanSchema } from './bookmark.ts';
import { ListOf } from './list.ts';


/** A recurrence as a recurring job shows it (`recurrence` of a job invocation). */
export const RecurrenceSchema = Type.Object({
  id: Type.Integer(),
  cron_line: Type.String(),
  end_time: Type.Union([Type.String(), Type.Null()]),
  iteration: Type.Integer({ description: 'Occurrences made so far' }),
  max_iteration: Type.Union([Type.Integer(), Type.Null()]),
  state: Type.String({ description: 'active, disabled, cancelled or finished' }),
  purpose: Type.Union([Type.String(), Type.Null()]),
});

/** One occurrence of a recurring logic. */
export const OccurrenceSchema = Type.Object({
  id: Type.Integer(),
  status_label: Type.String(),
  start_at: Type.Union([Type.String(), Type.Null()]),
  started_at: Type.Union([Type.String(), Type.Null()]),
  ended_at: Type.Union([Type.String(), Type.Null()]),
});

/** A recurring logic. */
export const RecurringLogicSchema = Type.Composite([
  RecurrenceSchema,
  Type.Object({
    next_occurrence: Type.Union([Type.String(), Type.Null()], { description: 'Start of the pending occurrence' }),
    time_zone: Type.String({ description: 'Zone the cron line is read in (REMEX_TZ)' }),
    user_id: Type.Union([Type.Integer(), Type.Null()]),
    created_at: Type.String(),
    updated_at: Type.String(),
  }),
]);

/** A recurring logic with its latest occurrences (show). */
export const RecurringLogicDetailSchema = Type.Composite([RecurringLogicSchema, Type.Object({ job_invocations: Type.Array(OccurrenceSchema, { description: 'Latest 100 occurrences, newest first' }) })]);

/** `GET /api/recurring_logics`. */
export const RecurringLogicListSchema = ListOf(RecurringLogicSchema);

/** Body of `PUT /api/recurring_logics/:id` (inside `recurring_logic`, or bare). */
export const RecurringLogicUpdateSchema = Type.Object({
  enabled: Type.Optional(Type.Union([...LooseBooleanSchema.anyOf], { description: 'false stops making occurrences (the pending one is cancelled); true starts again from now' })),
});

/** A recurrence as jobs show it. */
export type Recurrence = Static<typeof RecurrenceSchema>;
/** A recurring logic. */
export type RecurringLogic = Static<typeof RecurringLogicSchema>;
/** A recurring logic with its occurrences. */
export type RecurringLogicDetail = Static<typeof RecurringLogicDetailSchema>;
/** Body of a recurring logic update. */
export type RecurringLogicUpdate = Static<typeof RecurringLogicUpdateSchema>;
