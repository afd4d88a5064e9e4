/**
 * @module
 * The proxy listener's TLS material (ADR 0018): the configured certificate and key, or a
 * self-signed ECDSA certificate for the machine's names made on first start in
 * `<dataDir>/tls/` (directory 0700, key 0600), plus the client CA for mutual TLS.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import { coerceError, InputError } from '@remex/common';

import type { ProxyConfig } from '../config/proxy-config.ts';
import { createCertificate } from './certificates.ts';

/** What the HTTPS listener uses. */
export interface ProxyTls {
  cert: string;
  key: string;
  /** CA(s) of accepted client certificates (mutual TLS), when configured. */
  ca: string | undefined;
  /** SHA-256 fingerprint of `cert` (its first certificate), as the server pins it. */
  fingerprint: string;
  /** Where the certificate came from (for the log). */
  source: string;
}

/** Names a generated certificate is valid for. */
function machineNames(listenHost: string): string[] {
  const names = new Set([hostname(), 'localhost', '127.0.0.1', '::1']);
  if (listenHost !== '0.0.0.0' && listenHost !== '::' && listenHost !== '') names.add(listenHost);
  return [...names];
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e: unknown) {
    throw new InputError(`Cannot read ${what} ${file}: ${coerceError(e).message}`, { cause: e });
  }
}

/**
 * Loads (or on first start makes) the listener's certificate; `undefined` with `plainHttp`.
 * @throws InputError when a configured file cannot be read or is not a certificate
 */
export function loadProxyTls(config: ProxyConfig): ProxyTls | undefined {
  if (config.plainHttp) return undefined;
  let cert: string;
  let key: string;
  let source: string;
  if (config.tlsCertFile !== undefined && config.tlsKeyFile !== undefined) {
    cert = readPem(config.tlsCertFile, 'tls_cert_file');
    key = readPem(config.tlsKeyFile, 'tls_key_file');
    source = config.tlsCertFile;
  } else {
    const dir = join(config.dataDir, 'tls');
    const certFile = join(dir, 'proxy.crt');
    const keyFile = join(dir, 'proxy.key');
    if (!existsSync(certFile) || !existsSync(keyFile)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const made = createCertificate({ commonName: config.name, names: machineNames(config.listenHost), usage: 'server-client' });
      writeFileSync(certFile, made.cert, { mode: 0o644 });
      // Written last: a crash in between leaves no key and both are made again.
      writeFileSync(keyFile, made.key, { mode: 0o600 });
    }
    cert = readFileSync(certFile, 'utf8');
    key = readFileSync(keyFile, 'utf8');
    source = `${certFile} (generated, self-signed)`;
  }
  let fingerprint: string;
  try {
    fingerprint = new X509Certificate(cert).fingerprint256;
  } catch (e: unknown) {
    throw new InputError(`${source} does not hold a PEM certificate: ${coerceError(e).message}`, { cause: e });
  }
  const ca = config.tlsClientCaFile === undefined ? undefined : readPem(config.tlsClientCaFile, 'tls_client_ca_file');
  return { cert, key, ca, fingerprint, source };
}
