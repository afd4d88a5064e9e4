/**
 * @module
 * The few DER (ASN.1) encoders an X.509 certificate needs: enough to write the certificates of
 * `certificates.ts` without a dependency. Every function returns the whole TLV.
 */

/** Length octets of `n` (short form below 128, else long form). */
function lengthOf(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A TLV with tag `tag` around `content`. */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthOf(body.length), body]);
}

/** SEQUENCE. */
export const seq = (...parts: Buffer[]): Buffer => tlv(0x30, ...parts);
/** SET. */
export const set = (...parts: Buffer[]): Buffer => tlv(0x31, ...parts);
/** `[n]` EXPLICIT (constructed context tag). */
export const explicit = (n: number, ...parts: Buffer[]): Buffer => tlv(0xa0 + n, ...parts);
/** OCTET STRING. */
export const octets = (value: Buffer): Buffer => tlv(0x04, value);
/** UTF8String. */
export const utf8 = (value: string): Buffer => tlv(0x0c, Buffer.from(value, 'utf8'));
/** BOOLEAN TRUE. */
export const TRUE = Buffer.from([0x01, 0x01, 0xff]);

/** INTEGER from unsigned big-endian bytes (a leading zero keeps it positive). */
export function uint(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.subarray(i);
  return tlv(0x02, (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const out: number[] = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** BIT STRING of whole bytes (no unused bits). */
export const bits = (value: Buffer): Buffer => tlv(0x03, Buffer.from([0]), value);

/**
 * BIT STRING of named bits (bit 0 is the most significant bit of the first byte), with the
 * unused trailing bits counted as DER requires.
 */
export function namedBits(set: readonly number[]): Buffer {
  const highest = Math.max(...set);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const b of set) bytes[Math.floor(b / 8)]! |= 0x80 >> b % 8;
  const unused = 7 - (highest % 8);
  return tlv(0x03, Buffer.from([unused]), bytes);
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
export function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}
