/**
 * @module
 * `remex up` as a real process supervising its two children: the server child SIGKILLed comes
 * back (same URL, same admin credentials), the proxy child SIGKILLed comes back registered again
 * (a job on a real sshd fleet then succeeds), SIGTERM stops everything, and children die with a
 * SIGKILLed supervisor.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { fleetImportYaml, fleetParameters, type SshFleet, startSshFleet } from '@remex/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { captureIo } from './helpers/capture-io.ts';
import { MEMORY_NODE_FLAGS } from '../src/commands/run/up/memory-flags.ts';

const BIN = fileURLToPath(new URL('../bin/remex', import.meta.url));
const TEMPLATE = 'Run Command - Script Default';

interface Up {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const dirs: string[] = [];
const ups: Up[] = [];
let fleet: SshFleet;

beforeAll(async () => {
  fleet = await startSshFleet({ hosts: 2 });
});

afterAll(async () => {
  for (const up of ups) up.child.kill('SIGKILL');
  await fleet?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Starts `bin/remex up` on free ports with a fresh data dir; resolves once the banner is out. */
async function startUp(extraEnv: Record<string, string> = {}): Promise<Up & { dir: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'remex-up-sup-'));
  dirs.push(dir);
  const child = spawn(BIN, ['up'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, REMEX_DATA_DIR: path.join(dir, 'data'), REMEX_PORT: '0', REMEX_PROXY_PORT: '0', REMEX_LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const up = { child, out: () => out, err: () => err, closed, dir };
  ups.push(up);
  await waitFor(() => out.includes('Supervisor pid'), () => `no banner; stdout: ${out} stderr: ${err}`);
  return up;
}

/** Waits (bounded) until `check` holds. */
async function waitFor(check: () => boolean, explain: () => string): Promise<void> {
  await vi.waitFor(() => expect(check(), explain()).toBe(true), { timeout: 90_000, interval: 100 });
}

function match(text: string, re: RegExp): string {
  const m = re.exec(text);
  expect(m, `${re} in ${text}`).not.toBeNull();
  return m![1]!;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Budget of one test: each starts a supervisor whose two children load the whole server and proxy
 * (about 30 s on a loaded 2-core machine), and the first waits for two restarts and a job on top.
 * Above the 60 s default, and above {@link waitFor}'s bound, so that a stuck step fails by naming
 * what it waited for instead of as a bare test timeout.
 */
const TEST_BUDGET_MS = 300_000;

describe('remex up supervises its children', { timeout: TEST_BUDGET_MS }, () => {
  it('restarts a killed server and a killed proxy (registered again), and SIGTERM stops everything', async () => {
    const up = await startUp();
    const url = match(up.out(), /^Remex server listening on (http:\S+)$/m);
    const password = match(up.out(), /^Created user admin with password: (\S+)$/m);
    const publicKey = match(up.out(), /^Proxy SSH public key .*: (ssh-ed25519 .*)$/m);
    expect(Number(match(up.out(), /^Supervisor pid (\d+):/m))).toBe(up.child.pid);
    const serverPid = Number(match(up.out(), /server pid (\d+)/));
    const proxyPid = Number(match(up.out(), /embedded proxy pid (\d+)/));
    const cli = captureIo({ HOME: up.dir, REMEX_URL: url, REMEX_USER: 'admin', REMEX_PASSWORD: password }, { cwd: up.dir });
    const ok = async (...argv: string[]): Promise<string> => {
      const r = await cli.run(...argv);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return r.stdout;
    };

    // The server child dies: it is restarted on the same URL and the admin password still works.
    process.kill(serverPid, 'SIGKILL');
    await waitFor(() => up.err().includes('remex up: embedded proxy registered again at '), () => up.err());
    expect(up.err()).toContain(`remex up: server (pid ${serverPid}) exited with signal SIGKILL; restarting in 1 s (restart 1)\n`);
    expect(up.err()).toContain(`remex up: server restarted (pid `);
    expect(up.err()).toContain(`listening on ${url}\n`);
    const newServerPid = Number(match(up.err(), /server restarted \(pid (\d+)\)/));
    expect(newServerPid).not.toBe(serverPid);
    expect(alive(serverPid)).toBe(false);
    expect(JSON.parse(await ok('proxy-registration', 'list', '-o', 'json'))).toEqual([expect.objectContaining({ name: 'embedded' })]);

    // Inventory for a job on the fleet.
    for (const [name, value] of fleetParameters(fleet)) {
      await ok('global-parameter', 'set', '--name', name, '--value', value);
    }
    await writeFile(path.join(up.dir, 'fleet.yaml'), fleetImportYaml(fleet, 'fleet'));
    await ok('host', 'import', 'fleet.yaml');
    await fleet.authorize(publicKey);

    // The proxy child dies: it is restarted, registered again, and runs jobs.
    process.kill(proxyPid, 'SIGKILL');
    await waitFor(() => up.err().split('remex up: embedded proxy registered again at ').length === 3, () => up.err());
    expect(up.err()).toContain(`remex up: embedded proxy (pid ${proxyPid}) exited with signal SIGKILL; restarting in 1 s (restart 1)\n`);
    const newProxyPid = Number(match(up.err(), /embedded proxy restarted \(pid (\d+)\)/));
    const job = await cli.run('job-invocation', 'create', '--job-template', TEMPLATE, '--inputs', 'command=echo after restart', '--search-query', 'hostgroup = fleet');
    expect(job.stderr).toBe('');
    expect(job.stdout).toContain('[succeeded] 2/2 succeeded 2, failed 0, pending 0\n');
    expect(job.code).toBe(0);

    // SIGTERM: both children stop, the supervisor exits 0, no process is left.
    up.child.kill('SIGTERM');
    expect(await up.closed).toEqual({ code: 0, signal: null });
    expect(up.out()).toMatch(/Stopping…\n$/);
    expect([up.child.pid, newServerPid, newProxyPid].filter((pid) => pid !== undefined && alive(pid))).toEqual([]);
  });

  it('caps the server heap (REMEX_SERVER_MAX_HEAP_MB), starts both children with the memory settings; children exit when the supervisor is SIGKILLed', async () => {
    const up = await startUp({ REMEX_SERVER_MAX_HEAP_MB: '512' });
    const pids = [Number(match(up.out(), /server pid (\d+)/)), Number(match(up.out(), /embedded proxy pid (\d+)/))];
    expect(pids.every(alive)).toBe(true);
    expect((await readFile(`/proc/${pids[0]}/cmdline`, 'utf8')).split('\0')).toContain('--max-old-space-size=512');
    for (const pid of pids) {
      expect((await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0')).toEqual(expect.arrayContaining([...MEMORY_NODE_FLAGS]));
      expect((await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0')).toContain('MALLOC_ARENA_MAX=2');
    }
    up.child.kill('SIGKILL');
    await up.closed;
    await waitFor(() => pids.every((pid) => !alive(pid)), () => `still alive: ${pids.filter(alive).join(', ')}`);
  });

  it('kills and restarts a child that stopped answering (REMEX_HANG_TIMEOUT_S)', async () => {
    const up = await startUp({ REMEX_HANG_TIMEOUT_S: '4' });
    const url = match(up.out(), /^Remex server listening on (http:\S+)$/m);
    const serverPid = Number(match(up.out(), /server pid (\d+)/));
    // A stopped process answers nothing, like one whose event loop is stuck in a render.
    process.kill(serverPid, 'SIGSTOP');
    await waitFor(() => up.err().includes(`listening on ${url}\n`), () => up.err());
    expect(up.err()).toContain(`remex up: server (pid ${serverPid}) has not answered for 4 s; killing it\n`);
    expect(up.err()).toContain(`remex up: server (pid ${serverPid}) exited with signal SIGKILL; restarting in 1 s (restart 1)\n`);
    up.child.kill('SIGTERM');
    expect(await up.closed).toEqual({ code: 0, signal: null });
  });
});
