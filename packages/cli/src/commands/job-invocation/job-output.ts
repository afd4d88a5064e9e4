/**
 * @module
 * `remex job-invocation output --id N --host NAME|--host-id ID [--follow]`: prints a host's
 * line sets (`GET /api/job_invocations/:id/hosts/:host_id`); `--follow` prints them live from
 * the job's event stream until the host is done (see host-output-follower.ts).
 */
import type { Command } from 'commander';

import type { CommandContext } from '../shared/command-context.ts';
import { addOutputOption, outputOf } from '../shared/list-options.ts';
import { renderData } from '../../output/render-output.ts';
import { parseId } from '../../options/option-parsers.ts';
import { resolveId } from '../shared/resource-spec.ts';
import { type LineSet, readHostOutput } from './host-output-follower.ts';

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
    const all: LineSet[] = [];
    let endsWithNewline = true;
    const onSet = (set: LineSet) => {
      all.push(set);
      if (format !== 'table') return;
      if (!endsWithNewline && /^Exit status: /.test(set.output)) ctx.out('\n');
      ctx.out(set.output);
      if (set.output.length > 0) endsWithNewline = set.output.endsWith('\n');
    };
    const result = await readHostOutput(client, flags.id, hostId, onSet, { follow: flags.follow === true, sleep: (ms) => ctx.io.sleep(ms) });
    if (result.delayed) {
      ctx.say(`The job is scheduled to start at ${result.delayed.startAt ?? 'a later time'}.`);
      return;
    }
    if (format === 'table') {
      if (!endsWithNewline) ctx.out('\n');
    } else {
      ctx.out(renderData(format, all));
    }
  });
}
