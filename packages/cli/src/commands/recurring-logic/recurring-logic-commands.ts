/**
 * @module
 * `remex recurring-logic list|info|cancel|enable|disable` (hammer's `recurring-logic`; →
 * `/api/recurring_logics`): the schedules of recurring jobs (`remex job-invocation create
 * --cron-line …`) and their occurrences.
 */
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';
import { parseId } from '../../options/option-parsers.ts';
import { cellText } from '../../output/table-format.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addInfoCommand, addListCommand, type ApiRecord } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';

/** The recurring logics collection. */
export const RECURRING_LOGICS: ResourceSpec<never, never> = { path: '/api/recurring_logics', label: 'recurring logic', key: 'recurring_logic', api: (client) => typedApi(client).recurringLogics };

const COLUMNS = [
  { label: 'Id', get: 'id' },
  { label: 'Cron line', get: 'cron_line' },
  { label: 'Purpose', get: 'purpose' },
  { label: 'State', get: 'state' },
  { label: 'Iteration', get: (r: ApiRecord) => `${cellText(r.iteration)}${r.max_iteration === null ? '' : ` of ${cellText(r.max_iteration)}`}` },
  { label: 'Next occurrence', get: 'next_occurrence' },
  { label: 'End time', get: 'end_time' },
] as const;

/** Occurrences as `id status start` lines. */
function occurrencesOf(record: ApiRecord): string[] {
  const jobs = record.job_invocations as Array<{ id: number; status_label: string; start_at: string | null }> | undefined;
  return (jobs ?? []).map((j) => `${j.id} ${j.status_label} ${j.start_at ?? ''}`.trim());
}

/**
 * Builds the `recurring-logic` command group.
 * @param ctx - command context
 */
export function recurringLogicCommand(ctx: CommandContext): Command {
  const rl = new Command('recurring-logic').description('manage the schedules of recurring jobs');
  addListCommand(rl, ctx, RECURRING_LOGICS, COLUMNS);
  addInfoCommand(rl, ctx, RECURRING_LOGICS, [...COLUMNS, { label: 'Time zone', get: 'time_zone' }, { label: 'Occurrences', get: occurrencesOf, list: true }]);
  const byId = (name: string, description: string) => rl.command(name).description(description).requiredOption('--id <id>', 'recurring logic id', (v) => parseId(v, '--id'));
  byId('cancel', 'stop a recurring logic for good (its pending occurrence is cancelled)').action(async (flags: { id: number }) => {
    const r = await typedApi(ctx.client()).recurringLogics.cancel(flags.id);
    ctx.say(`Recurring logic ${r.id} cancelled.`);
  });
  byId('disable', 'pause a recurring logic (its pending occurrence is cancelled)').action(async (flags: { id: number }) => {
    const r = await typedApi(ctx.client()).recurringLogics.update(flags.id, { enabled: false });
    ctx.say(`Recurring logic ${r.id} disabled.`);
  });
  byId('enable', 'resume a disabled recurring logic (the next occurrence is at the next matching time)').action(async (flags: { id: number }) => {
    const r = await typedApi(ctx.client()).recurringLogics.update(flags.id, { enabled: true });
    ctx.say(`Recurring logic ${r.id} enabled; next occurrence ${r.next_occurrence ?? 'being scheduled'}.`);
  });
  return rl;
}
