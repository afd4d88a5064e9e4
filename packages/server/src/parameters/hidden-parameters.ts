/**
 * @module
 * Which parameters are hidden (their value shown as `*****`, never suggested, never matched by
 * a search): the ones marked `hidden_value`, and the known secrets whatever their mark.
 */
import { isSet } from '../db/time.ts';

/**
 * Parameters that carry secrets (reference §1f): always stored with `hidden_value`, so the API
 * shows `*****` instead of their value.
 */
export const SECRET_PARAMETERS: ReadonlySet<string> = new Set([
  'remote_execution_ssh_password',
  'remote_execution_ssh_key_passphrase',
  'remote_execution_effective_user_password',
]);

/** Whether a parameter must be hidden: marked so, or a known secret. */
export function isHiddenParameter(name: string, hidden: number | boolean): boolean {
  return isSet(hidden) || SECRET_PARAMETERS.has(name);
}
