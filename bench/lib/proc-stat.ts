/**
 * @module
 * CPU time of processes from `/proc/<pid>/stat`: own time (utime + stime) and the time of
 * children that were waited for (cutime + cstime), in milliseconds.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second (`getconf CLK_TCK`, almost always 100). */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU times of one process, in ms. */
export interface ProcCpu {
  /** utime + stime of the process itself. */
  selfMs: number;
  /** cutime + cstime: reaped descendants. */
  childrenMs: number;
}

/** Fields after the `(comm)` part of `/proc/<pid>/stat`, or undefined when the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Reads the CPU times of `pid`; throws when the process does not exist. */
export function readProcCpu(pid: number): ProcCpu {
  const f = statFields(pid);
  if (!f) throw new Error(`process ${pid} is gone`);
  // After "(comm) ": state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
  const tick = 1000 / clockTicks();
  return { selfMs: (Number(f[11]) + Number(f[12])) * tick, childrenMs: (Number(f[13]) + Number(f[14])) * tick };
}

/** Total (self + reaped children) CPU of `pid`, in ms. */
export function totalCpuMs(pid: number): number {
  const c = readProcCpu(pid);
  return c.selfMs + c.childrenMs;
}

/** Live descendants of `pid` (whole tree, from `/proc/*\/stat` parent links). */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (!f) continue;
    const ppid = Number(f[1]);
    const list = children.get(ppid);
    if (list) list.push(Number(entry));
    else children.set(ppid, [Number(entry)]);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** Pid of the oldest process whose command line contains `needle` (like `pgrep -o -f`). */
export function findPidByCmdline(needle: string): number | undefined {
  let best: { pid: number; start: number } | undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (!cmdline.includes(needle)) continue;
    const f = statFields(Number(entry));
    const start = Number(f?.[19] ?? Infinity);
    if (!best || start < best.start) best = { pid: Number(entry), start };
  }
  return best?.pid;
}

/**
 * Number of live direct children of `pid` (one per SSH connection for an sshd listener), from
 * `/proc/<pid>/task/<pid>/children` (cheap: one file); undefined when the kernel lacks it.
 */
export function directChildCount(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text === '' ? 0 : text.split(/\s+/).length;
  } catch {
    return undefined;
  }
}

/** Resident set size of `pid` in bytes (`VmRSS` of `/proc/<pid>/status`); 0 when it is gone. */
export function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
