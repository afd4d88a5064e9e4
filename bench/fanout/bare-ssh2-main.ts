/**
 * @module
 * Child process of the fan-out benchmark: the baseline. A bare ssh2 loop that connects to every
 * target (key auth, no host key check), execs the command, waits for its exit status and
 * disconnects, with at most `concurrency` connections in flight. Settings come in `BENCH_SSH2`
 * (JSON {@link BareSsh2Settings}); each `{type:'round'}` message runs one round and answers with
 * a {@link BareRoundReport} measured inside this process (wall time, latencies, own CPU).
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

import ssh2 from 'ssh2';

import type { BareParentMessage, BareRoundReport, BareSsh2Settings } from './stack-protocol.ts';

const parsed = JSON.parse(process.env.BENCH_SSH2 ?? 'null') as BareSsh2Settings | null;
if (!parsed || !process.send) {
  console.error('bare-ssh2-main.ts needs BENCH_SSH2 and an IPC channel');
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

/** Runs the command on one host; resolves with its exit code (throws on connection errors). */
function runOne(address: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let settled = false;
    const finish = (error: Error | undefined, code: number | null): void => {
      if (settled) return;
      settled = true;
      client.end();
      if (error) reject(error);
      else resolve(code);
    };
    client.on('ready', () => {
      client.exec(settings.command, (err, channel) => {
        if (err) return finish(err, null);
        let code: number | null = null;
        channel.on('data', () => undefined);
        channel.stderr.on('data', () => undefined);
        channel.on('exit', (c: number | null) => {
          code = c;
        });
        channel.on('close', () => finish(undefined, code));
      });
    });
    client.on('error', (e) => finish(e, null));
    client.on('close', () => finish(new Error('connection closed before the exit status'), null));
    client.connect({ host: address, port: settings.port, username: settings.user, readyTimeout: 60_000, ...auth });
  });
}

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

async function round(): Promise<BareRoundReport> {
  loop.reset();
  const targets = settings.targets;
  const latenciesMs = new Array<number>(targets.length).fill(Number.NaN);
  const failures: string[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const i = next++;
      const target = targets[i]!;
      try {
        const code = await runOne(target.address);
        if (code === 0) latenciesMs[i] = performance.now() - t0;
        else failures.push(`${target.name}: exit ${code ?? 'unknown'}`);
      } catch (e: unknown) {
        failures.push(`${target.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, targets.length) }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
  return { type: 'round', wallMs, latenciesMs, failures, cpuMs: (cpu.user + cpu.system) / 1000, loopDelayMs: { mean: ms(loop.mean), p99: ms(loop.percentile(99)), max: ms(loop.max) } };
}

process.on('message', (m: BareParentMessage) => {
  if (m.type === 'round') {
    round().then(
      (report) => process.send!(report),
      (e: unknown) => process.send!({ type: 'error', message: String(e) }),
    );
  } else if (m.type === 'stop') {
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready' });
