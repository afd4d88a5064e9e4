/**
 * @module
 * A test process that dies without stopping its sshd (SIGKILL) must not leave the sshd running.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/start-fleet-and-hang.ts', import.meta.url));

function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

describe('sshd watchdog', () => {
  it('kills the sshd when the test process is SIGKILLed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', () => reject(new Error(`fixture exited early: ${out}`)));
    });
    const [, dir] = line.split(' ');
    expect(dir).toMatch(/remex-sshd-/);
    const config = `${dir}/sshd_config`;
    expect(processesMentioning(config)).toHaveLength(1);

    child.kill('SIGKILL');
    await exited;
    await expect.poll(() => processesMentioning(config), { timeout: 10_000, interval: 100 }).toEqual([]);
  });
});
