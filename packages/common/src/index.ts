/**
 * @module
 * `@remex/common`: domain vocabulary, statuses, the closed error set and the server↔proxy wire
 * contract. Isomorphic; imports libraries only.
 */
export * from './errors/index.ts';
export * from './model/index.ts';
export * from './process/index.ts';
export * from './wire/index.ts';
export { REMEX_VERSION } from './version.ts';
export * from './api/index.ts';
