/**
 * @module
 * The long-running commands: `remex up` (server + embedded proxy, supervised), `remex server` and
 * `remex proxy`. Server and proxy code is imported dynamically so that the ordinary client
 * commands start fast and never load Fastify, SQLite or ssh2.
 */
import path from 'node:path';

import { Command } from 'commander';

import { proxyPubkeyCommand } from '../proxy-registration/proxy-registration-commands.ts';
import { proxyCertCommand } from './proxy-cert-command.ts';

import { InputError } from '@remex/common';
import type { RunningServer } from '@remex/server';

import type { CommandContext } from '../shared/command-context.ts';
import { readyBannerLines } from './ready-banner.ts';

/** Default port of the embedded proxy. */
export const DEFAULT_PROXY_PORT = 3001;

/**
 * Parses `REMEX_PROXY_PORT` (default {@link DEFAULT_PROXY_PORT}; `0` picks a free port).
 * @param value - the variable's value
 */
export function proxyPortOf(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PROXY_PORT;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InputError(`REMEX_PROXY_PORT must be a port number (got "${value}")`);
  return n;
}

/** Starts the server from the environment. */
async function startServerFromEnv(ctx: CommandContext): Promise<RunningServer> {
  const { loadServerConfig, startServer } = await import('@remex/server');
  return startServer(loadServerConfig(ctx.io.env));
}

/** Prints the server banner (URL, and the generated admin password once). */
function announceServer(ctx: CommandContext, server: RunningServer): void {
  for (const line of readyBannerLines({ url: server.url, generatedAdminPassword: server.generatedAdminPassword })) ctx.say(line);
}

/**
 * Starts the server and an embedded proxy registered as `embedded`, each in its own supervised
 * child process (restarted if it crashes, see `up/run-up.ts`); stops both (proxy first) when
 * `ctx.io.waitForStop()` resolves.
 * @param ctx - command context
 */
export async function runUp(ctx: CommandContext): Promise<void> {
  const port = proxyPortOf(ctx.io.env.REMEX_PROXY_PORT);
  const { runSupervisedUp } = await import('./up/run-up.ts');
  await runSupervisedUp(ctx, port);
}

/**
 * Starts the server alone until stopped.
 * @param ctx - command context
 */
export async function runServer(ctx: CommandContext): Promise<void> {
  const server = await startServerFromEnv(ctx);
  announceServer(ctx, server);
  await ctx.io.waitForStop();
  ctx.say('Stopping…');
  await server.stop();
}

/**
 * Adds `up`, `server` and `proxy`.
 * @param program - the root command
 * @param ctx - command context
 */
export function addRunCommands(program: Command, ctx: CommandContext): void {
  program
    .command('up')
    .description('start the server and an embedded proxy as supervised child processes, restarted if they crash (REMEX_PORT, REMEX_PROXY_PORT, REMEX_DATA_DIR, DATABASE_URL, REMEX_SERVER_MAX_HEAP_MB, REMEX_HANG_TIMEOUT_S)')
    .action(() => runUp(ctx));
  program
    .command('server')
    .description('start the server only (REMEX_PORT, REMEX_HOST, REMEX_DATA_DIR, DATABASE_URL)')
    .action(() => runServer(ctx));
  // The proxy prints its own usage, with every key of its config (PROXY_USAGE).
  const proxy = new Command('proxy')
    .description('start a standalone execution proxy (settings: --config FILE and REMEX_PROXY_* variables; `remex proxy --help` lists every key)')
    .helpOption(false)
    .option('-h, --help', 'every key of the config file and its environment variable')
    .option('--config <file>', 'proxy config file (YAML)')
    .action(async (flags: { config?: string; help?: boolean }) => {
      const { runProxyMain } = await import('@remex/proxy');
      if (flags.help === true) return runProxyMain(['--help']);
      await runProxyMain(flags.config === undefined ? [] : ['--config', path.resolve(ctx.io.cwd, flags.config)]);
    });
  proxy.addCommand(proxyCertCommand(ctx));
  proxy.addCommand(proxyPubkeyCommand(ctx));
  program.addCommand(proxy);
}
