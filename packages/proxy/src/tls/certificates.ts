/**
 * @module
 * X.509 certificates for the HTTPS link between server and proxy (ADR 0018): the proxy's
 * self-signed certificate made on its first start, and the lab CA with proxy and server-client
 * certificates of `remex proxy cert`. ECDSA P-256 keys, SHA-256 signatures, written with
 * `der.ts` and checked by Node's own X.509 parser in the tests.
 */
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

import { bits, explicit, namedBits, octets, oid, seq, set, time, tlv, TRUE, uint, utf8 } from './der.ts';

/** A certificate and its private key, both PEM. */
export interface CertificateKeyPair {
  /** The certificate (`-----BEGIN CERTIFICATE-----`). */
  cert: string;
  /** Its PKCS #8 private key (`-----BEGIN PRIVATE KEY-----`). */
  key: string;
}

/** What a certificate is for. */
export type CertificateUsage = 'ca' | 'server' | 'client' | 'server-client';

/** Inputs of {@link createCertificate}. */
export interface CertificateRequest {
  /** The subject's CN. */
  commonName: string;
  /** Host names and IP addresses it is valid for (subjectAltName). */
  names?: readonly string[];
  usage: CertificateUsage;
  /** Days of validity. (Default: 825 for leaves, 3650 for a CA.) */
  days?: number;
  /** The CA that signs it; absent: self-signed. */
  issuer?: CertificateKeyPair;
}

const OID = {
  commonName: '2.5.4.3',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** keyUsage bits (RFC 5280 §4.2.1.3). */
const DIGITAL_SIGNATURE = 0;
const KEY_CERT_SIGN = 5;
const CRL_SIGN = 6;

const name = (cn: string): Buffer => seq(set(seq(oid(OID.commonName), utf8(cn))));

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [TRUE] : []), octets(value));
}

/** A subjectAltName GeneralName: iPAddress [7] or dNSName [2]. */
function generalName(value: string): Buffer {
  const family = isIP(value);
  if (family === 4) return tlv(0x87, Buffer.from(value.split('.').map(Number)));
  if (family === 6) return tlv(0x87, ipv6Bytes(value));
  return tlv(0x82, Buffer.from(value, 'ascii'));
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const groups = (s: string): string[] => (s ? s.split(':') : []);
  const h = groups(head);
  const t = address.includes('::') ? groups(tail) : [];
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

function extensionsFor(request: CertificateRequest, spki: Buffer): Buffer[] {
  const keyBits = spki.subarray(spki.length - 65);
  const list = [extension(OID.subjectKeyIdentifier, false, octets(createHash('sha1').update(keyBits).digest()))];
  if (request.usage === 'ca') {
    list.push(extension(OID.basicConstraints, true, seq(TRUE)), extension(OID.keyUsage, true, namedBits([DIGITAL_SIGNATURE, KEY_CERT_SIGN, CRL_SIGN])));
    return list;
  }
  const purposes = { server: [OID.serverAuth], client: [OID.clientAuth], 'server-client': [OID.serverAuth, OID.clientAuth] }[request.usage];
  list.push(
    extension(OID.basicConstraints, true, seq()),
    extension(OID.keyUsage, true, namedBits([DIGITAL_SIGNATURE])),
    extension(OID.extKeyUsage, false, seq(...purposes.map(oid))),
  );
  const names = request.names ?? [];
  if (names.length > 0) list.push(extension(OID.subjectAltName, false, seq(...names.map(generalName))));
  return list;
}

/** The CN of a certificate's subject (certificates of this module name only a CN). */
function commonNameOf(cert: X509Certificate): string {
  const match = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject);
  return match?.[1] ?? cert.subject;
}

/**
 * Makes a key pair and a certificate for it, self-signed or signed by `request.issuer`.
 * @example
 * ```ts
 * const ca = createCertificate({ commonName: 'Remex lab CA', usage: 'ca' });
 * const proxy = createCertificate({ commonName: 'proxy1', names: ['proxy1.example.com'], usage: 'server', issuer: ca });
 * ```
 */
export function createCertificate(request: CertificateRequest): CertificateKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  let issuerName = name(request.commonName);
  let signer: KeyObject = privateKey;
  if (request.issuer) {
    issuerName = name(commonNameOf(new X509Certificate(request.issuer.cert)));
    signer = createPrivateKey(request.issuer.key);
  }
  const days = request.days ?? (request.usage === 'ca' ? 3650 : 825);
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const tbs = seq(
    explicit(0, uint(Buffer.from([2]))),
    uint(serial),
    algorithm,
    issuerName,
    seq(time(new Date(now - 3600_000)), time(new Date(now + days * 86_400_000))),
    name(request.commonName),
    spki,
    explicit(3, seq(...extensionsFor(request, spki))),
  );
  const der = seq(tbs, algorithm, bits(sign('sha256', tbs, signer)));
  return { cert: toPem('CERTIFICATE', der), key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** SHA-256 fingerprint of a PEM certificate, as Node prints it (`AB:CD:…`). */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}
