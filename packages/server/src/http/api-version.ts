/**
 * @module
 * Foreman's API versions in `Accept` (`application/json;version=2`): version 2 is the API Remex
 * serves; a request asking for another one gets 406 with a message naming it. No version asked:
 * version 2.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { HttpStatusError } from './http-status-error.ts';

/** The API version this server speaks. */
export const API_VERSION = '2';

/** The versions `accept` asks for (`version=` parameters of its media ranges). */
export function requestedApiVersions(accept: string | undefined): string[] {
  if (accept === undefined) return [];
  const out: string[] = [];
  for (const range of accept.split(',')) {
    for (const parameter of range.split(';').slice(1)) {
      const [key = '', value = ''] = parameter.split('=', 2).map((s) => s.trim());
      if (key.toLowerCase() === 'version') out.push(value.replace(/^"(.*)"$/, '$1'));
    }
  }
  return out;
}

/** Refuses (406) API requests whose `Accept` asks only for other API versions. */
export function requireApiVersion(app: FastifyInstance): void {
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (!req.url.startsWith('/api/')) return;
    const versions = requestedApiVersions(req.headers.accept);
    if (versions.length === 0 || versions.includes(API_VERSION)) return;
    await Promise.resolve();
    const asked = versions.slice(0, 3).map((v) => `'${v.slice(0, 20)}'`).join(', ');
    throw new HttpStatusError(406, 'InputError', `API version ${asked} is not supported: this server speaks version ${API_VERSION} (Accept: application/json;version=${API_VERSION})`, 'api_version_not_supported');
  });
}
