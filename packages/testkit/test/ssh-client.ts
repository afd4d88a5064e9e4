/**
 * @module
 * Minimal ssh2 helpers for the testkit's own tests: connect and run one command.
 */
import { createHash } from 'node:crypto';

import type { ConnectConfig } from 'ssh2';
import ssh2 from 'ssh2';

/** Result of one remote command. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
  /** Host key fingerprint the server presented, OpenSSH `SHA256:` style. */
  fingerprint: string;
}

/** Connects with `config`, runs `command`, disconnects. */
export function sshExec(config: ConnectConfig, command: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let fingerprint = '';
    client.on('error', (e) => {
      client.end();
      reject(e);
    });
    // A connection the server drops before the command ends (e.g. while still in its handshake)
    // may close without an 'error': settle then too (a no-op once resolved).
    client.on('close', () => reject(new Error('connection closed before the command ended')));
    client.on('ready', () => {
      client.exec(command, (err, channel) => {
        if (err) {
          client.end();
          reject(err);
          return;
        }
        let stdout = '';
        let stderr = '';
        channel.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
        channel.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
        channel.on('close', (code: number | null) => {
          client.end();
          resolve({ stdout, stderr, code, fingerprint });
        });
      });
    });
    client.connect({
      readyTimeout: 20_000,
      ...config,
      hostVerifier: (key: Buffer) => {
        fingerprint = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
        return true;
      },
    });
  });
}
