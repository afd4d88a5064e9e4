/**
 * @module
 * `remex job-invocation create|list|info|hosts|output|cancel|rerun` (→ `/api/job_invocations`).
 */
import type { JobInvocationCreate } from '@remex/common';
import { Command } from 'commander';
import { InputError } from '@remex/common';

import { parseBoolean, parseId } from '../../options/option-parsers.ts';
import { renderList, renderRecord } from '../../output/render-output.ts';
import type { Column, InfoField } from '../../output/table-format.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addListOptions, addOutputOption, type ListFlags, listOptionsOf, outputOf } from '../shared/list-options.ts';
import { typedApi } from '../../http/typed-api.ts';
import { addListCommand, type ApiRecord, asRecord } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';
import { addCreateJobCommand } from './job-invocation-create.ts';
import { addOutputCommand } from './job-output.ts';
import { cellText } from '../../output/table-format.ts';

/** The job invocations collection. */
export const JOB_INVOCATIONS: ResourceSpec<JobInvocationCreate, never> = { path: '/api/job_invocations', label: 'job invocation', key: 'job_invocation', api: (client) => typedApi(client).jobInvocations };

/** Targeting of a job (`targeting.search_query` etc.). */
function targeting(j: ApiRecord): ApiRecord {
  const t = j.targeting;
  return t && typeof t === 'object' ? (t as ApiRecord) : {};
}

/** Recurrence of a job. */
function recurrence(j: ApiRecord): ApiRecord {
  const r = j.recurrence;
  return r && typeof r === 'object' ? (r as ApiRecord) : {};
}

/** Host status lines for `info --show-host-status`. */
function hostStatusLines(j: ApiRecord): string[] {
  const hosts = j.hosts;
  if (!Array.isArray(hosts)) return [];
  return hosts.map((h: unknown) => {
    const r = (h ?? {}) as ApiRecord;
    return `${cellText(r.name)}: ${cellText(r.job_status)}`;
  });
}

/** The leading columns of `job-invocation list` and fields of `job-invocation info`. */
const SUMMARY_COLUMNS: Column<ApiRecord>[] = [
  { label: 'Id', get: 'id' },
  { label: 'Description', get: 'description' },
  { label: 'Status', get: 'status_label' },
  { label: 'Success', get: 'succeeded' },
  { label: 'Failed', get: 'failed' },
  { label: 'Pending', get: 'pending' },
];

/** Columns of `job-invocation list` (hammer's). */
const LIST_COLUMNS: Column<ApiRecord>[] = [
  ...SUMMARY_COLUMNS,
  { label: 'Total', get: 'total' },
  { label: 'Start', get: 'start_at' },
];

/** Fields of `job-invocation info`. */
const INFO_FIELDS: InfoField<ApiRecord>[] = [
  ...SUMMARY_COLUMNS,
  { label: 'Cancelled', get: 'cancelled' },
  { label: 'Total', get: 'total' },
  { label: 'Missing', get: 'missing' },
  { label: 'Start', get: 'start_at' },
  { label: 'Job category', get: 'job_category' },
  { label: 'Template', get: 'template_name' },
  { label: 'Mode', get: 'mode' },
  { label: 'Start before', get: (j) => (j.scheduling as { start_before?: unknown } | undefined)?.start_before },
  { label: 'Cron line', get: (j) => recurrence(j).cron_line },
  { label: 'Recurring logic id', get: (j) => recurrence(j).id },
  { label: 'Targeting', get: (j) => targeting(j).targeting_type },
  { label: 'Search query', get: (j) => targeting(j).search_query },
  { label: 'Randomized ordering', get: (j) => targeting(j).randomized_ordering },
  { label: 'Concurrency level', get: 'concurrency_level' },
  { label: 'Time span', get: 'time_span' },
  { label: 'Execution timeout', get: 'execution_timeout_interval' },
  { label: 'Time to pickup', get: 'time_to_pickup' },
  { label: 'Effective user', get: 'effective_user' },
  { label: 'SSH user', get: 'ssh_user' },
];

/** Columns of `job-invocation hosts`. */
const HOST_COLUMNS: Column<ApiRecord>[] = [
  { label: 'Id', get: 'id' },
  { label: 'Name', get: 'name' },
  { label: 'Status', get: 'job_status' },
];

/**
 * Builds the `job-invocation` command group.
 * @param ctx - command context
 */
export function jobInvocationCommand(ctx: CommandContext): Command {
  const ji = new Command('job-invocation').description('run jobs and read their results');
  addCreateJobCommand(ji, ctx);
  addListCommand(ji, ctx, JOB_INVOCATIONS, LIST_COLUMNS);

  const info = ji
    .command('info')
    .alias('show')
    .description('show a job invocation')
    .requiredOption('--id <id>', 'job invocation id', (v) => parseId(v, '--id'))
    .option('--show-host-status', 'list every host with its status')
    .option('--host <name>', "show this host's task in the job instead (with --timeline, its transitions)")
    .option('--timeline', "with --host: the task's timeline (claimed, sent, started, exit, …)");
  addOutputOption(info).action(async (flags: { id: number; showHostStatus?: boolean; host?: string; timeline?: boolean; output?: string }) => {
    const format = outputOf(flags);
    const api = typedApi(ctx.client()).jobInvocations;
    if (flags.timeline && flags.host === undefined) throw new InputError('--timeline needs --host');
    if (flags.host !== undefined) {
      const answer = await api.hostOutput(flags.id, flags.host);
      if (answer.task === undefined) {
        ctx.say(`Host ${flags.host} has no task yet${answer.start_at ? ` (the job starts at ${answer.start_at})` : ''}.`);
        return;
      }
      const task = answer.task;
      const fields: InfoField<ApiRecord>[] = [
        { label: 'Task id', get: 'id' },
        { label: 'State', get: 'state' },
        { label: 'Result', get: 'result' },
        { label: 'Exit status', get: 'exit_status' },
        { label: 'Message', get: 'message' },
        { label: 'Started at', get: 'started_at' },
        { label: 'Ended at', get: 'ended_at' },
      ];
      if (flags.timeline) fields.push({ label: 'Timeline', get: (r) => (r.timeline as typeof task.timeline).map((t) => `${t.at} ${t.kind}${t.detail ? ` (${t.detail})` : ''}`), list: true });
      ctx.out(renderRecord(format, asRecord(task), fields));
      return;
    }
    const job: ApiRecord = asRecord(await api.show(flags.id));
    const fields = [...INFO_FIELDS];
    if (flags.showHostStatus) {
      job.hosts = (await api.hosts(flags.id)).results;
      fields.push({ label: 'Hosts', get: hostStatusLines, list: true });
    }
    ctx.out(renderRecord(format, job, fields));
  });

  const hosts = ji
    .command('hosts')
    .description('list the hosts of a job invocation with their status')
    .requiredOption('--id <id>', 'job invocation id', (v) => parseId(v, '--id'));
  addListOptions(hosts).action(async (flags: ListFlags & { id: number }) => {
    const format = outputOf(flags);
    const list = await typedApi(ctx.client()).jobInvocations.hosts(flags.id, listOptionsOf(flags));
    ctx.out(renderList(format, list.results.map(asRecord), HOST_COLUMNS));
  });

  addOutputCommand(ji, ctx);

  ji.command('cancel')
    .description('cancel a job invocation')
    .requiredOption('--id <id>', 'job invocation id', (v) => parseId(v, '--id'))
    .option('--force [bool]', 'abort running hosts instead of asking them to stop', (v: string | undefined) => parseBoolean(v, '--force'))
    .option('--search <query>', "cancel only the job's hosts this search picks")
    .action(async (flags: { id: number; force?: boolean; search?: string }) => {
      const answer = await typedApi(ctx.client()).jobInvocations.cancel(flags.id, { force: flags.force ?? false, ...(flags.search === undefined ? {} : { search: flags.search }) });
      if ('skipped' in answer) {
        const skipped = answer.skipped.length;
        ctx.say(`Cancelled ${answer.cancelled.length} of ${answer.total} matching hosts${skipped > 0 ? ` (${skipped} could not be cancelled)` : ''}`);
      } else if (!answer.cancelled) ctx.say('Could not cancel the job invocation');
      else ctx.say(`Job invocation ${flags.id} cancelled`);
    });

  ji.command('rerun')
    .description('run a job invocation again')
    .requiredOption('--id <id>', 'job invocation id', (v) => parseId(v, '--id'))
    .option('--failed-only', 'only the hosts that failed')
    .option('--succeeded-only', 'only the hosts that succeeded')
    .action(async (flags: { id: number; failedOnly?: boolean; succeededOnly?: boolean }) => {
      const job = await typedApi(ctx.client()).jobInvocations.rerun(flags.id, {
        ...(flags.failedOnly ? { failed_only: true } : {}),
        ...(flags.succeededOnly ? { succeeded_only: true } : {}),
      });
      ctx.say(`Job invocation was rerun as ${job.id}`);
    });
  return ji;
}
