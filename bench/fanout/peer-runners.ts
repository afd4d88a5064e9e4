/**
 * @module
 * Peer tools as fan-out runners: `parallel-ssh` (pssh), `clush` (ClusterShell) and
 * `ansible -m raw` (ansible-core), each run once per round under `/usr/bin/time`, whose rusage
 * covers the tool and every process it waited for (its ssh clients, ansible's forks). Same hosts,
 * key and concurrency as the others; no host key checking, no known_hosts, no ControlMaster.
 * A host's latency is the arrival of the tool's result line for it, counted from the spawn.
 */
import { spawn } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

import { TEST_USER } from '@remex/testkit';

import type { FanoutContext, FanoutRunner, RoundMeasure } from './fanout-types.ts';

const TIME_BINARY = '/usr/bin/time';
const SSH_OPTIONS = ['StrictHostKeyChecking=no', 'UserKnownHostsFile=/dev/null', 'ControlMaster=no', 'ControlPath=none', 'BatchMode=yes', 'LogLevel=ERROR', 'ConnectTimeout=60'];

/** How to run one tool. */
interface PeerTool {
  id: string;
  label: string;
  /** Candidate binaries; the first that exists is used. */
  binaries: string[];
  /** Debian package that provides it (for the skip note). */
  debianPackage: string;
  /** Writes any files it needs; returns its argv (after the binary) and extra environment. */
  prepare(ctx: FanoutContext): Promise<{ args: string[]; env: Record<string, string> }>;
  /** Reads one output line: the host address it is about and whether it reports success. */
  parseLine(line: string, stream: 'stdout' | 'stderr'): { address: string; ok: boolean } | undefined;
}

/** Process groups of peer tools still running (killed if the bench exits early). */
const livePeerGroups = new Set<number>();
process.on('exit', () => {
  for (const pgid of livePeerGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

const ADDRESS = /\b(127\.\d{1,3}\.\d{1,3}\.\d{1,3})\b/;

function addressOf(line: string): string | undefined {
  return ADDRESS.exec(line)?.[1];
}

const PSSH: PeerTool = {
  id: 'pssh',
  label: 'pssh (parallel-ssh)',
  binaries: ['/usr/bin/parallel-ssh', '/usr/bin/pssh'],
  debianPackage: 'pssh',
  async prepare(ctx) {
    const hostsFile = join(ctx.workDir, 'pssh-hosts');
    await writeFile(hostsFile, ctx.hosts.map((h) => `${h.address}:${ctx.fleet.port}\n`).join(''));
    const args = ['-h', hostsFile, '-p', String(ctx.concurrency), '-l', TEST_USER.name, '-t', '0', '-x', `-i ${ctx.keyFile}`];
    for (const o of SSH_OPTIONS) args.push('-O', o);
    args.push(ctx.command);
    return { args, env: {} };
  },
  parseLine(line) {
    const address = addressOf(line);
    if (!address) return undefined;
    if (line.includes('[SUCCESS]')) return { address, ok: true };
    if (line.includes('[FAILURE]')) return { address, ok: false };
    return undefined;
  },
};

const CLUSH: PeerTool = {
  id: 'clush',
  label: 'clush (ClusterShell)',
  binaries: ['/usr/bin/clush'],
  debianPackage: 'clustershell',
  prepare(ctx) {
    const sshOptions = [`-p ${ctx.fleet.port}`, `-i ${ctx.keyFile}`, ...SSH_OPTIONS.map((o) => `-o${o}`)].join(' ');
    const args = ['--nostdin', '-f', String(ctx.concurrency), '-l', TEST_USER.name, '-o', sshOptions, '-w', ctx.hosts.map((h) => h.address).join(','), ctx.command];
    return Promise.resolve({ args, env: {} });
  },
  parseLine(line, stream) {
    const address = addressOf(line);
    if (!address) return undefined;
    if (stream === 'stdout' && line.startsWith(`${address}: `)) return { address, ok: true };
    if (stream === 'stderr' && /exited with exit code|Connection|Permission denied/.test(line)) return { address, ok: false };
    return undefined;
  },
};

const ANSIBLE: PeerTool = {
  id: 'ansible',
  label: 'ansible -m raw',
  binaries: ['/usr/bin/ansible'],
  debianPackage: 'ansible-core',
  async prepare(ctx) {
    const inventory = join(ctx.workDir, 'ansible-inventory.ini');
    await writeFile(
      inventory,
      `[fleet]\n${ctx.hosts.map((h) => `${h.address} ansible_host=${h.address} ansible_port=${ctx.fleet.port} ansible_user=${TEST_USER.name}\n`).join('')}`,
    );
    const args = ['all', '-i', inventory, '-m', 'raw', '-a', ctx.command, '-f', String(ctx.concurrency)];
    const env = {
      ANSIBLE_HOST_KEY_CHECKING: 'False',
      ANSIBLE_PRIVATE_KEY_FILE: ctx.keyFile,
      ANSIBLE_SSH_ARGS: SSH_OPTIONS.map((o) => `-o ${o}`).join(' '),
      ANSIBLE_HOME: join(ctx.workDir, 'ansible-home'),
      ANSIBLE_LOCAL_TEMP: join(ctx.workDir, 'ansible-tmp'),
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_RETRY_FILES_ENABLED: 'False',
      ANSIBLE_TIMEOUT: '60',
      ANSIBLE_CONFIG: join(ctx.workDir, 'ansible-none.cfg'),
    };
    await writeFile(env.ANSIBLE_CONFIG, '[defaults]\n');
    return { args, env };
  },
  parseLine(line) {
    const address = addressOf(line);
    if (!address || !line.startsWith(address)) return undefined;
    if (/\| (CHANGED|SUCCESS) \| rc=0/.test(line)) return { address, ok: true };
    if (/\| (UNREACHABLE!|FAILED!?)/.test(line)) return { address, ok: false };
    return undefined;
  },
};

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const p of paths) {
    try {
      await access(p);
      return p;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/** Runs a peer tool under `/usr/bin/time` once per round. */
class PeerRunner implements FanoutRunner {
  readonly id: string;
  readonly label: string;
  readonly oneShot = true;
  readonly #tool: PeerTool;
  #binary = '';
  #round = 0;

  constructor(tool: PeerTool) {
    this.#tool = tool;
    this.id = tool.id;
    this.label = tool.label;
  }

  async setup(): Promise<string | undefined> {
    const binary = await firstExisting(this.#tool.binaries);
    if (!binary) return `${this.#tool.binaries[0]} not found (Debian package ${this.#tool.debianPackage}); skipped`;
    if (!(await firstExisting([TIME_BINARY]))) return `${TIME_BINARY} not found (Debian package time) to measure its CPU; skipped`;
    this.#binary = binary;
    return undefined;
  }

  async round(ctx: FanoutContext): Promise<RoundMeasure> {
    const { args, env } = await this.#tool.prepare(ctx);
    const timeFile = join(ctx.workDir, `${this.id}-time-${++this.#round}.txt`);
    const results = new Map<string, { ms: number; ok: boolean }>();
    const known = new Set(ctx.hosts.map((h) => h.address));
    const t0 = performance.now();
    const child = spawn(TIME_BINARY, ['-f', '%e %U %S', '-o', timeFile, this.#binary, ...args], {
      env: { ...process.env, PYTHONUNBUFFERED: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    if (child.pid !== undefined) livePeerGroups.add(child.pid);
    const stderrTail: string[] = [];
    const read = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr'): void => {
      createInterface({ input: stream }).on('line', (line) => {
        const ms = performance.now() - t0;
        const parsed = this.#tool.parseLine(line, name);
        if (parsed && known.has(parsed.address) && !results.has(parsed.address)) results.set(parsed.address, { ms, ok: parsed.ok });
        if (name === 'stderr' && stderrTail.length < 20) stderrTail.push(line);
      });
    };
    read(child.stdout, 'stdout');
    read(child.stderr, 'stderr');
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, ctx.roundTimeoutMs);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c) => resolve(c));
    });
    clearTimeout(timer);
    if (child.pid !== undefined) livePeerGroups.delete(child.pid);
    const wallMs = performance.now() - t0;
    await ctx.waitSshdQuiet();
    const [, user, sys] = (await readFile(timeFile, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number);
    const cpuMs = ((user ?? Number.NaN) + (sys ?? Number.NaN)) * 1000;

    const latenciesMs: number[] = [];
    const failures: string[] = [];
    for (const h of ctx.hosts) {
      const r = results.get(h.address);
      if (r?.ok) latenciesMs.push(r.ms);
      else failures.push(`${h.address}: ${r ? 'failed' : 'no result line'}`);
    }
    if (failures.length > 0 || code !== 0) failures.unshift(`${this.id} exited ${code ?? 'by signal'}; stderr: ${stderrTail.join(' | ').slice(0, 600)}`);
    return { wallMs, latenciesMs, failures, cpuMs };
  }

  teardown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The peer runners, in the order they are reported. */
export function peerRunners(): FanoutRunner[] {
  return [new PeerRunner(PSSH), new PeerRunner(CLUSH), new PeerRunner(ANSIBLE)];
}
