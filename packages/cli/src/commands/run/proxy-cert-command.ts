/**
 * @module
 * `remex proxy cert`: a CA, proxy certificates and the server's client certificate for HTTPS
 * between server and proxies (ADR 0018), with the settings that use them.
 */
import path from 'node:path';

import { InputError } from '@remex/common';
import { Command } from 'commander';

import type { CommandContext } from '../shared/command-context.ts';

/** Parses `NAME=HOST[,HOST…]`. */
function proxySpec(value: string, previous: Array<{ name: string; names: string[] }> = []): Array<{ name: string; names: string[] }> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InputError(`--proxy '${value}': expected NAME=HOST[,HOST…], e.g. p1=proxy1.example.com,10.0.0.5`);
  const names = value.slice(at + 1).split(',').map((n) => n.trim()).filter((n) => n !== '');
  return [...previous, { name: value.slice(0, at).trim(), names }];
}

/**
 * Builds `remex proxy cert`.
 * @param ctx - command context
 */
export function proxyCertCommand(ctx: CommandContext): Command {
  return new Command('cert')
    .description('make a CA and certificates for HTTPS between server and proxies (kept files are reused, never overwritten)')
    .requiredOption('--dir <dir>', 'directory of the files (created 0700; keys 0600)')
    .option('--proxy <name=hosts>', 'a proxy and the host names/IPs it is reached by (repeatable)', proxySpec, [])
    .action(async (flags: { dir: string; proxy: Array<{ name: string; names: string[] }> }) => {
      const { makeLabCertificates } = await import('@remex/proxy');
      const dir = path.resolve(ctx.io.cwd, flags.dir);
      const made = makeLabCertificates({ dir, proxies: flags.proxy });
      const line = (what: string, c: { certFile: string; fingerprint: string; created: boolean }) =>
        ctx.say(`${c.created ? 'made' : 'kept'} ${what}: ${c.certFile}  (SHA-256 ${c.fingerprint})`);
      line('CA', made.ca);
      line('server client certificate', made.server);
      for (const p of made.proxies) line(`proxy ${p.name}`, p);
      ctx.say('');
      ctx.say('Server environment:');
      ctx.say(`  REMEX_PROXY_CA_FILE=${made.ca.certFile}`);
      ctx.say(`  REMEX_PROXY_CLIENT_CERT_FILE=${made.server.certFile}`);
      ctx.say(`  REMEX_PROXY_CLIENT_KEY_FILE=${made.server.keyFile}`);
      for (const p of made.proxies) {
        ctx.say(`Proxy ${p.name} config (copy the files to it):`);
        ctx.say(`  tls_cert_file: ${p.certFile}`);
        ctx.say(`  tls_key_file: ${p.keyFile}`);
        ctx.say(`  tls_client_ca_file: ${made.ca.certFile}   # only clients with a certificate of this CA`);
      }
    });
}
