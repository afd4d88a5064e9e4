/**
 * @module
 * One-off probe (not a bench section): how much of a warm Remex job is the remote wrapper of the
 * script provider? A bare ssh2 loop over open connections to an sshd fleet runs `echo ok`, then
 * the provider's full wrapper around `echo ok` (mkdir, script file, setsid, wait, rm), and
 * prints hosts/s of each. `npx tsx bench/tools/warm-wrapper-probe.ts [hosts]` (root, like the bench).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { startSshFleet, TEST_USER, tempDir } from '@remex/testkit';
import ssh2 from 'ssh2';

import { buildRunCommand } from '../../packages/proxy/src/providers/script/script-command.ts';

const hosts = Number(process.argv[2] ?? 200);
const dir = await tempDir('remex-probe-');
const keyFile = join(dir.path, 'id');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
const fleet = await startSshFleet({ hosts });
await fleet.authorize(readFileSync(`${keyFile}.pub`, 'utf8').trim());
const key = readFileSync(keyFile, 'utf8');
const clients = await Promise.all(
  fleet.hosts.map(
    (h) =>
      new Promise<ssh2.Client>((resolve, reject) => {
        const c = new ssh2.Client();
        c.on('ready', () => resolve(c)).on('error', reject);
        c.connect({ host: h.address, port: fleet.port, username: TEST_USER.name, privateKey: key, readyTimeout: 60_000 });
      }),
  ),
);
const exec = (c: ssh2.Client, command: string): Promise<void> =>
  new Promise((resolve, reject) =>
    c.exec(command, (err, ch) => {
      if (err) return reject(err);
      ch.on('data', () => undefined).stderr.on('data', () => undefined);
      ch.on('close', () => resolve());
    }),
  );
let n = 0;
const wrapper = (): string =>
  buildRunCommand({ dir: `/var/tmp/remex-probe-${process.pid}-${n++}`, sshUser: TEST_USER.name, effectiveUser: TEST_USER.name, effectiveUserMethod: 'sudo', cleanup: true }, 'echo ok').command;
for (let round = 0; round < 4; round++) {
  for (const [label, make] of [['echo ok', () => 'echo ok'], ['wrapper', wrapper]] as const) {
    const t0 = performance.now();
    await Promise.all(clients.map((c) => exec(c, make())));
    const ms = performance.now() - t0;
    if (round > 0) console.log(`${label}: ${(hosts / (ms / 1000)).toFixed(1)} hosts/s (${ms.toFixed(0)} ms)`);
  }
}
for (const c of clients) c.end();
await fleet.stop();
await dir.cleanup();
