/**
 * @module
 * What every command action receives: the I/O, and a lazily built API client using the global
 * connection flags, the environment and the config file.
 */
import type { CliIo } from '../../cli/cli-io.ts';
import type { ClientConfigFlags } from '../../config/client-config.ts';
import type { ApiClient } from '../../http/api-client.ts';

/** Shared state of one `remex` run, passed to every command builder. */
export interface CommandContext {
  /** Output streams, environment, clock. */
  io: CliIo;
  /** The API client for this run (built on first use; config errors surface then). */
  client(): ApiClient;
  /** The global connection flags (`--server`, `--username`, `--password`) of this run. */
  globalFlags(): ClientConfigFlags;
  /** Writes text to stdout as-is. */
  out(text: string): void;
  /** Writes one line to stdout (a newline is added). */
  say(line: string): void;
  /** Writes one line to stderr (a newline is added). */
  warn(line: string): void;
}
