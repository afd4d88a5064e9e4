import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { connect, type ConnectionOptions, createServer, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';

import { describe, expect, it } from 'vitest';

import { createCertificate, fingerprintOf } from './certificates.ts';

describe('createCertificate', () => {
  it('makes a CA and leaves that Node parses and verifies, with their names and purposes', () => {
    const ca = createCertificate({ commonName: 'Remex lab CA', usage: 'ca' });
    const leaf = createCertificate({ commonName: 'proxy1', names: ['proxy1.example.com', '127.0.0.1', '::1'], usage: 'server', issuer: ca });
    const caCert = new X509Certificate(ca.cert);
    const leafCert = new X509Certificate(leaf.cert);
    expect(caCert.ca).toBe(true);
    expect(leafCert.ca).toBe(false);
    expect(leafCert.checkIssued(caCert)).toBe(true);
    expect(leafCert.verify(caCert.publicKey)).toBe(true);
    expect(leafCert.issuer).toBe('CN=Remex lab CA');
    expect(leafCert.subjectAltName).toBe('DNS:proxy1.example.com, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(leafCert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(leafCert.checkHost('proxy1.example.com')).toBe('proxy1.example.com');
    expect(leafCert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(new Date(leafCert.validTo).getTime()).toBeGreaterThan(Date.now() + 800 * 86_400_000);
    expect(fingerprintOf(leaf.cert)).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(fingerprintOf(leaf.cert)).not.toBe(fingerprintOf(ca.cert));
  });

  it('carries a mutually authenticated TLS handshake (server certificate and client certificate from the same CA)', async () => {
    const ca = createCertificate({ commonName: 'Remex lab CA', usage: 'ca' });
    const server = createCertificate({ commonName: 'proxy', names: ['127.0.0.1'], usage: 'server', issuer: ca });
    const client = createCertificate({ commonName: 'remex-server', usage: 'client', issuer: ca });
    const stranger = createCertificate({ commonName: 'stranger', usage: 'client' });
    const peers: string[] = [];
    const tlsServer = createServer({ ...server, ca: ca.cert, requestCert: true, rejectUnauthorized: true }, (socket) => {
      peers.push(String(socket.getPeerCertificate().subject.CN));
      socket.end('hello');
    });
    tlsServer.on('tlsClientError', () => undefined);
    tlsServer.listen(0, '127.0.0.1');
    await once(tlsServer, 'listening');
    const port = (tlsServer.address() as AddressInfo).port;
    const talk = async (options: ConnectionOptions) => {
      const socket: TLSSocket = connect({ host: '127.0.0.1', port, ...options });
      let text = '';
      let error = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('error', (e: Error) => (error ||= e.message));
      await new Promise((resolve) => socket.on('close', resolve));
      return error ? `error: ${error}` : text;
    };
    try {
      expect(await talk({ ca: ca.cert, cert: client.cert, key: client.key })).toBe('hello');
      expect(peers).toEqual(['remex-server']);
      // Under TLS 1.3 the client learns of the refusal after its handshake: it gets no data.
      expect(await talk({ ca: ca.cert, cert: stranger.cert, key: stranger.key })).not.toBe('hello');
      expect(await talk({ ca: ca.cert })).not.toBe('hello');
      expect(peers).toEqual(['remex-server']);
      // A self-signed certificate works as its own trust anchor (pinning).
      const self = createCertificate({ commonName: 'solo', names: ['127.0.0.1'], usage: 'server' });
      const solo = createServer(self, (s) => s.end('solo'));
      solo.listen(0, '127.0.0.1');
      await once(solo, 'listening');
      const soloPort = (solo.address() as AddressInfo).port;
      const socket = connect({ host: '127.0.0.1', port: soloPort, ca: self.cert, checkServerIdentity: (_h, cert) => (cert.fingerprint256 === fingerprintOf(self.cert) ? undefined : new Error('pin')) });
      const [data] = (await once(socket, 'data')) as [Buffer];
      expect(data.toString()).toBe('solo');
      socket.destroy();
      solo.close();
    } finally {
      tlsServer.close();
    }
  });
});
