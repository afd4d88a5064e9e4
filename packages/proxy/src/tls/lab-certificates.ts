/**
 * @module
 * `remex proxy cert`: a small CA for a lab or a first installation, with a certificate for each
 * proxy (server and client use: the proxy also calls the server) and one client certificate for
 * the server (mutual TLS, ADR 0018). An existing CA in the directory is reused, so more proxies
 * can be added later; existing files are never overwritten. Keys are written 0600.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { InputError } from '@remex/common';

import { type CertificateKeyPair, createCertificate, fingerprintOf } from './certificates.ts';

/** Inputs of {@link makeLabCertificates}. */
export interface LabCertificateRequest {
  /** Directory of the files (created 0700). */
  dir: string;
  /** One entry per proxy: its name and the host names/IPs it is reached by. */
  proxies: ReadonlyArray<{ name: string; names: readonly string[] }>;
}

/** One written certificate. */
export interface WrittenCertificate {
  certFile: string;
  keyFile: string;
  fingerprint: string;
  /** False when the files existed and were kept. */
  created: boolean;
}

/** What {@link makeLabCertificates} wrote. */
export interface LabCertificates {
  ca: WrittenCertificate;
  server: WrittenCertificate;
  proxies: Array<WrittenCertificate & { name: string }>;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function readPair(certFile: string, keyFile: string): CertificateKeyPair {
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

function writeOnce(dir: string, base: string, make: () => CertificateKeyPair): WrittenCertificate & { pair: CertificateKeyPair } {
  const certFile = join(dir, `${base}.crt`);
  const keyFile = join(dir, `${base}.key`);
  if (existsSync(certFile) && existsSync(keyFile)) {
    const pair = readPair(certFile, keyFile);
    return { certFile, keyFile, fingerprint: fingerprintOf(pair.cert), created: false, pair };
  }
  const pair = make();
  writeFileSync(certFile, pair.cert, { mode: 0o644 });
  writeFileSync(keyFile, pair.key, { mode: 0o600 });
  return { certFile, keyFile, fingerprint: fingerprintOf(pair.cert), created: true, pair };
}

/**
 * Writes `ca.crt`/`ca.key`, `server-client.crt`/`.key` and `<proxy>.crt`/`.key` per proxy.
 * @throws InputError on an unusable proxy name or no names for a proxy
 */
export function makeLabCertificates(request: LabCertificateRequest): LabCertificates {
  for (const p of request.proxies) {
    if (!SAFE_NAME.test(p.name)) throw new InputError(`Proxy name '${p.name}' cannot name a file: use letters, digits, '.', '_' and '-'`);
    if (p.names.length === 0) throw new InputError(`Proxy '${p.name}' needs at least one host name or IP address it is reached by`);
  }
  mkdirSync(request.dir, { recursive: true, mode: 0o700 });
  const ca = writeOnce(request.dir, 'ca', () => createCertificate({ commonName: 'Remex proxy CA', usage: 'ca' }));
  const server = writeOnce(request.dir, 'server-client', () => createCertificate({ commonName: 'remex-server', usage: 'client', issuer: ca.pair }));
  const proxies = request.proxies.map((p) => ({
    name: p.name,
    ...writeOnce(request.dir, p.name, () => createCertificate({ commonName: p.name, names: p.names, usage: 'server-client', issuer: ca.pair })),
  }));
  const strip = ({ pair: _pair, ...rest }: WrittenCertificate & { pair: CertificateKeyPair }): WrittenCertificate => rest;
  return { ca: strip(ca), server: strip(server), proxies: proxies.map(({ name, ...rest }) => ({ name, ...strip(rest) })) };
}
