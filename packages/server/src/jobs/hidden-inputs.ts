/**
 * @module
 * Moved to `./compose/hidden-inputs.ts`; this re-export keeps `templates/` (converted by another
 * change) compiling until its imports point at the new path. Delete it then.
 */
export { hiddenNames, maskInputs, tidyMasks } from './compose/hidden-inputs.ts';
