/**
 * @module
 * The id of a request (Fastify's `req.id`, stored in its audits and answered as `X-Request-Id`):
 * the caller's `X-Request-Id` when it is a sane token (a load balancer's id), else a new UUID.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SANE = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$/;

/** Fastify's `genReqId`: the sane `X-Request-Id` header of `raw`, or a random UUID. */
export function requestIdOf(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && SANE.test(given) ? given : randomUUID();
}
