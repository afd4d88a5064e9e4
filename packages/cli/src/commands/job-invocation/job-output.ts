/**
 * @module
 * `remex job-invocation output --id N --host NAME|--host-id ID [--follow]`: prints a host's
 * line sets in timestamp order (`GET /api/job_invocations/:id/hosts/:host_id`), polling with
 * `since=<last timestamp>` while the answer says `refresh`.
 */
import type { Command } from 'commander';

import type { CommandContext } from '../shared/command-context.ts';
import { addOutputOption, outputOf } from '../shared/list-options.ts';
import { renderData } from '../../output/render-output.ts';
import { parseId } from '../../options/option-parsers.ts';
import { resolveId } from '../shared/resource-spec.ts';

/** One chunk of output. */
export interface LineSet {
  output_type: string;
  output: string;
  timestamp: number;
}

/** Answer of the host output endpoint. */
export interface HostOutput {
  complete?: boolean;
  refresh?: boolean;
  output?: LineSet[];
  delayed?: boolean;
  start_at?: string;
}

/** Flags of `output`. */
interface OutputFlags {
  id: number;
  host?: string;
  hostId?: number;
  follow?: boolean;
  output?: string;
}

/**
 * Adds `job-invocation output`.
 * @param parent - the `job-invocation` command
 * @param ctx - command context
 */
export function addOutputCommand(parent: Command, ctx: CommandContext): Command {
  const cmd = parent
    .command('output')
    .description("print one host's output of a job")
    .requiredOption('--id <id>', 'job invocation id', (v) => parseId(v, '--id'))
    .option('--host <name>', 'host name')
    .option('--host-id <id>', 'host id', (v) => parseId(v, '--host-id'))
    .option('--follow', 'keep printing new output until the host finishes');
  addOutputOption(cmd);
  return cmd.action(async (flags: OutputFlags) => {
    const format = outputOf(flags);
    const client = ctx.client();
    const jobHosts = { path: `/api/job_invocations/${flags.id}/hosts`, label: `host of job invocation ${flags.id}`, key: 'host' };
    const hostId = await resolveId(client, jobHosts, flags.hostId, flags.host, 'name', '--host or --host-id');
    const url = `/api/job_invocations/${flags.id}/hosts/${hostId}`;
    const all: LineSet[] = [];
    let since: number | undefined;
    let endsWithNewline = true;
    for (;;) {
      const answer = await client.get<HostOutput>(url, since === undefined ? undefined : { since });
      if (answer.delayed) {
        ctx.say(`The job is scheduled to start at ${answer.start_at ?? 'a later time'}.`);
        return;
      }
      const sets = [...(answer.output ?? [])].sort((a, b) => a.timestamp - b.timestamp);
      for (const set of sets) {
        if (since !== undefined && set.timestamp <= since) continue;
        all.push(set);
        if (format === 'table') {
          if (!endsWithNewline && /^Exit status: /.test(set.output)) ctx.out('\n');
          ctx.out(set.output);
          if (set.output.length > 0) endsWithNewline = set.output.endsWith('\n');
        }
      }
      const last = sets[sets.length - 1];
      if (last !== undefined) since = last.timestamp;
      if (!flags.follow || answer.refresh !== true) break;
      await ctx.io.sleep(1000);
    }
    if (format === 'table') {
      if (!endsWithNewline) ctx.out('\n');
    } else {
      ctx.out(renderData(format, all));
    }
  });
}
