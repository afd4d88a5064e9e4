/**
 * @module
 * Turns a failed schema validation (Fastify + TypeBox, ajv errors) into the messages the
 * hand-written field checks of `params.ts` gave, so a converted route answers exactly as before:
 * `name can't be blank`, `name must be a string`, `hostgroup_id must be an integer, got 'x'`.
 */
import type { FastifySchemaValidationError } from 'fastify';

import { show } from './params.ts';

/** The request value at `path` (a JSON pointer such as `/host/name`) inside `data`. */
function valueAt(data: unknown, path: string): unknown {
  let cur = data;
  for (const raw of path.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** The field a validation error is about: the last key of its path (or the missing property). */
function fieldOf(error: FastifySchemaValidationError): string {
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (typeof missing === 'string') return missing;
  const parts = error.instancePath.split('/').filter((p) => p !== '' && !/^\d+$/.test(p));
  return parts[parts.length - 1] ?? '';
}

/**
 * The message of the first validation error, naming the field.
 * @param errors - ajv errors of the failed validation
 * @param context - which part of the request failed (`body`, `querystring`, `params`)
 * @param data - the value that was validated (to quote the offending value)
 */
export function validationMessage(errors: readonly FastifySchemaValidationError[], context: string, data?: unknown): string {
  const error = errors[0];
  if (error === undefined) return `Invalid request ${context}`;
  const name = fieldOf(error);
  if (name === '') return `Request ${context} ${error.message ?? 'is invalid'}`;
  const value = valueAt(data, error.instancePath);
  switch (error.keyword) {
    case 'required':
      return `${name} can't be blank`;
    case 'minLength':
    case 'pattern':
      return value === '' || (typeof value === 'string' && value.trim() === '') ? `${name} can't be blank` : `${name} is invalid, got '${show(value)}'`;
    case 'maxLength': {
      const limit = String((error.params as { limit?: unknown }).limit);
      return `${name.charAt(0).toUpperCase()}${name.slice(1)} is too long (maximum is ${limit} characters)`;
    }
    case 'type': {
      const wanted = (error.params as { type?: unknown }).type;
      const types = Array.isArray(wanted) ? wanted.map(String) : [String(wanted)];
      if (types.includes('integer')) return `${name} must be an integer, got '${show(value)}'`;
      if (types.includes('boolean')) return `${name} must be true or false`;
      if (types.includes('array')) return `${name} must be a list`;
      if (types.includes('object')) return `'${name}' must be an object`;
      return `${name} must be a string`;
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty?: unknown }).additionalProperty;
      return `Unknown attribute '${String(extra)}'`;
    }
    default:
      return `${name} ${error.message ?? 'is invalid'}`;
  }
}
