/**
 * @module
 * Entry point forked by `remex up` for each child (server, embedded proxy); see `child-main.ts`.
 * Not a user command: it refuses to run without the supervisor's IPC channel.
 */
import { runChild } from './child-main.ts';

runChild();
