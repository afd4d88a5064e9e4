/**
 * @module
 * `remex status`: checks the connection and the credentials (`GET /api/status`, which needs
 * authentication) and shows the server version.
 */
import { Command } from 'commander';

import { renderRecord } from '../../output/render-output.ts';
import { typedApi } from '../../http/typed-api.ts';
import type { CommandContext } from '../shared/command-context.ts';
import { addOutputOption, outputOf } from '../shared/list-options.ts';
import type { ApiRecord } from '../shared/resource-commands.ts';

/**
 * Builds the `status` command.
 * @param ctx - command context
 */
export function statusCommand(ctx: CommandContext): Command {
  const cmd = new Command('status').description('check the server connection and credentials');
  return addOutputOption(cmd).action(async (flags: { output?: string }) => {
    const format = outputOf(flags);
    const client = ctx.client();
    const status = await typedApi(client).status();
    const record: ApiRecord = { ...status, url: client.config.url, user: client.config.username };
    ctx.out(
      renderRecord(format, record, [
        { label: 'Server', get: 'url' },
        { label: 'User', get: 'user' },
        { label: 'Result', get: 'result' },
        { label: 'Version', get: 'version' },
        { label: 'API version', get: 'api_version' },
      ]),
    );
  });
}
