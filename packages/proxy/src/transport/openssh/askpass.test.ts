import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import { AskpassSecrets, installAskpassHelper } from './askpass.ts';

const run = promisify(execFile);

describe('askpass helper', () => {
  it('answers each prompt from its pipe, leaves no file with the secret, and fails without a pipe', async () => {
    const dir = { path: mkdtempSync(join(tmpdir(), 'remex-askpass-')) };
    try {
      const helper = installAskpassHelper(dir.path);
      const secrets = new AskpassSecrets(join(dir.path, 'one'), { password: 'pw with spaces', passphrase: 'phrase' });
      const ask = (prompt: string) => run(helper, [prompt], { env: { ...process.env, REMEX_ASKPASS_DIR: secrets.dir } });
      expect((await ask("remex-test@127.0.1.1's password: ")).stdout).toBe('pw with spaces\n');
      expect((await ask("Enter passphrase for key '/k': ")).stdout).toBe('phrase\n');
      expect((await ask('Password: ')).stdout).toBe('pw with spaces\n');
      // Only pipes: no regular file holds a secret.
      expect(readdirSync(secrets.dir).sort()).toEqual(['passphrase', 'password']);
      for (const name of readdirSync(secrets.dir)) expect(lstatSync(join(secrets.dir, name)).isFIFO()).toBe(true);
      secrets.dispose();
      expect(existsSync(secrets.dir)).toBe(false);
      const none = new AskpassSecrets(join(dir.path, 'two'), { password: 'x' });
      await expect(run(helper, ['Enter passphrase for key: '], { env: { ...process.env, REMEX_ASKPASS_DIR: none.dir } })).rejects.toThrow();
      none.dispose();
    } finally {
      rmSync(dir.path, { recursive: true, force: true });
    }
  });
});
