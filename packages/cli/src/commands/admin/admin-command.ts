/**
 * @module
 * `remex admin …`: maintenance run on the server machine against its database (no API call).
 * `remex admin reset-password [--login admin]` sets and prints a new random password.
 */
import path from 'node:path';

import { Command } from 'commander';

import type { CommandContext } from '../shared/command-context.ts';

/**
 * Builds the `admin` command.
 * @param ctx - command context
 */
export function adminCommand(ctx: CommandContext): Command {
  const cmd = new Command('admin').description('maintenance on the server machine (reads REMEX_DATA_DIR / DATABASE_URL like `remex up`)');
  cmd
    .command('reset-password')
    .description("set a new random password for a user (default admin) in the server's database and print it once")
    .option('--login <login>', 'user whose password is reset', 'admin')
    .action(async (flags: { login: string }) => {
      const { loadServerConfig, resetPassword } = await import('@remex/server');
      const dataDir = path.resolve(ctx.io.cwd, ctx.io.env.REMEX_DATA_DIR ?? 'data');
      const password = await resetPassword(loadServerConfig(ctx.io.env, { dataDir }), flags.login);
      ctx.say(`New password of ${flags.login}: ${password}`);
    });
  return cmd;
}
