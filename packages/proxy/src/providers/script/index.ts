/**
 * @module
 * The script provider folder's door.
 */
export { buildKillCommand, buildRunCommand, type ScriptCommandOptions, shellQuote, STARTED_MARKER } from './script-command.ts';
export { ScriptProvider } from './script-provider.ts';
