/**
 * @module
 * `createProgram`: the commander tree of `remex`, wired to one {@link CliIo} so tests can run it
 * in-process. Commander never exits the process and never prints errors itself; `main` does.
 */
import { Command } from 'commander';

import { REMEX_VERSION } from '@remex/common';

import { adminCommand } from '../commands/admin/admin-command.ts';
import { foreignInputSetCommand } from '../commands/foreign-input-set/foreign-input-set-commands.ts';
import { globalParameterCommand } from '../commands/global-parameter/global-parameter-commands.ts';
import { hostCommand } from '../commands/host/host-commands.ts';
import { hostgroupCommand } from '../commands/hostgroup/hostgroup-commands.ts';
import { jobInvocationCommand } from '../commands/job-invocation/job-invocation-commands.ts';
import { jobTemplateCommand } from '../commands/job-template/job-template-commands.ts';
import { operatingsystemCommand } from '../commands/operatingsystem/operatingsystem-commands.ts';
import { locationCommand, organizationCommand } from '../commands/taxonomy/taxonomy-commands.ts';
import { domainCommand } from '../commands/domain/domain-commands.ts';
import { proxyRegistrationCommand } from '../commands/proxy-registration/proxy-registration-commands.ts';
import { remoteExecutionFeatureCommand } from '../commands/remote-execution-feature/remote-execution-feature-commands.ts';
import { addLoginCommands } from '../commands/login/login-commands.ts';
import { addRunCommands } from '../commands/run/run-commands.ts';
import type { CommandContext } from '../commands/shared/command-context.ts';
import { settingsCommand } from '../commands/settings/settings-commands.ts';
import { statusCommand } from '../commands/status/status-command.ts';
import { roleCommand } from '../commands/role/role-commands.ts';
import { filterCommand } from '../commands/filter/filter-commands.ts';
import { subnetCommand } from '../commands/subnet/subnet-commands.ts';
import { bookmarkCommand } from '../commands/bookmark/bookmark-commands.ts';
import { templateInputCommand } from '../commands/template-input/template-input-commands.ts';
import { userCommand } from '../commands/user/user-commands.ts';
import { auditCommand } from '../commands/audit/audit-commands.ts';
import { recurringLogicCommand } from '../commands/recurring-logic/recurring-logic-commands.ts';
import { webhookCommand } from '../commands/webhook/webhook-commands.ts';
import { type ClientConfigFlags, loadClientConfig } from '../config/client-config.ts';
import { ApiClient } from '../http/api-client.ts';
import { type CliIo, createCliIo } from './cli-io.ts';

/** The command groups, in the order `remex --help` lists them. */
const COMMAND_GROUPS: readonly ((ctx: CommandContext) => Command)[] = [
  statusCommand,
  hostCommand,
  hostgroupCommand,
  subnetCommand,
  globalParameterCommand,
  proxyRegistrationCommand,
  operatingsystemCommand,
  organizationCommand,
  locationCommand,
  domainCommand,
  jobTemplateCommand,
  templateInputCommand,
  foreignInputSetCommand,
  remoteExecutionFeatureCommand,
  jobInvocationCommand,
  bookmarkCommand,
  settingsCommand,
  userCommand,
  adminCommand,
  roleCommand,
  filterCommand,
  auditCommand,
  recurringLogicCommand,
  webhookCommand,
];

/** Applies the settings every command of the tree needs (inherited settings are not enough for commands built with `new Command`). */
function configure(cmd: Command, io: CliIo): void {
  cmd.exitOverride();
  cmd.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    // main() prints the one error line; commander must not print its own.
    outputError: () => undefined,
  });
  cmd.showSuggestionAfterError(true);
  for (const sub of cmd.commands) configure(sub, io);
}

/**
 * Builds the `remex` command tree.
 * @param io - streams and environment (default: the real process)
 * @example
 * ```ts
 * const program = createProgram(createCliIo({ stdout, stderr, env }));
 * await program.parseAsync(['host', 'list'], { from: 'user' });
 * ```
 */
export function createProgram(io: CliIo = createCliIo()): Command {
  const program = new Command('remex')
    .description('Remex: remote execution over SSH, compatible with Foreman Remote Execution')
    .version(REMEX_VERSION, '-V, --version')
    .option('-s, --server <url>', 'server URL (env REMEX_URL; default http://127.0.0.1:3000)')
    .option('-u, --username <user>', 'user name (env REMEX_USER; default admin)')
    .option('-p, --password <password>', 'password (env REMEX_PASSWORD)')
    // Global options go before the subcommand (as in hammer), so that e.g.
    // `job-invocation create --password` (the SSH password) stays the subcommand's.
    .enablePositionalOptions();

  let client: ApiClient | undefined;
  const ctx: CommandContext = {
    io,
    client() {
      client ??= new ApiClient(loadClientConfig(io.env, io.home, program.opts<ClientConfigFlags>()));
      return client;
    },
    globalFlags: () => program.opts<ClientConfigFlags>(),
    out: (text) => void io.stdout.write(text),
    say: (line) => void io.stdout.write(`${line}\n`),
    warn: (line) => void io.stderr.write(`${line}\n`),
  };

  for (const build of COMMAND_GROUPS) program.addCommand(build(ctx));
  addRunCommands(program, ctx);
  addLoginCommands(program, ctx);
  configure(program, io);
  return program;
}
