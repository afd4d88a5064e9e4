/**
 * @module
 * The dispatcher; its parts are in `./dispatch/` (ADR 0009). Re-exported here so that imports
 * of `jobs/dispatcher.ts` keep working.
 */
export { DISPATCH_BATCH, DefaultDispatcher } from './dispatch/dispatcher.ts';
export type { DispatcherOptions } from './dispatch/dispatcher.ts';
