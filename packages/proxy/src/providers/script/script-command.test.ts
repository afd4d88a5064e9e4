import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { buildDirectKill, buildRunCommand, interpreterOf, type ScriptCommandOptions, STARTED_MARKER } from './script-command.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A file holding `bytes`, opened for reading: a stdin that is neither a pipe nor a socket. The caller closes it. */
function stdinFile(bytes: Buffer): number {
  const dir = mkdtempSync(join(tmpdir(), 'remex-stdin-'));
  dirs.push(dir);
  const file = join(dir, 'stdin');
  writeFileSync(file, bytes);
  return openSync(file, 'r');
}

/**
 * Runs the wrapper locally with `shell`, as the remote login shell would, its stdin a socket
 * (Node's pipes are socket pairs) or, with `fromFile`, a file.
 */
function runLocally(script: string, cleanup = true, shell = '/bin/sh', fromFile = false): { stdout: string; stderr: string; status: number | null; dir: string; command: string } {
  const base = mkdtempSync(join(tmpdir(), 'remex-wrapper-'));
  dirs.push(base);
  const options: ScriptCommandOptions = { dir: join(base, 'remex-1-abc'), sshUser: 'me', effectiveUser: 'me', effectiveUserMethod: 'sudo', cleanup };
  const run = buildRunCommand(options, script);
  const stdin = fromFile ? stdinFile(run.stdin) : undefined;
  const result = spawnSync(shell, ['-c', run.command], { encoding: 'utf8', ...(stdin === undefined ? { input: run.stdin } : { stdio: [stdin, 'pipe', 'pipe'] }) });
  if (stdin !== undefined) closeSync(stdin);
  return { stdout: result.stdout, stderr: result.stderr, status: result.status, dir: options.dir, command: run.command };
}

/** The start marker line of a direct run: the marker and the login shell's pid. */
const DIRECT_MARKER = new RegExp(`^${STARTED_MARKER.trim()} (\\d+)\n`);

describe('interpreterOf', () => {
  it('splits #! lines like the kernel (interpreter + at most one argument)', () => {
    expect(interpreterOf('echo hi')).toEqual(['/bin/sh']);
    expect(interpreterOf('#!/bin/bash\necho')).toEqual(['/bin/bash']);
    expect(interpreterOf('#! /usr/bin/env -S bash -e  \necho')).toEqual(['/usr/bin/env', '-S bash -e']);
    expect(interpreterOf('#!\n')).toEqual(['/bin/sh']);
  });
});

describe('buildRunCommand', () => {
  const tricky = `echo 'single' "double" \\\\ $((1+2)) 'it'"'"'s' \`echo tick\` $HOME_NOT_SET é✓`;
  const trickyOut = "single double \\ 3 it's tick é✓\n";

  it.each([
    ['/bin/sh', false],
    ['/bin/bash', false],
    ['/bin/sh', true],
    ['/bin/bash', true],
  ])('runs the script directly from stdin under %s (stdin a file: %s): byte for byte, its pid, its exit code, nothing on disk', (shell, fromFile) => {
    const script = `#!/bin/sh\n${tricky}\necho "$0" | cut -c1-8\nread line || echo "stdin is empty"\nexit 4\n`;
    const result = runLocally(script, true, shell, fromFile);
    const marker = DIRECT_MARKER.exec(result.stdout);
    expect(marker?.[1]).toMatch(/^\d+$/);
    expect(result.stdout.slice(marker?.[0].length)).toBe(`${trickyOut}/dev/fd/\nstdin is empty\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(4);
    expect(existsSync(dirname(result.dir))).toBe(true);
    expect(readdirSync(dirname(result.dir))).toEqual([]);
    // The script never is in the command, which the host's process list shows to every user.
    expect(result.command).not.toContain('tick');
  });

  it('runs a direct script through its #! interpreter, large ones too', () => {
    const script = `#!/bin/bash -e\n: '${'x'.repeat(200_000)}'\necho "big $BASH_VERSION" | cut -c1-3\n`;
    const result = runLocally(script);
    expect(result.stdout.replace(DIRECT_MARKER, '')).toBe('big\n');
    expect(result.status).toBe(0);
  });

  it('uploads to the working dir and keeps it when cleanup is off; the script is never in the command', () => {
    const script = `#!/bin/sh\n${tricky}\nexit 4\n`;
    const result = runLocally(script, false);
    expect(result.stdout).toBe(`${STARTED_MARKER}${trickyOut}`);
    expect(result.status).toBe(4);
    expect(readFileSync(join(result.dir, 'script'), 'utf8')).toBe(script);
    expect(result.command).not.toContain('tick');
  });

  it('fails before the marker when the directory already exists', () => {
    const base = mkdtempSync(join(tmpdir(), 'remex-wrapper-'));
    dirs.push(base);
    const options: ScriptCommandOptions = { dir: base, sshUser: 'me', effectiveUser: 'me', effectiveUserMethod: 'sudo', cleanup: false };
    const run = buildRunCommand(options, 'echo never');
    const result = spawnSync('/bin/sh', ['-c', run.command], { input: run.stdin, encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(1);
    expect(existsSync(base)).toBe(true);
  });
});

describe('buildDirectKill', () => {
  /** Starts a direct run under `shell`, kills it once started with the kill command, and reports how it ended. */
  async function killDirect(shell: string, script: string, fromFile = false): Promise<{ stdout: string; stderr: string; status: number | null }> {
    const options: ScriptCommandOptions = { dir: '/nonexistent/remex-1', sshUser: 'me', effectiveUser: 'me', effectiveUserMethod: 'sudo', cleanup: true };
    const run = buildRunCommand(options, script);
    const stdin = fromFile ? stdinFile(run.stdin) : 'pipe';
    // detached: the shell leads a process group of its own, as sshd makes it.
    const child = spawn(shell, ['-c', run.command], { detached: true, stdio: [stdin, 'pipe', 'pipe'] });
    if (typeof stdin === 'number') closeSync(stdin);
    else child.stdin?.end(run.stdin);
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const ended = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stdout?.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('ready\n')) resolve();
      }),
    );
    const pid = Number(DIRECT_MARKER.exec(stdout)?.[1]);
    expect(pid).toBe(child.pid);
    expect(spawnSync('/bin/sh', ['-c', buildDirectKill(pid)]).status).toBe(0);
    const status = await ended;
    return { stdout: stdout.replace(DIRECT_MARKER, ''), stderr, status };
  }

  it.each(['/bin/sh', '/bin/bash'])('ends the script and its children under %s with 143, and no job report in the output', async (shell) => {
    const result = await killDirect(shell, 'sleep 30 & echo ready; wait; echo never');
    expect(result).toEqual({ stdout: 'ready\n', stderr: '', status: 143 });
  });

  it.each([false, true])('reports the exit code of a script that handles SIGTERM itself (stdin a file: %s)', async (fromFile) => {
    const result = await killDirect('/bin/sh', 'trap \'echo cleaning up; exit 7\' TERM\necho ready\nwhile :; do sleep 0.1; done\n', fromFile);
    expect(result.stdout).toBe('ready\ncleaning up\n');
    expect(result.status).toBe(7);
  });
});
