/**
 * @module
 * `remex proxy-registration credential|create|refresh|pubkey|list|info|update|delete` (alias
 * `smart-proxy`; → `/api/smart_proxies`). Setting up a proxy (ADR 0007): `credential --name N`
 * prints the proxy's own credential once; the proxy is configured with it; `create --name N --url U`
 * then makes the server check that the URL is a Remex proxy holding that credential.
 */
import type { SmartProxyCreate, SmartProxyUpdate } from '@remex/common';
import { InputError } from '@remex/common';
import { Command } from 'commander';

import { typedApi } from '../../http/typed-api.ts';

import type { CommandContext } from '../shared/command-context.ts';
import { addIdentityOptions, addResourceCommands, type ApiRecord, given, ID_NAME_COLUMNS, type IdFlags, identityId, TIMESTAMP_FIELDS } from '../shared/resource-commands.ts';
import type { ResourceSpec } from '../shared/resource-spec.ts';
import { cellText } from '../../output/table-format.ts';

/** The smart proxies collection. */
export const SMART_PROXIES: ResourceSpec<SmartProxyCreate, SmartProxyUpdate> = {
  path: '/api/smart_proxies',
  label: 'smart proxy',
  key: 'smart_proxy',
  api: (client) => typedApi(client).smartProxies,
};

/** Feature names of a proxy record. */
function featuresOf(p: ApiRecord): unknown {
  const f = p.features;
  if (!Array.isArray(f)) return f;
  return f.map((x: unknown) => (typeof x === 'string' ? x : cellText(((x ?? {}) as ApiRecord).name)));
}

/**
 * Builds the `proxy-registration` command group (also reachable as `smart-proxy`).
 * @param ctx - command context
 */
export function proxyRegistrationCommand(ctx: CommandContext): Command {
  const pr = new Command('proxy-registration').alias('smart-proxy').description('register execution proxies with the server');
  const columns = [...ID_NAME_COLUMNS, { label: 'URL', get: 'url' }, { label: 'Features', get: featuresOf }] as const;
  addResourceCommands<IdFlags & { name?: string; newName?: string; url?: string }, SmartProxyCreate, SmartProxyUpdate>(pr, ctx, {
    spec: SMART_PROXIES,
    columns,
    fields: [...columns, { label: 'SSH public key', get: 'remote_execution_pubkey' }, { label: 'TLS certificate (SHA-256)', get: 'tls_fingerprint' }, ...TIMESTAMP_FIELDS],
    create: {
      description: 'register a proxy (issue its credential first: `credential --name`)',
      options: (cmd) => cmd.requiredOption('--name <name>', 'proxy name').requiredOption('--url <url>', 'proxy URL, e.g. https://10.0.0.5:8443 (its certificate is pinned now)'),
      payload: (flags) => ({ name: given(flags.name, '--name'), url: given(flags.url, '--url') }),
    },
    update: {
      description: 'rename a proxy or move it to a new URL (the server checks it there as on create)',
      options: (cmd) => cmd.option('--new-name <name>', 'new name').option('--url <url>', 'new URL'),
      payload: (flags) => {
        const body: SmartProxyUpdate = {};
        if (flags.newName !== undefined) body.name = flags.newName;
        if (flags.url !== undefined) body.url = flags.url;
        return body;
      },
    },
  });
  pr.command('credential')
    .description("issue a proxy's own credential (shown once; configure the proxy with it, then `create`, or `refresh` to rotate)")
    .requiredOption('--name <name>', 'proxy name')
    .action(async (flags: { name: string }) => {
      const r = await typedApi(ctx.client()).smartProxies.issueCredential(flags.name);
      ctx.say(`Credential for proxy ${r.name} (shown once, keep it secret):`);
      ctx.say(r.credential);
      ctx.say('On the proxy machine:');
      ctx.say(`  1. set it as \`token\` in the proxy config file (or REMEX_PROXY_TOKEN), with \`name: ${r.name}\` and \`server_url\``);
      ctx.say('     (every key: `remex proxy --help`);');
      ctx.say('  2. start it: `remex proxy --config FILE`. It listens on HTTPS, port 8443, with a certificate it makes');
      ctx.say('     on first start (or tls_cert_file/tls_key_file; `remex proxy cert` makes a CA and certificates,');
      ctx.say('     also for mutual TLS) and logs the certificate\'s SHA-256 fingerprint.');
      ctx.say('Then register it here; the server pins the certificate it presents, once the proxy signs for it:');
      ctx.say(`  remex proxy-registration create --name ${r.name} --url https://<proxy host>:8443   (or refresh, for a registered proxy)`);
    });
  addIdentityOptions(
    pr.command('refresh').description("re-check a registered proxy: features, SSH key, and that it holds its credential (or a newly issued one)"),
    SMART_PROXIES,
  ).action(async (flags: IdFlags) => {
    const id = await identityId(ctx, SMART_PROXIES, flags);
    const p = await typedApi(ctx.client()).smartProxies.refresh(id);
    ctx.say(`Smart proxy ${p.name} refreshed.`);
  });
  pr.addCommand(proxyPubkeyCommand(ctx));
  return pr;
}

/**
 * `pubkey --name N|--id ID`: a registered proxy's SSH public key, one authorized_keys line (also
 * reachable as `remex proxy pubkey`).
 */
export function proxyPubkeyCommand(ctx: CommandContext): Command {
  return addIdentityOptions(
    new Command('pubkey').description("print a registered proxy's SSH public key, one authorized_keys line (e.g. `>> ~/.ssh/authorized_keys` on a host)"),
    SMART_PROXIES,
  ).action(async (flags: IdFlags) => {
    const id = await identityId(ctx, SMART_PROXIES, flags);
    const p = await typedApi(ctx.client()).smartProxies.show(id);
    if (!p.remote_execution_pubkey) throw new InputError(`Smart proxy ${p.name} reported no SSH public key: refresh its registration`);
    ctx.say(p.remote_execution_pubkey);
  });
}
