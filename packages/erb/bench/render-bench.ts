/**
 * @module
 * Render throughput of the ERB engine on one core: host renders per second of the corpus'
 * "Run Command" and "Package Action" (script-HEAD), through `renderJobTemplate` with a shared
 * template cache (parse once, render from the cached AST), as the server's dispatcher does.
 * Targets (issue 4): ≥ 20,000/s Run Command, ≥ 5,000/s Package Action.
 * Run: `node --import tsx packages/erb/bench/render-bench.ts` (or `npm run bench -w @remex/erb`).
 */
import { pathToFileURL } from 'node:url';

import { createTemplateCache, renderJobTemplate } from '../src/index.ts';
import type { HostData, JobTemplateSource } from '../src/index.ts';
import { HOSTS, registry } from '../test/corpus-fixtures.ts';

const reg = registry('script-HEAD', 'katello-examples');
const cache = createTemplateCache();
const hosts: HostData[] = Array.from({ length: 1000 }, (_, i) => {
  const base = [HOSTS.debian, HOSTS.redhat7, HOSTS.redhat9, HOSTS.suse][i % 4]!;
  return { ...base, id: i, name: `host${i}.example.com`, ip: `10.0.${i >> 8}.${i & 255}` };
});

function bench(out: string[], label: string, template: JobTemplateSource, inputValues: Record<string, string>, seconds = 2): number {
  const run = (h: HostData): string =>
    renderJobTemplate({ template, lookupTemplate: (n) => reg.get(n), host: h, inputValues, preview: false, currentUser: 'admin', cache });
  for (let i = 0; i < 2000; i++) run(hosts[i % hosts.length]!); // warm up the JIT
  let n = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(seconds * 1e9);
  while (process.hrtime.bigint() < end) {
    for (let k = 0; k < 100; k++) bytes += run(hosts[n++ % hosts.length]!).length;
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = n / secs;
  out.push(`${label.padEnd(34)} ${Math.round(rate).toLocaleString('en-US').padStart(9)} host renders/s  (${(1e6 / rate).toFixed(1)} µs/render, avg ${Math.round(bytes / n)} bytes)`);
  return rate;
}

/**
 * Runs the render benchmark and returns its report (one line per template, then the targets).
 * Used by the root `npm run bench` (section `erb`).
 */
export function runRenderBench(): string {
  const out: string[] = [];
  const runCommand = reg.get('Run Command - Script Default')!;
  const packageAction = reg.get('Package Action - Script Default')!;
  const serviceAction = reg.get('Service Action - Script Default')!;
  const installErrata = registry('ssh-2022-pre-rename', 'katello-examples').get('Install Errata - Katello SSH Default')!;

  const rc = bench(out, 'Run Command - Script Default', runCommand, { command: 'uptime' });
  const pa = bench(out, 'Package Action - Script Default', packageAction, { action: 'install', package: 'httpd nginx', pre_script: 'echo pre' });
  bench(out, 'Service Action - Script Default', serviceAction, { action: 'restart', service: 'httpd' });
  const reg2 = registry('ssh-2022-pre-rename', 'katello-examples');
  const errata = (h: HostData): string =>
    renderJobTemplate({ template: installErrata, lookupTemplate: (n) => reg2.get(n), host: h, inputValues: { errata: 'RHSA-1,RHSA-2' }, preview: false, currentUser: 'admin', cache });
  for (let i = 0; i < 1000; i++) errata(hosts[i]!);
  const t0 = performance.now();
  for (let i = 0; i < 5000; i++) errata(hosts[i % 1000]!);
  out.push(`${'Install Errata (render_template)'.padEnd(34)} ${Math.round(5000 / ((performance.now() - t0) / 1000)).toLocaleString('en-US').padStart(9)} host renders/s`);
  out.push(`targets: Run Command ≥ 20,000/s ${rc >= 20_000 ? 'OK' : 'MISSED'}; Package Action ≥ 5,000/s ${pa >= 5_000 ? 'OK' : 'MISSED'}`);
  return out.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(runRenderBench());
}
