/**
 * @module
 * Asks for a secret (a password) on the terminal without echoing it; reads the first line of
 * stdin when stdin is not a terminal (`echo pw | remex login`).
 */
import { createInterface } from 'node:readline';

import { InputError } from '@remex/common';

import type { TextSink } from './cli-io.ts';

/**
 * Reads a secret after printing `prompt` on `stderr`.
 * @param prompt - the question, e.g. `Password for admin: `
 * @param stderr - where the prompt goes
 */
export function readSecret(prompt: string, stderr: TextSink): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    return new Promise((resolve, reject) => {
      const rl = createInterface({ input: stdin });
      let done = false;
      rl.once('line', (line) => {
        done = true;
        rl.close();
        resolve(line);
      });
      rl.once('close', () => {
        if (!done) reject(new InputError('no password given: pass --password, set REMEX_PASSWORD or type it on a terminal'));
      });
    });
  }
  stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let text = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const finish = (error: Error | null): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003' || ch === '\u0004') return finish(new InputError('login cancelled'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}
