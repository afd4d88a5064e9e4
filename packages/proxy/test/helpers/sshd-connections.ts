/**
 * @module
 * What the target sshd sees, read from the kernel (not from the proxy): its established TCP
 * connections (`/proc/net/tcp`), the processes that hold each one's socket, and left-over
 * remote commands.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** One established connection on the sshd's side. */
export interface SshdConnection {
  /** The address the client connected to (which fleet host). */
  localAddress: string;
  /** The client's port (tells connections apart: a reused connection keeps it). */
  peerPort: number;
  /** Socket inode. */
  inode: string;
}

function hexToIpv4(hex: string): string {
  // /proc/net/tcp stores the address little-endian.
  const n = Number.parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
}

/** Established TCP connections whose local port is `port` (the sshd's end of each connection). */
export function sshdConnections(port: number): SshdConnection[] {
  const out: SshdConnection[] = [];
  const text = readFileSync('/proc/net/tcp', 'utf8');
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== '01') continue; // 01 = ESTABLISHED
    const [localHex, localPortHex] = (f[1] ?? '').split(':');
    const peerPortHex = (f[2] ?? '').split(':')[1];
    if (!localHex || !localPortHex || !peerPortHex || Number.parseInt(localPortHex, 16) !== port) continue;
    out.push({ localAddress: hexToIpv4(localHex), peerPort: Number.parseInt(peerPortHex, 16), inode: f[9] ?? '' });
  }
  return out;
}

/** The sshd's connections to one fleet host address. */
export function sshdConnectionsTo(port: number, address: string): SshdConnection[] {
  return sshdConnections(port).filter((c) => c.localAddress === address);
}

/** Pids of the processes holding the socket with inode `inode` (the sshd processes of that connection). */
export function socketHolders(inode: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${entry}/fd/${fd}`) === `socket:[${inode}]`) {
          pids.push(Number(entry));
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return pids;
}

/** Non-zombie processes whose command line contains `needle` (left-over remote commands). */
export function liveProcesses(needle: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const state = /State:\s+(\S)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (cmdline.includes(needle) && state !== 'Z') out.push(`${entry} ${cmdline}`);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/**
 * Sessions (commands) running on each of the sshd's connections to `address`: per connection,
 * the non-sshd children of the sshd processes holding its socket.
 */
export function sessionsPerConnection(port: number, address: string): number[] {
  const children = new Map<number, number[]>();
  const comm = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      comm.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // ended meanwhile
    }
  }
  return sshdConnectionsTo(port, address).map((c) => {
    const holders = socketHolders(c.inode);
    return holders.flatMap((pid) => children.get(pid) ?? []).filter((pid) => !(comm.get(pid) ?? '').startsWith('sshd')).length;
  });
}
