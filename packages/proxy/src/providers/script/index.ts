/**
 * @module
 * The script provider folder's door.
 */
export {
  buildKillCommand,
  buildRunCommand,
  interpreterOf,
  type RunCommand,
  type ScriptCommandOptions,
  shellQuote,
  STARTED_MARKER,
} from './script-command.ts';
export { ScriptProvider } from './script-provider.ts';
