#!/usr/bin/env node
/**
 * @module
 * Entry point of `remex` (run with `node --import tsx packages/cli/src/bin.ts …`, or through the
 * `bin/remex` wrapper).
 */
import { main } from './cli/main.ts';

const code = await main(process.argv.slice(2));
// Standard streams are synchronous on Linux for files, pipes and terminals, so nothing is lost.
process.exit(code);
