import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { buildRunCommand, interpreterOf, type ScriptCommandOptions, STARTED_MARKER } from './script-command.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the wrapper locally with /bin/sh, as the remote login shell would. */
function runLocally(script: string, cleanup = true): { stdout: string; stderr: string; status: number | null; dir: string } {
  const base = mkdtempSync(join(tmpdir(), 'remex-wrapper-'));
  dirs.push(base);
  const options: ScriptCommandOptions = { dir: join(base, 'remex-1-abc'), sshUser: 'me', effectiveUser: 'me', effectiveUserMethod: 'sudo', cleanup };
  const run = buildRunCommand(options, script);
  const result = spawnSync('/bin/sh', ['-c', run.command], { input: run.stdin, encoding: 'utf8' });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status, dir: options.dir };
}

describe('interpreterOf', () => {
  it('splits #! lines like the kernel (interpreter + at most one argument)', () => {
    expect(interpreterOf('echo hi')).toEqual(['/bin/sh']);
    expect(interpreterOf('#!/bin/bash\necho')).toEqual(['/bin/bash']);
    expect(interpreterOf('#! /usr/bin/env -S bash -e  \necho')).toEqual(['/usr/bin/env', '-S bash -e']);
    expect(interpreterOf('#!\n')).toEqual(['/bin/sh']);
  });
});

describe('buildRunCommand', () => {
  it('uploads the script byte for byte, runs it, reports its exit code and cleans up', () => {
    const script = `#!/bin/sh\necho 'single' "double" \\\\ $((1+2)) 'it'"'"'s' \`echo tick\` $HOME_NOT_SET é✓\nexit 4\n`;
    const result = runLocally(script);
    expect(result.stdout).toBe(`${STARTED_MARKER}single double \\ 3 it's tick é✓\n`);
    expect(result.status).toBe(4);
    expect(existsSync(result.dir)).toBe(false);
  });

  it('sends large scripts on stdin and keeps the dir when cleanup is off', () => {
    const script = `#!/bin/bash -e\n: '${'x'.repeat(200_000)}'\necho "big $BASH_VERSION" | cut -c1-3\n`;
    const result = runLocally(script, false);
    expect(result.stdout).toBe(`${STARTED_MARKER}big\n`);
    expect(result.status).toBe(0);
    expect(existsSync(join(result.dir, 'script'))).toBe(true);
  });

  it('fails before the marker when the directory already exists', () => {
    const base = mkdtempSync(join(tmpdir(), 'remex-wrapper-'));
    dirs.push(base);
    const options: ScriptCommandOptions = { dir: base, sshUser: 'me', effectiveUser: 'me', effectiveUserMethod: 'sudo', cleanup: true };
    const run = buildRunCommand(options, 'echo never');
    const result = spawnSync('/bin/sh', ['-c', run.command], { input: run.stdin, encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(1);
    expect(existsSync(base)).toBe(true);
  });
});
