/**
 * @module
 * `/api/recurring_logics` (foreman-tasks' recurring logic API): list with search, show with the
 * latest occurrences, cancel, and enable/disable (`PUT` with `enabled`). Cancelling or disabling
 * also cancels the pending occurrence; enabling makes the next one from now.
 */
import { IdParamsSchema, ListQuerySchema, looseBoolean, RecurringLogicDetailSchema, RecurringLogicListSchema, RecurringLogicSchema, RecurringLogicUpdateSchema } from '@remex/common';
import { InputError } from '@remex/common';
import type { FastifyInstance } from 'fastify';

import type { ServerContext } from '../context.ts';
import { currentUser } from '../http/auth.ts';
import { listResource } from '../http/list-resource.ts';
import { listParams } from '../http/params.ts';
import { emptyBodyAllowed, typed, unwrapBody } from '../http/schema-first.ts';
import { cancelJob } from '../jobs/finish/job-cancel.ts';
import { jobStatusLabel } from '../jobs/http/job-serializer.ts';
import { compileRecurringLogicSearch } from './recurring-logic-search.ts';
import { findRecurringLogic, pendingOccurrences, serializeRecurringLogic, setRecurringLogicState } from './recurring-logic-store.ts';

/** Registers the recurring logic routes. */
export function registerRecurringLogicRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = typed(app);
  const db = ctx.store.db;
  const tags = ['recurring_logics'];

  api.get('/api/recurring_logics', { schema: { tags, summary: 'List recurring logics (newest first)', querystring: ListQuerySchema, response: { 200: RecurringLogicListSchema } } }, async (req) =>
    listResource({
      params: listParams(req.query, ['id', 'purpose', 'state', 'next_occurrence']),
      base: db.selectFrom('recurring_logics'),
      search: (text) => compileRecurringLogicSearch(text, ctx.store.dialect, currentUser(req)),
      orderColumns: { id: 'recurring_logics.id', purpose: 'recurring_logics.purpose', state: 'recurring_logics.state', next_occurrence: 'recurring_logics.next_run_at' },
      defaultOrder: 'id',
      defaultDirection: 'desc',
      tiebreak: ['recurring_logics.id'],
      select: (q) => q.selectAll(),
      serialize: (rows) => rows.map(serializeRecurringLogic),
    }),
  );

  api.get('/api/recurring_logics/:id', { schema: { tags, summary: 'Show a recurring logic with its latest occurrences', params: IdParamsSchema, response: { 200: RecurringLogicDetailSchema } } }, async (req) => {
    const logic = await findRecurringLogic(db, req.params.id);
    const jobs = await db.selectFrom('job_invocations').selectAll().where('recurring_logic_id', '=', logic.id).orderBy('id', 'desc').limit(100).execute();
    return {
      ...serializeRecurringLogic(logic),
      job_invocations: jobs.map((j) => ({ id: j.id, status_label: jobStatusLabel(j), start_at: j.start_at, started_at: j.started_at, ended_at: j.ended_at })),
    };
  });

  /** Stops the logic in `state` and cancels its pending occurrence. */
  const stop = async (ref: string, state: 'cancelled' | 'disabled') => {
    const logic = await findRecurringLogic(db, ref);
    if (logic.state === 'cancelled' || logic.state === 'finished') throw new InputError(`Recurring logic ${logic.id} is ${logic.state} already`);
    const updated = await setRecurringLogicState(db, logic, state);
    for (const job of await pendingOccurrences(db, logic.id)) await cancelJob(ctx, job, false);
    return updated;
  };

  api.post('/api/recurring_logics/:id/cancel', { preValidation: emptyBodyAllowed, schema: { tags, summary: 'Cancel a recurring logic: no more occurrences, the pending one is cancelled', params: IdParamsSchema, response: { 200: RecurringLogicSchema } } }, async (req) =>
    serializeRecurringLogic(await stop(req.params.id, 'cancelled')),
  );

  api.put(
    '/api/recurring_logics/:id',
    { preValidation: unwrapBody('recurring_logic'), schema: { tags, summary: 'Enable or disable a recurring logic', params: IdParamsSchema, body: RecurringLogicUpdateSchema, response: { 200: RecurringLogicSchema } } },
    async (req) => {
      if (req.body.enabled === undefined) return serializeRecurringLogic(await findRecurringLogic(db, req.params.id));
      if (!looseBoolean(req.body.enabled)) return serializeRecurringLogic(await stop(req.params.id, 'disabled'));
      const logic = await findRecurringLogic(db, req.params.id);
      if (logic.state === 'active') return serializeRecurringLogic(logic);
      if (logic.state !== 'disabled') throw new InputError(`Recurring logic ${logic.id} is ${logic.state}; only a disabled one can be enabled`);
      const enabled = await setRecurringLogicState(db, logic, 'active');
      ctx.dispatch.wake();
      return serializeRecurringLogic(enabled);
    },
  );
}
