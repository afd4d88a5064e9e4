import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ReadyMessage } from './ipc-messages.ts';
import { RestartPolicy } from './restart-policy.ts';
import { SupervisedChild } from './supervised-child.ts';

/** A fake child process: records what it is sent; `behave` decides how it answers. */
class FakeChild extends EventEmitter {
  connected = true;
  readonly stdout = null;
  readonly stderr = null;
  readonly sent: unknown[] = [];
  readonly pid: number;
  readonly #behave: (self: FakeChild, message: { type: string; id?: number }) => void;
  constructor(pid: number, behave: (self: FakeChild, message: { type: string; id?: number }) => void) {
    super();
    this.pid = pid;
    this.#behave = behave;
  }
  send(message: { type: string }, cb?: (e: Error | null) => void): boolean {
    this.sent.push(message);
    cb?.(null);
    queueMicrotask(() => this.#behave(this, message));
    return true;
  }
  exit(code: number | null, signal: NodeJS.Signals | null): void {
    this.connected = false;
    this.emit('exit', code, signal);
    this.emit('close', code, signal);
  }
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.exit(null, signal);
    return true;
  }
}

const ready = (pid: number): ReadyMessage => ({ type: 'ready', role: 'proxy', pid, url: `http://127.0.0.1:${pid}`, name: 'embedded', publicKey: 'ssh-ed25519 AAAA' });

/** Answers start with ready, stop with exit 0, requests with a reply. */
function healthy(self: FakeChild, m: { type: string; id?: number }): void {
  if (m.type === 'start') self.emit('message', ready(self.pid));
  else if (m.type === 'stop') self.exit(0, null);
  else self.emit('message', { type: 'reply', id: m.id });
}

beforeEach(() => {
  // Fakes Date.now as well: the supervised child's clock moves with the timers.
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function supervise(behaviours: ((self: FakeChild, m: { type: string; id?: number }) => void)[]) {
  const children: FakeChild[] = [];
  const log: string[] = [];
  const restarted: number[] = [];
  const child = new SupervisedChild({
    label: 'server',
    fork: () => {
      const c = new FakeChild(100 + children.length, behaviours[Math.min(children.length, behaviours.length - 1)]!);
      children.push(c);
      return c as unknown as ChildProcess;
    },
    startMessage: () => ({ type: 'start', role: 'server' }),
    output: { stdout: { write: () => undefined }, stderr: { write: () => undefined } },
    log: (line) => log.push(line),
    policy: new RestartPolicy({ maxStartupCrashes: 3 }),
    now: () => Date.now(),
    heartbeat: { intervalMs: 5000, timeoutMs: 60_000 },
    onRestarted: async (r) => {
      restarted.push(r.pid);
      await Promise.resolve();
    },
  });
  return { child, children, log, restarted };
}

describe('SupervisedChild', () => {
  it('restarts a killed child after the backoff, tells onRestarted, and stops without restarting', async () => {
    const s = supervise([healthy]);
    expect((await s.child.start()).pid).toBe(100);
    s.children[0]!.exit(null, 'SIGKILL');
    expect(s.log).toEqual(['server (pid 100) exited with signal SIGKILL; restarting in 1 s (restart 1)']);
    await vi.advanceTimersByTimeAsync(999);
    expect(s.children).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.children).toHaveLength(2);
    expect(s.restarted).toEqual([101]);
    expect(s.log[1]).toBe('server restarted (pid 101), listening on http://127.0.0.1:101');
    expect(s.child.pid).toBe(101);

    await s.child.request({ type: 'register-proxy', name: 'embedded', url: 'http://x' });
    expect(s.children[1]!.sent).toContainEqual({ type: 'register-proxy', name: 'embedded', url: 'http://x', id: 1 });

    s.children[1]!.exit(134, null);
    expect(s.log[2]).toBe('server (pid 101) exited with code 134; restarting in 2 s (restart 2)');
    await vi.advanceTimersByTimeAsync(2000);
    await s.child.stop();
    expect(s.children[2]!.sent.at(-1)).toEqual({ type: 'stop' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.children).toHaveLength(3);
    expect(s.log).toHaveLength(4);
  });

  it('a stop during the backoff cancels the restart', async () => {
    const s = supervise([healthy]);
    await s.child.start();
    s.children[0]!.exit(null, 'SIGABRT');
    await s.child.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.children).toHaveLength(1);
  });

  it('rejects with the reported error when the first start fails, without restarting', async () => {
    const s = supervise([
      (self, m) => {
        if (m.type !== 'start') return;
        self.emit('message', { type: 'failed', name: 'InputError', message: 'REMEX_PORT must be a port number' });
        self.exit(1, null);
      },
    ]);
    await expect(s.child.start()).rejects.toMatchObject({ name: 'InputError', message: 'REMEX_PORT must be a port number' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.children).toHaveLength(1);
  });

  it('gives up, and says so, when restarts keep dying before ready', async () => {
    const dies = (self: FakeChild, m: { type: string }): void => {
      if (m.type === 'start') self.exit(1, null);
    };
    const s = supervise([healthy, dies]);
    await s.child.start();
    let gaveUp: Error | undefined;
    void s.child.gaveUp.then((e) => (gaveUp = e));
    s.children[0]!.exit(null, 'SIGKILL');
    for (let i = 0; i < 10 && !gaveUp; i++) await vi.advanceTimersByTimeAsync(5000);
    expect(gaveUp?.message).toBe('the server keeps crashing (it exited 3 times before becoming ready within 120 s); gave up');
    expect(s.log.at(-1)).toBe('server (pid 103) exited with code 1; giving up: it exited 3 times before becoming ready within 120 s');
    expect(s.children).toHaveLength(4);
  });

  it('kills a ready child that stopped answering pings, and restarts it; a healthy one is left alone', async () => {
    const hung = (self: FakeChild, m: { type: string }): void => {
      if (m.type === 'start') self.emit('message', ready(self.pid));
    };
    const s = supervise([hung, healthy]);
    await s.child.start();
    await vi.advanceTimersByTimeAsync(55_000);
    expect(s.children).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(s.log.slice(0, 2)).toEqual([
      'server (pid 100) has not answered for 60 s; killing it',
      'server (pid 100) exited with signal SIGKILL; restarting in 1 s (restart 1)',
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.child.pid).toBe(101);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(s.children).toHaveLength(2);
    expect(s.children[1]!.sent.filter((m) => (m as { type: string }).type === 'ping').length).toBeGreaterThan(100);
    await s.child.stop();
  });
});
