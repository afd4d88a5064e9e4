/**
 * @module
 * Unit tests of the error → exit code mapping and of `main`'s single top-level catch.
 */
import { createServer } from 'node:net';

import { CommanderError } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';

import { AuthenticationError, ConflictError, InputError, InternalError, NotAllowedError, NotFoundError } from '@remex/common';

import { captureIo } from '../../test/helpers/capture-io.ts';
import { errorLine, EXIT_CODES, exitCodeOf, JobFailedError } from './exit-codes.ts';

/** A loopback URL where nothing listens (a port just released). */
let DEAD_URL = '';

beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  DEAD_URL = `http://127.0.0.1:${port}`;
});

describe('error → exit code mapping', () => {
  it('maps each error class to its documented code', () => {
    expect(exitCodeOf(new InputError('x'))).toBe(EXIT_CODES.usage);
    expect(exitCodeOf(new ConflictError('x'))).toBe(EXIT_CODES.usage);
    expect(exitCodeOf(new NotFoundError('x'))).toBe(EXIT_CODES.notFound);
    expect(exitCodeOf(new AuthenticationError('x'))).toBe(EXIT_CODES.auth);
    expect(exitCodeOf(new NotAllowedError('x'))).toBe(EXIT_CODES.auth);
    expect(exitCodeOf(new JobFailedError('x'))).toBe(EXIT_CODES.jobFailed);
    expect(exitCodeOf(new InternalError('x'))).toBe(EXIT_CODES.error);
    expect(exitCodeOf(new TypeError('x'))).toBe(EXIT_CODES.error);
    expect(exitCodeOf('a string')).toBe(EXIT_CODES.error);
    expect(exitCodeOf(new CommanderError(1, 'commander.unknownOption', 'error: unknown option'))).toBe(EXIT_CODES.usage);
    expect(exitCodeOf(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toBe(EXIT_CODES.ok);
  });

  it('formats one line, without commander prefix or newlines', () => {
    expect(errorLine(new CommanderError(1, 'x', "error: unknown option '--nope'"))).toBe("Error: unknown option '--nope'");
    expect(errorLine(new InputError('first  \nsecond'))).toBe('Error: first\nsecond');
    // A search error's excerpt keeps its lines, so the caret stays under the column it points at.
    expect(errorLine(new InputError("Unknown field 'nmae'\n  nmae = web\n  ^^^^"))).toBe("Error: Unknown field 'nmae'\n  nmae = web\n  ^^^^");
  });
});

describe('main: the one top-level catch', () => {
  it('prints usage errors as one line and exits 2', async () => {
    const cli = captureIo({ REMEX_URL: DEAD_URL });
    const r = await cli.run('host', 'create', '--ip', '1.2.3.4');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("Error: required option '--name <name>' not specified\n");
    expect(r.stdout).toBe('');
  });

  it('suggests close command names', async () => {
    const r = await captureIo().run('host', 'lst');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('Error: unknown command \'lst\' (Did you mean list?)\n');
  });

  it('rejects bad option values before any request', async () => {
    const cli = captureIo({ REMEX_URL: DEAD_URL });
    expect((await cli.run('job-invocation', 'create', '--job-template-id', '1', '--search-query', 'name = a', '--inputs', 'nokey')).stderr).toBe(
      'Error: --inputs: expected key=value, got "nokey"\n',
    );
    expect((await cli.run('host', 'info', '--id', 'abc')).code).toBe(2);
    expect((await cli.run('host', 'list', '--output', 'xml')).stderr).toMatch(/^Error: option '-o, --output <format>' argument 'xml' is invalid/);
  });

  it('reports an unreachable server in one line with exit 1 and no stack trace', async () => {
    const r = await captureIo({ REMEX_URL: DEAD_URL }).run('host', 'list');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error: cannot reach the Remex server at ${DEAD_URL} (ECONNREFUSED)\n`);
  });

  it('prints the stack trace only with REMEX_DEBUG=1', async () => {
    const r = await captureIo({ REMEX_URL: DEAD_URL, REMEX_DEBUG: '1' }).run('host', 'list');
    expect(r.stderr.split('\n')[0]).toMatch(/^Error: cannot reach/);
    expect(r.stderr).toMatch(/\n\s*at /);
  });

  it('help and version exit 0; a group without subcommand prints help and exits 2', async () => {
    const cli = captureIo();
    const help = await cli.run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('job-invocation');
    const version = await cli.run('--version');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const group = await cli.run('host');
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('Usage: remex host');
  });

  it('reads a bad config file as a usage error', async () => {
    const r = await captureIo({ REMEX_CLI_CONFIG: '/dev/null/nope.yml', REMEX_URL: 'not a url' }).run('host', 'list');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('Error: invalid server URL: not a url\n');
  });
});
