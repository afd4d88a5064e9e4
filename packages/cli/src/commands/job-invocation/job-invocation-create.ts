/**
 * @module
 * `remex job-invocation create`: builds the `POST /api/job_invocations` body from hammer's
 * options, then (unless `--async` or scheduled) follows the job live and prints per-host results.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { Command } from 'commander';

import { InputError, type JobInvocationCreate, NotFoundError } from '@remex/common';

import { JobFailedError } from '../../cli/exit-codes.ts';
import { typedApi } from '../../http/typed-api.ts';
import { cellText, type Column, formatTable } from '../../output/table-format.ts';
import { parseId, parseKeyValueList, parseNonNegativeInt, parseStringList } from '../../options/option-parsers.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { resolveId, type ResourceSpec } from '../shared/resource-spec.ts';
import { JOB_TEMPLATES } from '../job-template/job-template-commands.ts';
import { previewTargets } from '../bookmark/target-preview.ts';
import { followJob, type HostEvent } from './job-follower.ts';
import { countOf, type JobProgress, ProgressPrinter } from './job-progress.ts';

/** The bookmarks collection (saved searches). */
const BOOKMARKS: ResourceSpec = { path: '/api/bookmarks', label: 'bookmark', key: 'bookmark' };

/** Parsed options of `job-invocation create`. */
export interface CreateJobFlags {
  jobTemplate?: string;
  jobTemplateId?: number;
  feature?: string;
  inputs?: Record<string, string>;
  inputFiles?: Record<string, string>;
  searchQuery?: string;
  hostIds?: string[];
  bookmark?: string;
  bookmarkId?: number;
  dynamic?: boolean;
  randomizedOrdering?: boolean;
  concurrencyLevel?: number;
  timeSpan?: number;
  executionTimeoutInterval?: number;
  timeToPickup?: number;
  effectiveUser?: string;
  effectiveUserPassword?: string;
  sshUser?: string;
  password?: string;
  keyPassphrase?: string;
  descriptionFormat?: string;
  startAt?: string;
  startBefore?: string;
  cronLine?: string;
  maxIteration?: number;
  endTime?: string;
  purpose?: string;
  async?: boolean;
  /** Only show which hosts would be targeted (`--dry-run`). */
  dryRun?: boolean;
}

/**
 * Adds the options of `job-invocation create` (hammer names).
 * @param cmd - the `create` command
 */
export function addCreateJobOptions(cmd: Command): Command {
  const int = (name: string) => (v: string) => parseNonNegativeInt(v, name);
  return cmd
    .option('--job-template <name>', 'job template name')
    .option('--job-template-id <id>', 'job template id', (v) => parseId(v, '--job-template-id'))
    .option('--feature <label>', 'remote execution feature label (instead of a template)')
    .option('--inputs <k=v,...>', 'template inputs: key=value list or JSON', (v, prev?: Record<string, string>) => ({ ...prev, ...parseKeyValueList(v, '--inputs') }))
    .option('--input-files <k=path,...>', 'template inputs read from files', (v, prev?: Record<string, string>) => ({ ...prev, ...parseKeyValueList(v, '--input-files') }))
    .option('--search-query <query>', 'hosts to run on (search query)')
    .option('--host-ids <ids>', 'hosts to run on (ids or names, comma separated)', parseStringList)
    .option('--bookmark <name>', 'hosts from a saved search (bookmark name)')
    .option('--bookmark-id <id>', 'hosts from a saved search (bookmark id)', (v) => parseId(v, '--bookmark-id'))
    .option('--dynamic', 'resolve the search query when the job starts (dynamic_query)')
    .option('--randomized-ordering', 'run on the hosts in random order')
    .option('--concurrency-level <n>', 'at most this many hosts at once', int('--concurrency-level'))
    .option('--time-span <seconds>', 'spread the host starts evenly over this many seconds', int('--time-span'))
    .option('--execution-timeout-interval <seconds>', 'kill a host run after this many seconds', int('--execution-timeout-interval'))
    .option('--time-to-pickup <seconds>', 'pull mode: fail hosts that do not pick the job up in time', int('--time-to-pickup'))
    .option('--effective-user <user>', 'run the script as this user')
    .option('--effective-user-password <password>', 'password for sudo/su/dzdo')
    .option('--ssh-user <user>', 'SSH user')
    .option('--password <password>', 'SSH password')
    .option('--key-passphrase <passphrase>', 'SSH key passphrase')
    .option('--description-format <format>', 'job description format')
    .option('--start-at <datetime>', 'schedule: start at')
    .option('--start-before <datetime>', 'schedule: cancel if not started before')
    .option('--cron-line <cron>', 'recurring: cron line')
    .option('--max-iteration <n>', 'recurring: number of runs', int('--max-iteration'))
    .option('--end-time <datetime>', 'recurring: end time')
    .option('--purpose <purpose>', 'recurring: purpose')
    .option('--async', 'do not wait for the job to finish')
    .option('--dry-run', 'only show how many and which hosts would be targeted; create nothing');
}

/** Reads `--input-files` into input values. */
async function readInputFiles(cwd: string, files: Record<string, string>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, file] of Object.entries(files)) {
    try {
      out[name] = await readFile(path.resolve(cwd, file), 'utf8');
    } catch (e: unknown) {
      if ((e as { code?: string }).code === 'ENOENT') throw new NotFoundError(`--input-files: file not found: ${file}`, { cause: e });
      throw new InputError(`--input-files: cannot read ${file}`, { cause: e });
    }
  }
  return out;
}

/**
 * Builds the `job_invocation` payload (Foreman API names).
 * @param ctx - command context (for name lookups and files)
 * @param flags - parsed options
 */
export async function jobInvocationPayload(ctx: CommandContext, flags: CreateJobFlags): Promise<JobInvocationCreate> {
  const body: JobInvocationCreate = {};
  const byTemplate = flags.jobTemplate !== undefined || flags.jobTemplateId !== undefined;
  if (byTemplate && flags.feature !== undefined) throw new InputError('Only one of feature or job_template_id can be specified');
  if (!byTemplate && flags.feature === undefined) throw new InputError('give --job-template, --job-template-id or --feature');
  if (flags.searchQuery === undefined && flags.hostIds === undefined && flags.bookmark === undefined && flags.bookmarkId === undefined) {
    throw new InputError('give --search-query, --host-ids, --bookmark or --bookmark-id');
  }
  if (flags.feature !== undefined) body.feature = flags.feature;
  else body.job_template_id = flags.jobTemplateId ?? (await resolveId(ctx.client(), JOB_TEMPLATES, undefined, flags.jobTemplate, 'name', '--job-template or --job-template-id'));
  body.targeting_type = flags.dynamic ? 'dynamic_query' : 'static_query';
  if (flags.searchQuery !== undefined) body.search_query = flags.searchQuery;
  if (flags.hostIds !== undefined) body.host_ids = flags.hostIds.map((h) => (/^\d+$/.test(h) ? Number(h) : h));
  if (flags.bookmarkId !== undefined) body.bookmark_id = flags.bookmarkId;
  else if (flags.bookmark !== undefined) body.bookmark_id = await resolveId(ctx.client(), BOOKMARKS, undefined, flags.bookmark, 'name', '--bookmark or --bookmark-id');
  const inputs = { ...(flags.inputFiles ? await readInputFiles(ctx.io.cwd, flags.inputFiles) : {}), ...flags.inputs };
  body.inputs = inputs;
  if (flags.randomizedOrdering) body.randomized_ordering = true;
  if (flags.concurrencyLevel !== undefined || flags.timeSpan !== undefined) {
    body.concurrency_control = {
      ...(flags.concurrencyLevel === undefined ? {} : { concurrency_level: flags.concurrencyLevel }),
      ...(flags.timeSpan === undefined ? {} : { time_span: flags.timeSpan }),
    };
  }
  if (flags.executionTimeoutInterval !== undefined) body.execution_timeout_interval = flags.executionTimeoutInterval;
  if (flags.timeToPickup !== undefined) body.time_to_pickup = flags.timeToPickup;
  if (flags.effectiveUser !== undefined || flags.effectiveUserPassword !== undefined) {
    const ssh: NonNullable<JobInvocationCreate['ssh']> = {};
    if (flags.effectiveUser !== undefined) ssh.effective_user = flags.effectiveUser;
    if (flags.effectiveUserPassword !== undefined) ssh.effective_user_password = flags.effectiveUserPassword;
    body.ssh = ssh;
  }
  if (flags.sshUser !== undefined) body.ssh_user = flags.sshUser;
  if (flags.password !== undefined) body.password = flags.password;
  if (flags.keyPassphrase !== undefined) body.key_passphrase = flags.keyPassphrase;
  if (flags.descriptionFormat !== undefined) body.description_format = flags.descriptionFormat;
  const defined = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  if (flags.startAt !== undefined || flags.startBefore !== undefined) {
    body.scheduling = defined({ start_at: flags.startAt, start_before: flags.startBefore });
  }
  // Any recurrence option is sent, so that the server refuses what it does not support rather than the CLI dropping it.
  if (flags.cronLine !== undefined || flags.maxIteration !== undefined || flags.endTime !== undefined || flags.purpose !== undefined) {
    body.recurrence = defined({ cron_line: flags.cronLine, max_iteration: flags.maxIteration, end_time: flags.endTime, purpose: flags.purpose });
  }
  return body;
}

/** One row of the per-host results table. */
interface HostResultRow {
  name: string;
  status: string;
  exit: string;
  /** Why the host failed (e.g. "Host key verification failed"), if the server says. */
  message: string;
}

/**
 * Lists the job's hosts with their final status, adding exit codes seen on the stream.
 * @param ctx - command context
 * @param id - job invocation id
 * @param events - last host event per host id
 */
export async function hostResults(ctx: CommandContext, id: number, events: Map<number, HostEvent>): Promise<HostResultRow[]> {
  const list = await typedApi(ctx.client()).jobInvocations.hosts(id);
  return list.results.map((h) => {
    const ev = events.get(h.id);
    const exit = h.exit_status ?? ev?.exit_status;
    return {
      name: cellText(h.name ?? ev?.host_name ?? h.id),
      status: cellText(h.job_status ?? ev?.job_status),
      exit: cellText(exit),
      message: cellText(h.message),
    };
  });
}

/**
 * Follows job `id`: progress line, then per-host results; throws {@link JobFailedError} when
 * the job ends failed or cancelled.
 * @param ctx - command context
 * @param id - job invocation id
 */
export async function followAndReport(ctx: CommandContext, id: number): Promise<void> {
  const printer = new ProgressPrinter(ctx.io.stdout);
  let result: Awaited<ReturnType<typeof followJob>>;
  try {
    result = await followJob(ctx.client(), id, { progress: (p) => printer.update(p) }, { sleep: ctx.io.sleep });
  } catch (e: unknown) {
    printer.finish();
    throw e;
  }
  const final: JobProgress = result.final;
  printer.finish(final);
  const rows = await hostResults(ctx, id, result.hosts);
  const columns: Column<HostResultRow>[] = [
    { label: 'Host', get: 'name' },
    { label: 'Status', get: 'status' },
    { label: 'Exit code', get: 'exit' },
  ];
  if (rows.some((r) => r.message !== '')) columns.push({ label: 'Message', get: 'message' });
  ctx.out(formatTable(rows, columns));
  const label = final.status_label ?? 'unknown';
  if (label === 'failed') {
    throw new JobFailedError(`job invocation ${id} failed: ${countOf(final.failed)} of ${countOf(final.total)} hosts failed`);
  }
  if (label === 'cancelled') throw new JobFailedError(`job invocation ${id} was cancelled`);
}

/**
 * Adds `job-invocation create`.
 * @param parent - the `job-invocation` command
 * @param ctx - command context
 */
export function addCreateJobCommand(parent: Command, ctx: CommandContext): Command {
  const cmd = parent.command('create').description('run a job on hosts (follows it live unless --async)');
  return addCreateJobOptions(cmd).action(async (flags: CreateJobFlags) => {
    const body = await jobInvocationPayload(ctx, flags);
    if (flags.dryRun) return previewTargets(ctx, body);
    const job = await typedApi(ctx.client()).jobInvocations.create(body);
    const id = job.id;
    ctx.say(`Job invocation ${id} created`);
    const scheduled = body.scheduling !== undefined || body.recurrence !== undefined || job.mode === 'future' || job.mode === 'recurring';
    if (flags.async || scheduled) return;
    await followAndReport(ctx, id);
  });
}
