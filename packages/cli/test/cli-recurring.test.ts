/**
 * @module
 * Recurring jobs from the CLI against a real server (SQLite): `job-invocation create --cron-line
 * --max-iteration --purpose` makes a recurring logic (and does not wait for it), `recurring-logic
 * list|info|disable|enable|cancel` manage it; a bad cron line is refused naming the field.
 */
import { describe, expect, it } from 'vitest';

import { useCliServer } from './helpers/cli-suite.ts';

const s = useCliServer();
const { ok } = s;

/** Runs a command that must fail with `code`; returns its error output. */
async function fails(code: number, ...argv: string[]): Promise<string> {
  const r = await s.cli.run(...argv);
  expect(r.code, `remex ${argv.join(' ')}: ${r.stderr}`).toBe(code);
  return r.stderr;
}

describe('recurring-logic', () => {
  it('creates a recurring job and manages its schedule', async () => {
    await ok('host', 'create', '--name', 'cron-a.example.com', '--ip', '127.0.0.9');
    const created = await ok('job-invocation', 'create', '--job-template', 'Run Command - Script Default', '--inputs', 'command=uptime', '--search-query', 'name = cron-a.example.com', '--cron-line', '0 4 * * 0#2', '--max-iteration', '5', '--purpose', 'cli-patching');
    expect(created).toMatch(/^Job invocation \d+ created/m);
    const jobId = /Job invocation (\d+) created/.exec(created)?.[1] ?? '';
    // The occurrence waits for its time: no task yet on the host.
    expect(await ok('job-invocation', 'info', '--id', jobId, '--host', 'cron-a.example.com', '--timeline')).toMatch(/^Host cron-a.example.com has no task yet \(the job starts at \S+\)\.$/m);
    expect(await fails(2, 'job-invocation', 'info', '--id', jobId, '--timeline')).toMatch(/--timeline needs --host/);
    const list = await ok('recurring-logic', 'list', '--search', 'purpose = cli-patching');
    expect(list).toMatch(/0 4 \* \* 0#2\s+\|\s+cli-patching\s+\|\s+active\s+\|\s+1 of 5/);
    const [row] = JSON.parse(await ok('recurring-logic', 'list', '--search', 'purpose = cli-patching', '--output', 'json')) as { id: number }[];
    const id = String(row?.id);
    expect(await ok('recurring-logic', 'info', '--id', id)).toMatch(/^Occurrences:/m);
    expect(await ok('recurring-logic', 'disable', '--id', id)).toBe(`Recurring logic ${id} disabled.\n`);
    expect(await ok('recurring-logic', 'info', '--id', id)).toMatch(/^State:\s+disabled$/m);
    expect(await ok('recurring-logic', 'enable', '--id', id)).toMatch(new RegExp(`^Recurring logic ${id} enabled`));
    expect(await ok('recurring-logic', 'cancel', '--id', id)).toBe(`Recurring logic ${id} cancelled.\n`);
    expect(await ok('recurring-logic', 'info', '--id', id)).toMatch(/^State:\s+cancelled$/m);
    expect(await fails(2, 'job-invocation', 'create', '--job-template', 'Run Command - Script Default', '--inputs', 'command=uptime', '--search-query', 'name = cron-a.example.com', '--cron-line', '0 25 * * *')).toMatch(/field 2 \(hour\) '25'/);
  });
});
