import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { buildRetrieve, parseRetrieve, wholeUtf8Length } from './async-command.ts';

describe('wholeUtf8Length', () => {
  it('leaves a character cut by the end of a read for the next one', () => {
    const text = Buffer.from('aé€😀', 'utf8');
    // Every cut inside a character ends the chunk before that character.
    const starts = [0, 1, 3, 6, 10];
    for (let cut = 0; cut <= text.length; cut++) {
      const whole = Math.max(...starts.filter((s) => s <= cut));
      expect(wholeUtf8Length(text.subarray(0, cut)), `cut at ${cut}`).toBe(whole);
    }
  });

  it('keeps bytes that are not UTF-8 as they are', () => {
    expect(wholeUtf8Length(Buffer.from([0x80, 0x80, 0x80, 0x80]))).toBe(4);
    expect(wholeUtf8Length(Buffer.from([0x41, 0xff]))).toBe(2);
  });
});

describe('retrieve', () => {
  it('reads both streams from their offsets, capped, with the status first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'remex-retrieve-'));
    try {
      writeFileSync(join(dir, 'out'), 'hello world\n');
      writeFileSync(join(dir, 'err'), 'oops\n');
      writeFileSync(join(dir, 'wpid'), `${process.pid}\n`);
      const run = (out: number, err: number, max?: number) => parseRetrieve(execFileSync('/bin/sh', ['-c', buildRetrieve(dir, out, err, max)]));
      expect(run(0, 0)).toEqual({ status: 'RUNNING', out: Buffer.from('hello world\n'), err: Buffer.from('oops\n') });
      expect(run(6, 5)).toEqual({ status: 'RUNNING', out: Buffer.from('world\n'), err: Buffer.alloc(0) });
      expect(run(0, 0, 5)).toEqual({ status: 'RUNNING', out: Buffer.from('hello'), err: Buffer.from('oops\n') });
      writeFileSync(join(dir, 'rc'), '7\n');
      expect(run(12, 5)).toEqual({ status: 'DONE', code: 7, out: Buffer.alloc(0), err: Buffer.alloc(0) });
      rmSync(join(dir, 'rc'));
      writeFileSync(join(dir, 'wpid'), '999999999\n');
      expect(run(12, 5).status).toBe('LOST');
      rmSync(join(dir, 'wpid'));
      expect(run(12, 5).status).toBe('NOTSTARTED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(parseRetrieve(execFileSync('/bin/sh', ['-c', buildRetrieve(dir, 0, 0)])).status).toBe('GONE');
  });

  it('refuses an answer that is not a retrieve answer, or is cut', () => {
    expect(() => parseRetrieve(Buffer.from('Welcome to host!\nREMEX-ASYNC 0 0 RUNNING\n'))).toThrow(/unexpected answer/);
    expect(() => parseRetrieve(Buffer.from('REMEX-ASYNC 5 0 RUNNING\nabc'))).toThrow(/read 3 bytes .* 5 were announced/);
  });
});
