/**
 * @module
 * Child process of the fan-out benchmark: the baseline. A bare ssh2 loop that connects to every
 * target (key auth, no host key check), execs the command, waits for its exit status and
 * disconnects, with at most `concurrency` connections in flight. Warm mode: `{type:'connect'}`
 * opens a connection to every target and keeps it (answer `{type:'connected', failures}`);
 * `{type:'warmRound'}` then runs the command once per target over those open connections. Settings come in the file `BENCH_SSH2_FILE`
 * (JSON {@link BareSsh2Settings}); each `{type:'round'}` message runs one round and answers with
 * a {@link BareRoundReport} measured inside this process (wall time, latencies, own CPU).
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

import ssh2 from 'ssh2';

import { buildRunCommand } from '../../packages/proxy/src/providers/script/script-command.ts';
import type { BareParentMessage, BareRoundReport, BareSsh2Settings } from './stack-protocol.ts';

const settingsFile = process.env.BENCH_SSH2_FILE;
const parsed = JSON.parse(settingsFile ? readFileSync(settingsFile, 'utf8') : 'null') as BareSsh2Settings | null;
if (!parsed || !process.send) {
  console.error('bare-ssh2-main.ts needs BENCH_SSH2_FILE and an IPC channel');
  process.exit(2);
}
const settings: BareSsh2Settings = parsed;
const keyText = readFileSync(settings.privateKeyFile, 'utf8');
const parsedResult = settings.preParsedKey ? ssh2.utils.parseKey(keyText) : undefined;
if (parsedResult instanceof Error) throw parsedResult;
// OpenSSH-format files parse to an array of keys (ssh2 uses the first one).
const parsedKey = Array.isArray(parsedResult) ? parsedResult[0] : parsedResult;
// ConnectConfig.privateKey takes only text (parsed again on every connection); an authHandler
// entry takes an already parsed key.
const auth: Partial<ssh2.ConnectConfig> = parsedKey
  ? { authHandler: [{ type: 'publickey', username: settings.user, key: parsedKey }] as unknown as ssh2.AuthHandlerMiddleware }
  : { privateKey: keyText };

/** Connects and authenticates to one host. */
function connectOne(address: string): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let settled = false;
    client.on('ready', () => {
      settled = true;
      resolve(client);
    });
    client.on('error', (e) => {
      if (settled) return;
      settled = true;
      reject(e);
    });
    client.on('close', () => {
      if (settled) return;
      settled = true;
      reject(new Error('connection closed during the handshake'));
    });
    client.connect({ host: address, port: settings.port, username: settings.user, readyTimeout: 60_000, ...auth });
  });
}

let runs = 0;

/** The command to send: the plain one, or (`wrapped`) inside the script provider's wrapper, with the script for its stdin. */
function commandText(): { command: string; stdin?: Buffer } {
  if (!settings.wrapped) return { command: settings.command };
  const dir = `/var/tmp/remex-bench-${process.pid}-${runs++}`;
  return buildRunCommand({ dir, sshUser: settings.user, effectiveUser: settings.user, effectiveUserMethod: 'sudo', cleanup: true }, settings.command);
}

/** Runs the command over an open connection; resolves with its exit code. */
function execOn(client: ssh2.Client): Promise<number | null> {
  const { command, stdin } = commandText();
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) return reject(err);
      if (stdin !== undefined) channel.end(stdin);
      let code: number | null = null;
      channel.on('data', () => undefined);
      channel.stderr.on('data', () => undefined);
      channel.on('exit', (c: number | null) => {
        code = c;
      });
      channel.on('close', () => resolve(code));
    });
  });
}

/** Runs the command on one host over a new connection; resolves with its exit code (throws on connection errors). */
async function runOne(address: string): Promise<number | null> {
  const client = await connectOne(address);
  try {
    return await execOn(client);
  } finally {
    client.end();
  }
}

/** Open connections of the warm mode, by target index. */
const open = new Map<number, ssh2.Client>();

/** Warm mode: connects to every target (same concurrency) and keeps the connections. */
async function connectAll(): Promise<string[]> {
  const failures: string[] = [];
  await forEachTarget(async (i, target) => {
    try {
      open.set(i, await connectOne(target.address));
    } catch (e: unknown) {
      failures.push(`${target.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return failures;
}

/** Runs `work` for every target with at most `concurrency` in flight. */
async function forEachTarget(work: (i: number, target: BareSsh2Settings['targets'][number]) => Promise<void>): Promise<void> {
  const targets = settings.targets;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const i = next++;
      await work(i, targets[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, targets.length) }, worker));
}

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

/**
 * One round: every target runs the command, over a new connection each, or (warm) over the
 * connection {@link connectAll} opened.
 */
async function round(warm: boolean): Promise<BareRoundReport> {
  loop.reset();
  const latenciesMs = new Array<number>(settings.targets.length).fill(Number.NaN);
  const failures: string[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await forEachTarget(async (i, target) => {
    try {
      const client = open.get(i);
      if (warm && !client) throw new Error('no open connection');
      const code = warm ? await execOn(client!) : await runOne(target.address);
      if (code === 0) latenciesMs[i] = performance.now() - t0;
      else failures.push(`${target.name}: exit ${code ?? 'unknown'}`);
    } catch (e: unknown) {
      failures.push(`${target.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
  return { type: 'round', wallMs, latenciesMs, failures, cpuMs: (cpu.user + cpu.system) / 1000, loopDelayMs: { mean: ms(loop.mean), p99: ms(loop.percentile(99)), max: ms(loop.max) } };
}

process.on('message', (m: BareParentMessage) => {
  if (m.type === 'round' || m.type === 'warmRound') {
    round(m.type === 'warmRound').then(
      (report) => process.send!(report),
      (e: unknown) => process.send!({ type: 'error', message: String(e) }),
    );
  } else if (m.type === 'connect') {
    connectAll().then(
      (failures) => process.send!({ type: 'connected', failures }),
      (e: unknown) => process.send!({ type: 'error', message: String(e) }),
    );
  } else if (m.type === 'stop') {
    for (const client of open.values()) client.end();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready' });
