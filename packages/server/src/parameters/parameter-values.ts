/**
 * @module
 * Values of the parameters that steer remote execution are checked when they are written, so a
 * typo is a 422 naming the parameter instead of a host that silently runs some other way.
 */
import { InputError, TRANSPORT_NAMES } from '@remex/common';

/** Parameters with a closed set of values, and those values. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  remote_execution_transport: TRANSPORT_NAMES,
  remote_execution_effective_user_method: ['sudo', 'su', 'dzdo'],
  remote_execution_async_ssh: ['true', 'false', 'yes', 'no', '1', '0', 'on', 'off'],
};

/**
 * Checks the value of a parameter named `name`, when its values are a closed set.
 * @throws InputError (422) naming the parameter and the allowed values
 */
export function checkParameterValue(name: string, value: string): void {
  const allowed = ALLOWED[name];
  if (allowed && !allowed.includes(value)) {
    throw new InputError(`Parameter ${name} must be one of: ${allowed.join(', ')}, got '${value}'`);
  }
}
