/**
 * @module
 * Errors of a detached (async SSH) run.
 */

/** A remote command answered something that is not what it prints: shown to the user as is. */
export class RemoteCommandError extends Error {
  override readonly name = 'RemoteCommandError';
}
