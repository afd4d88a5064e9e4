/**
 * @module
 * `node --import tsx bench/tools/profile-summary.ts <file.cpuprofile> [top]`: summarises a V8 CPU
 * profile (as written by `BENCH_CPU_PROF=<dir> npm run bench`) by self time per function and per
 * package/module, to see where the server's or the proxy's CPU goes.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Groups a script URL into a readable bucket: workspace package, npm package or node internal. */
function bucketOf(url: string): string {
  if (url === '') return '(native/vm)';
  const ws = /\/packages\/([^/]+)\/src\/(.*)$/.exec(url);
  if (ws) return `@remex/${ws[1]}/${ws[2]}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

function main(): void {
  const file = process.argv[2];
  const top = Number(process.argv[3] ?? 25);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byBucket = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') {
      byBucket.set(name, (byBucket.get(name) ?? 0) + us);
      continue;
    }
    const bucket = bucketOf(n.callFrame.url);
    byFunction.set(`${name} ${bucket}:${n.callFrame.lineNumber + 1}`, (byFunction.get(`${name} ${bucket}:${n.callFrame.lineNumber + 1}`) ?? 0) + us);
    byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + us);
  }
  const print = (title: string, m: Map<string, number>): void => {
    console.log(`\n${title}`);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
    }
  };
  // Inclusive time by the nearest Remex frame on the stack: which Remex code led to the CPU.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byRemexCaller = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const self = byId.get(id)!.callFrame.functionName;
    if (self === '(idle)' || self === '(program)' || self === '(garbage collector)') continue;
    let cur: number | undefined = id;
    let key = '(no Remex frame on the stack)';
    while (cur !== undefined) {
      const f = byId.get(cur)!.callFrame;
      if (/\/packages\/[^/]+\/src\//.test(f.url)) {
        key = `${f.functionName || '(anonymous)'} ${bucketOf(f.url)}:${f.lineNumber + 1}`;
        break;
      }
      cur = parent.get(cur);
    }
    byRemexCaller.set(key, (byRemexCaller.get(key) ?? 0) + us);
  }
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled over ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms`);
  print('self time by module', byBucket);
  print('self time by function', byFunction);
  print('time by nearest Remex frame on the stack', byRemexCaller);
}

main();
