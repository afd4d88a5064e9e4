/**
 * @module
 * `@remex/cli`: the `remex` command. `main(argv, io?)` runs it and returns the exit code;
 * `createProgram(io?)` gives the commander tree for in-process use (tests inject `io`).
 */
export { type CliIo, createCliIo, type TextSink } from './cli/cli-io.ts';
export { errorLine, EXIT_CODES, exitCodeOf, JobFailedError } from './cli/exit-codes.ts';
export { main } from './cli/main.ts';
export { createProgram } from './cli/program.ts';
export { type ClientConfig, clientConfigPath, loadClientConfig } from './config/client-config.ts';
export { ApiClient, type ListResponse } from './http/api-client.ts';
