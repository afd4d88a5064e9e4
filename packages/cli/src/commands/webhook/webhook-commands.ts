/**
 * @module
 * `remex webhook list|info|create|update|delete|test|deliveries` (→ `/api/webhooks`): signed
 * JSON POSTs of job and task events to chat, CI or any HTTP receiver.
 */
import type { WebhookCreate, WebhookUpdate } from '@remex/common';
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';
import { booleanParser, parseKeyValueList, parseStringList } from '../../options/option-parsers.ts';
import { renderList } from '../../output/render-output.ts';
import { readSecret } from '../../cli/read-secret.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addListOptions, type ListFlags, listOptionsOf, outputOf } from '../shared/list-options.ts';
import { addResourceCommands, asRecord, ID_NAME_COLUMNS, type IdFlags, identityId, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';

/** The webhooks collection. */
export const WEBHOOKS: ResourceSpec<WebhookCreate, WebhookUpdate> = { path: '/api/webhooks', label: 'webhook', key: 'webhook', api: (client) => typedApi(client).webhooks };

/** Flags of create/update. */
interface WebhookFlags extends IdFlags {
  name?: string;
  newName?: string;
  url?: string;
  events?: string[];
  secret?: boolean;
  headers?: Record<string, string>;
  enabled?: boolean;
}

/** The attributes the flags name; `--secret` reads the secret from the terminal or stdin, never the command line. */
async function payload(ctx: CommandContext, flags: WebhookFlags, name: string | undefined): Promise<WebhookUpdate> {
  const body: WebhookUpdate = {};
  if (name !== undefined) body.name = name;
  if (flags.url !== undefined) body.url = flags.url;
  if (flags.events !== undefined) body.events = flags.events;
  if (flags.headers !== undefined) body.http_headers = flags.headers;
  if (flags.enabled !== undefined) body.enabled = flags.enabled;
  if (flags.secret) body.secret = await readSecret('Webhook secret: ', ctx.io.stderr);
  return body;
}

/**
 * Builds the `webhook` command group.
 * @param ctx - command context
 */
export function webhookCommand(ctx: CommandContext): Command {
  const wh = new Command('webhook').description('manage webhooks (signed JSON POSTs of job events)');
  const columns = [...ID_NAME_COLUMNS, { label: 'URL', get: 'url' }, { label: 'Events', get: 'events' }, { label: 'Enabled', get: 'enabled' }] as const;
  const attributes = (cmd: Command) =>
    cmd
      .option('--url <url>', 'http:// or https:// URL the events are POSTed to')
      .option('--events <a,b>', 'job_succeeded, job_failed, job_cancelled, host_task_finished, recurring_occurrence_skipped', parseStringList)
      .option('--secret', 'ask for the HMAC secret (read from the terminal, or the first line of stdin)')
      .option('--headers <k=v,...>', 'custom headers sent with each delivery', (v) => parseKeyValueList(v, '--headers'))
      .option('--enabled [bool]', 'deliver events (default true)', booleanParser('--enabled'));
  addResourceCommands<WebhookFlags, WebhookCreate, WebhookUpdate>(wh, ctx, {
    spec: WEBHOOKS,
    columns,
    fields: [...columns, { label: 'Signed', get: 'has_secret' }, { label: 'Headers', get: 'http_headers' }, ...TIMESTAMP_FIELDS],
    create: {
      description: 'register a webhook',
      options: (cmd) => attributes(cmd.requiredOption('--name <name>', 'webhook name')),
      payload: async (flags) => ({ ...(await payload(ctx, flags, flags.name)), name: flags.name ?? '', url: flags.url ?? '', events: flags.events ?? [] }),
    },
    update: {
      description: 'change a webhook',
      options: (cmd) => attributes(cmd.option('--new-name <name>', 'new name')),
      payload: (flags) => payload(ctx, flags, flags.newName),
    },
  });
  const byIdentity = (name: string, description: string) => wh.command(name).description(description).option('--id <id>', 'webhook id').option('--name <name>', 'webhook name');
  byIdentity('test', 'send a ping now and show how it went').action(async (flags: IdFlags) => {
    const d = await typedApi(ctx.client()).webhooks.test(await identityId(ctx, WEBHOOKS, flags));
    ctx.say(d.state === 'delivered' ? `Ping delivered (HTTP ${d.last_status_code ?? '?'}, ${d.duration_ms ?? '?'} ms).` : `Ping failed: ${d.last_error ?? 'unknown error'}.`);
  });
  addListOptions(byIdentity('deliveries', "list a webhook's deliveries, newest first")).action(async (flags: IdFlags & ListFlags) => {
    const list = await typedApi(ctx.client()).webhooks.deliveries(await identityId(ctx, WEBHOOKS, flags), listOptionsOf(flags));
    ctx.out(
      renderList(outputOf(flags), list.results.map(asRecord), [
        { label: 'Id', get: 'id' },
        { label: 'Event', get: 'event' },
        { label: 'State', get: 'state' },
        { label: 'Attempts', get: 'attempts' },
        { label: 'Status', get: 'last_status_code' },
        { label: 'Error', get: 'last_error' },
        { label: 'Created', get: 'created_at' },
      ]),
    );
  });
  return wh;
}
