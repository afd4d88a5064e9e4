/**
 * Grammar suite: queries with their expected result sets on a fixture inventory, on SQLite and
 * PostgreSQL. Covers every operator, every field kind (column, custom relation, key-value facts
 * and parameters, dates, translated sets, booleans, explicit-only, current_user), free text,
 * precedence and negation, and the examples of the REX manual and the reference verbatim.
 */
import { describe, expect, it } from 'vitest';

import { compileSearch, SearchFieldError, SearchSyntaxError } from '../src/index.ts';
import type { CompileContext, SearchDialect, SearchUser } from '../src/index.ts';
import { HOST_NAMES, hostSearch, jobSearch, NOW } from './support/inventory-fixture.ts';
import { inventoryDialects, useInventoryDatabase } from './support/inventory-suite.ts';

const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const but = (...ids: number[]): number[] => ALL.filter((id) => !ids.includes(id));

/** [query, expected host ids] */
const HOST_CASES: ReadonlyArray<readonly [string, readonly number[]]> = [
  // --- examples from the manual and the reference, verbatim
  ['name ~ rex01', [1]],
  ['hostgroup = web and facts.os_family = Debian', [1, 2, 11]],
  ['job_invocation.result = failed', [1, 3, 5]],
  ['facts.memorysize_mb > 1024', [1, 3, 6]],
  ['name ^ (a, b)', [5, 6]],
  ['not name = a', but(5)],
  ['execution_status = ok', [1, 4, 5, 6, 8, 9, 10, 11]],
  ['execution_status = error', [2, 3, 7]],
  ['(job_invocation.result = N/A)', [6]],
  ['name = rex01.example.com', [1]],
  ['name ~ rex*', [1, 2]],
  ['facts.os::family = RedHat', [3, 4]],
  ['params.role = db', [3, 5]],
  ['facts.os_family = Debian and hostgroup ~ web*', [1, 2, 6, 7, 11]],
  // --- = != ~ !~ on a text column
  ['name ~ REX0', [1, 2]],
  ['name !~ example', [5, 6, 8, 9, 10, 11]],
  ['name != a', but(5)],
  ['name == a', [5]],
  ['name <> a', but(5)],
  ['name at a', [5]],
  ['name = "a"', [5]],
  ['name=a', [5]],
  ['NAME = a', [5]],
  ['name ~ *.example.com', [1, 2, 3, 4, 7]],
  ['name ~ db0*', [3, 4]],
  ['name ~ "rex01.example.com"', [1]],
  ['name ~ rex**01', []],
  ['name ~ rex**01*', [1]],
  ['name ~ web-01', [11]],
  ['name = ünïcode-ħost', [8]],
  ['name ~ ħost', [8]],
  // --- LIKE escaping: `_` and `\` are literal, `*` and `%` are wildcards (scoped_search)
  ['name ~ under_score', [9]],
  ['name ~ under_*', [9]],
  ['name ~ *_*', [9]],
  ['comment ~ a_b', [9]],
  ['comment ~ 100%', [3]],
  ['comment ~ "%busy"', [3]],
  ['comment ~ "back\\\\slash"', [11]],
  ['comment ~ "back\\\\*"', [11]],
  ['comment ~ Ümlaut', [8]],
  ['comment ~ ✓', [8]],
  // --- ordering operators on text, integers
  ['name > s', [7, 8, 9, 10, 11]],
  ['name < b', [5]],
  ['name >= staging.example.com', [7, 8, 9, 10, 11]],
  ['name <= a', [5]],
  ['os_major >= 12', [1, 6, 7, 8]],
  ['os_major < 10', [3, 4]],
  ['os_major <= 10', [3, 4, 11]],
  ['os_major > 11', [1, 6, 7, 8]],
  ['os_major = 12', [1, 6, 8]],
  ['os_major != 12', [2, 3, 4, 7, 11]],
  ['os_major before 8', [3]],
  ['os_major after 12', [7]],
  ['id = 5', [5]],
  ['id > 9', [10, 11]],
  ['id <= 2', [1, 2]],
  ['id > -1 and id < 3', [1, 2]],
  ['id ^ (1, 2, 3)', [1, 2, 3]],
  ['id !^ (1, 2, 3)', [4, 5, 6, 7, 8, 9, 10, 11]],
  ['hostgroup_id = 2', [3, 4]],
  ['hostgroup_id > 1', [3, 4, 6, 7]],
  ['hostgroup_id ^ (1, 3)', [1, 2, 6, 7, 11]],
  // --- ^ and !^ lists
  ['name !^ (a, b)', but(5, 6)],
  ['name ^ (a,b,rex01.example.com)', [1, 5, 6]],
  ['name ^ "a,b"', [5, 6]],
  ['name ^ a', [5]],
  ['name ^ (a) or id = 3', [3, 5]],
  ['not name ^ (a, b)', but(5, 6)],
  ['name !^ (a) and os = Debian', [1, 2, 6, 8, 11]],
  // --- set? / has / null?
  ['set? comment', but(2)],
  ['null? comment', [2]],
  ['has ip', but(5)],
  ['null? ip', [5]],
  ['not set? os', [5, 9, 10]],
  ['not null? os', [1, 2, 3, 4, 6, 7, 8, 11]],
  ['set? hostgroup', [1, 2, 3, 4, 6, 7, 11]],
  ['null? hostgroup', [5, 8, 9, 10]],
  ['SET? os_major', [1, 2, 3, 4, 6, 7, 8, 11]],
  // --- custom relation fields
  ['hostgroup = web', [1, 2, 11]],
  ['hostgroup ~ web*', [1, 2, 6, 7, 11]],
  ['hostgroup ~ web', [1, 2, 6, 7, 11]],
  ['hostgroup != web', [3, 4, 6, 7]],
  ['hostgroup !~ web', [3, 4]],
  ['hostgroup ^ (db, webservers)', [3, 4, 6, 7]],
  ['hostgroup_fullname = web/webservers', [6, 7]],
  ['hostgroup_fullname ~ web/*', [6, 7]],
  ['os = Debian', [1, 2, 6, 8, 11]],
  ['os = debian', []],
  // --- and / or / juxtaposition, all spellings
  ['os = Debian and os_major > 11', [1, 6, 8]],
  ['os = Debian os_major > 11', [1, 6, 8]],
  ['os = Debian & os_major > 11', [1, 6, 8]],
  ['os = Debian && os_major > 11', [1, 6, 8]],
  ['os = Debian AND os_major = 11', [2]],
  ['OS = Debian And os_major = 11', [2]],
  ['os = CentOS or os = Ubuntu', [3, 4, 7]],
  ['os = CentOS | os = Ubuntu', [3, 4, 7]],
  ['os = CentOS || os = Ubuntu', [3, 4, 7]],
  ['os = Debian OR os = CentOS', [1, 2, 3, 4, 6, 8, 11]],
  ['os = Debian and', [1, 2, 6, 8, 11]],
  ['(os = Debian)', [1, 2, 6, 8, 11]],
  ['((os = Debian))', [1, 2, 6, 8, 11]],
  ['and os = Debian', [1, 2, 6, 8, 11]],
  // --- precedence: none between and/or, right-recursive (scoped_search)
  ['os = CentOS or os = Debian and hostgroup = web', [1, 2, 3, 4, 11]],
  ['os = Debian and hostgroup = web or os = CentOS', [1, 2, 11]],
  ['(os = Debian and hostgroup = web) or os = CentOS', [1, 2, 3, 4, 11]],
  ['os = Debian hostgroup = web or os = CentOS', [1, 2, 11]],
  ['os = Ubuntu or hostgroup = db os = Debian', []],
  ['(os = Ubuntu or hostgroup = db) (os = CentOS)', [3, 4]],
  ['os = Ubuntu or (hostgroup = db and os_major = 8)', [4, 7]],
  ['name = a or name = b or name = web-01', [5, 6, 11]],
  ['name = a or name = b and id = 6', [5, 6]],
  // --- negation
  ['!name = a', but(5)],
  ['! name = a', but(5)],
  ['-name = a', but(5)],
  ['not os = Debian', [3, 4, 5, 7, 9, 10]],
  ['not not os = Debian', [1, 2, 6, 8, 11]],
  ['NOT os = Debian', [3, 4, 5, 7, 9, 10]],
  ['not (os = Debian or os = CentOS)', [5, 7, 9, 10]],
  ['os = Debian and not hostgroup = web', [6, 8]],
  ['not os = Debian and hostgroup = web', []],
  ['not (os = Debian and hostgroup = web)', [3, 4, 5, 6, 7, 8, 9, 10]],
  ['not os_major > 10', [3, 4, 5, 9, 10, 11]],
  ['-name ~ web-01', but(11)],
  // --- free text over the default fields (name, ip, comment, os, os_major, last_report, hostgroup)
  ['rex01', [1]],
  ['example', [1, 2, 3, 4, 7]],
  ['web', [1, 2, 6, 7, 11]],
  ['debian', [1, 2, 6, 8, 11]],
  ['12', [1, 6, 8]],
  ['10.0.1', [3, 4]],
  ['"single letter"', [5]],
  ['nothing-matches-this', []],
  ['= a', [5]],
  ['~ busy', [3]],
  ['^ (a, b)', [5, 6]],
  ['rex01 os = Debian', [1]],
  ['not rex', but(1, 2)],
  ['web and not hostgroup = web', [6, 7]],
  ['today', [1, 6]],
  ['name =', []],
  ['web-01,', [11]],
  // --- dates (now = 2026-11-25 12:00 UTC)
  ['last_report > "2 hours ago"', [1]],
  ['last_report < "2 hours ago"', [2, 3, 5, 6]],
  ['last_report = today', [1, 6]],
  ['last_report = Today', [1, 6]],
  ['last_report = yesterday', [2]],
  ['last_report = Yesterday', [2]],
  ['last_report > yesterday', [1, 6]],
  ['last_report >= yesterday', [1, 2, 6]],
  ['last_report <= yesterday', [2, 3, 5]],
  ['last_report < yesterday', [3, 5]],
  ['last_report = 2026-11-20', [3]],
  ['last_report > 2026-01-01', [1, 2, 3, 6]],
  ['last_report < "2026-01-01"', [5]],
  ['last_report = "2026-11-25 11:00"', [1]],
  ['last_report = 2026-11', [1, 2, 3, 6]],
  ['last_report > "3 days ago"', [1, 2, 6]],
  ['last_report < "1 year ago"', [5]],
  ['last_report > "1 week ago"', [1, 2, 3, 6]],
  ['last_report > "30 minutes ago"', []],
  ['last_report < "1 hour from now"', [1, 2, 3, 5, 6]],
  ['last_report > "2 days from now"', []],
  ['last_report = "Nov 20, 2026"', [3]],
  ['last_report = "20 November 2026"', [3]],
  ['last_report = "2026-11-25T11:00:00Z"', [1]],
  ['last_report != today', [2, 3, 5]],
  ['last_report before 2026-11-21', [3, 5]],
  ['last_report after yesterday', [1, 6]],
  ['last_report at 2026-11-20', [3]],
  ['set? last_report', [1, 2, 3, 5, 6]],
  ['null? last_report', [4, 7, 8, 9, 10, 11]],
  // --- translated sets and booleans
  ['execution_status != error', [1, 4, 5, 6, 8, 9, 10, 11]],
  ['execution_status ^ (ok, error)', ALL],
  ['execution_status = OK', [1, 4, 5, 6, 8, 9, 10, 11]],
  ['not execution_status = ok', [2, 3, 7]],
  ['enabled = true', [1, 2, 4, 5, 7, 8, 9, 10, 11]],
  ['enabled = false', [3, 6]],
  ['enabled', [1, 2, 4, 5, 7, 8, 9, 10, 11]],
  ['not enabled', [3, 6]],
  ['enabled != true', [3, 6]],
  ['enabled = true and execution_status = error', [2, 7]],
  // --- facts (key-value, numeric where both sides are numbers)
  ['facts.os_family = Debian', [1, 2, 6, 7, 8, 11]],
  ['facts.os_family = RedHat', [3, 4]],
  ['facts.os_family ~ deb', [1, 2, 6, 7, 8, 11]],
  ['facts.os_family != Debian', [3, 4]],
  ['facts.memorysize_mb >= 1024', [1, 3, 4, 6]],
  ['facts.memorysize_mb < 1000', [2, 7, 11]],
  ['facts.memorysize_mb = 1024', [4]],
  ['facts.memorysize_mb ~ 1024', [4, 6]],
  ['facts.memorysize_mb = unknown', [5]],
  ['facts.memorysize_mb > -5', [1, 2, 3, 4, 6, 7, 11]],
  ['facts.memorysize_mb <= 1024.5', [2, 4, 6, 7, 11]],
  ['set? facts.os::family', [3, 4]],
  ['null? facts.cpus', [4, 5, 6, 7, 8, 9, 10, 11]],
  ['has facts.cpus', [1, 2, 3]],
  ['facts.cpus > 3', [1, 3]],
  ['facts.cpus ^ (2, 4)', [1, 2]],
  ['facts.nonexistent = x', []],
  ['not facts.os_family = Debian', [3, 4, 5, 9, 10]],
  ['facts.os_family = Debian and facts.memorysize_mb > 1000', [1, 6]],
  // --- parameters through the hierarchy (host overrides hostgroup)
  ['params.role = web', [1, 2, 11]],
  ['params.role = backup', [4]],
  ['params.role = frontend', [6, 7]],
  ['params.role ~ *end', [6, 7]],
  ['params.ssh_port = 22', [1, 2, 11]],
  ['params.ssh_port > 100', [9]],
  ['set? params.role', [1, 2, 3, 4, 5, 6, 7, 11]],
  ['null? params.role', [8, 9, 10]],
  ['params.role ^ (db, backup)', [3, 4, 5]],
  ['params.role = db or params.role = backup', [3, 4, 5]],
  // --- job_invocation.* (custom, translated, negation outside)
  ['job_invocation.result = success', [1, 2, 4, 11]],
  ['job_invocation.result != failed', [2, 4, 6, 7, 8, 9, 10, 11]],
  ['job_invocation.result = N/A', [6]],
  ['job_invocation.result = cancelled', [7]],
  ['job_invocation.result = pending', [3]],
  ['job_invocation.result ^ (cancelled, pending)', [3, 7]],
  ['job_invocation.result !^ (cancelled, pending)', but(3, 7)],
  ['job_invocation.id = 1', [1, 2, 11]],
  ['job_invocation.id = 1 and job_invocation.result = success', [1, 2, 11]],
  // Tied to the same task: host 1 succeeded in job 1 and failed in job 6, so it did not fail in job 1.
  ['job_invocation.id = 1 and job_invocation.result = failed', []],
  ['job_invocation.id = 6 and job_invocation.result = failed', [1, 5]],
  ['job_invocation.result = failed and name ~ * and job_invocation.id = 6', [1, 5]],
  // Not tied across OR, nor when negated.
  ['job_invocation.id = 1 or job_invocation.result = failed', [1, 2, 3, 5, 11]],
  ['job_invocation.id = 1 and job_invocation.result != failed', [2, 11]],
  ['job_invocation.id ^ (2, 5)', [3, 4, 7]],
  // --- empty and partial queries
  ['', ALL],
  ['   ', ALL],
  ['()', ALL],
];

/** [query, expected job ids, current user] */
const JOB_CASES: ReadonlyArray<readonly [string, readonly number[], SearchUser?]> = [
  ['description ~ set*', [1, 2, 4]],
  ['status = failed', [2, 6]],
  ['started_at > "24 hours ago"', [1, 6]],
  ['recurring = true', [2, 4]],
  ['description ~ set', [1, 2, 4]],
  ['status = succeeded', [1]],
  ['status != failed', [1, 3, 4, 5]],
  ['status ^ (queued, running)', [3, 4]],
  ['status !^ (queued, running)', [1, 2, 5, 6]],
  ['status = Failed', [2, 6]],
  ['started_at < "24 hours ago"', [2, 4, 5]],
  ['start_at > today', [3]],
  ['start_at = tomorrow', [3]],
  ['ended_at = today', [1, 6]],
  ['null? started_at', [3]],
  ['null? ended_at', [3, 4]],
  ['recurring = false', [1, 3, 5, 6]],
  ['recurring', [2, 4]],
  ['not recurring', [1, 3, 5, 6]],
  ['user = admin', [1, 3, 6]],
  ['owner = bob', [2, 4]],
  ['user = current_user', [2, 4], { id: 2, login: 'bob' }],
  ['owner = current_user', [1, 3, 6], { id: 1, login: 'admin' }],
  ['user != current_user', [2, 4], { id: 1, login: 'admin' }],
  ['null? user', [5]],
  ['set? owner', [1, 2, 3, 4, 6]],
  ['host = rex01.example.com', [1, 6]],
  ['host ~ db0*', [2, 4]],
  ['targeted_host_id = 3', [2, 4]],
  ['job_category = Commands', [1, 4]],
  ['job_category ~ commands', [1, 2, 4]],
  ['id = 3', [3]],
  ['description ~ 100%', []],
  ['description ~ *100%*', [5]],
  ['description ~ restart_service', [6]],
  ['description ~ "restart_service now"', [6]],
  ['reboot', [3]],
  ['status = failed and recurring = true', [2]],
  ['status = failed or status = cancelled', [2, 5, 6]],
  ['job_category = Commands and not status = running', [1]],
  ['started_at >= 2026-11-24 and started_at < 2026-11-25', [2]],
  ['started_at = 2026-11-20', [4]],
  ['3', [3]],
  ['2026-11-20', [4]],
  ['rex01.example.com', [1, 6]],
];

/** [query, error class, message, position] */
const ERROR_CASES: ReadonlyArray<readonly [string, typeof SearchSyntaxError | typeof SearchFieldError, string, { begin: number; end: number }]> = [
  ['foo = bar', SearchFieldError, "Field 'foo' not recognized for searching!", { begin: 0, end: 3 }],
  ['name = a and bogus.x ~ y', SearchFieldError, "Field 'bogus.x' not recognized for searching!", { begin: 13, end: 20 }],
  ['set? nope', SearchFieldError, "Field 'nope' not recognized for searching!", { begin: 5, end: 9 }],
  ['id = abc', SearchFieldError, "Value 'abc' is not valid for field 'id' (an integer is expected)", { begin: 5, end: 8 }],
  ['id ~ 5', SearchFieldError, "the operator '~' is not supported for field type 'integer'", { begin: 0, end: 6 }],
  ['execution_status = maybe', SearchFieldError, "'execution_status' should be one of 'ok, error', but the query was 'maybe'", { begin: 19, end: 24 }],
  ['execution_status ~ ok', SearchFieldError, "Operator '~' not supported for 'execution_status'", { begin: 0, end: 21 }],
  ['enabled = perhaps', SearchFieldError, "'enabled' should be one of 'true, false', but the query was 'perhaps'", { begin: 10, end: 17 }],
  ['last_report > whenever', SearchFieldError, "Value 'whenever' is not a valid date or time for field 'last_report'", { begin: 14, end: 22 }],
  ['last_report = 2026-02-30', SearchFieldError, "Value '2026-02-30' is not a valid date or time for field 'last_report'", { begin: 14, end: 24 }],
  ['last_report ~ today', SearchFieldError, "the operator '~' is not supported for field type 'datetime'", { begin: 0, end: 19 }],
  ['(name = a', SearchSyntaxError, "Unbalanced parentheses: '(' at position 1 is never closed", { begin: 0, end: 1 }],
  ['name = a)', SearchSyntaxError, "Unbalanced parentheses: ')' at position 9 has no matching '('", { begin: 8, end: 9 }],
  ['name ^ (a, b', SearchSyntaxError, "Unbalanced parentheses: '(' at position 8 is never closed", { begin: 7, end: 8 }],
];

const JOB_ERROR_CASES: ReadonlyArray<readonly [string, string]> = [
  ['status = bogus', "'status' should be one of 'succeeded, failed, queued, running, cancelled', but the query was 'bogus'"],
  ['targeted_host_id > 3', "Operator '>' not supported for 'targeted_host_id'"],
  ['user = current_user', "'current_user' cannot be used for 'user' without a signed-in user"],
];

const dialects = await inventoryDialects('search-query grammar suite');

describe.each(dialects)('search grammar on %s', (dialect: SearchDialect) => {
  const inventory = useInventoryDatabase(dialect);

  const context = (currentUser?: SearchUser): CompileContext => ({ dialect, now: NOW, currentUser: currentUser ?? null });

  async function hosts(query: string): Promise<number[]> {
    const rows = await inventory().selectFrom('hosts').select('hosts.id')
      .where((eb) => compileSearch(query, hostSearch, eb, context())).orderBy('hosts.id').execute();
    return rows.map((r) => Number(r.id));
  }

  async function jobs(query: string, user?: SearchUser): Promise<number[]> {
    const rows = await inventory().selectFrom('jobs').select('jobs.id')
      .where((eb) => compileSearch(query, jobSearch, eb, context(user))).orderBy('jobs.id').execute();
    return rows.map((r) => Number(r.id));
  }

  it.each(HOST_CASES)('hosts: %s', async (query, expected) => {
    const got = await hosts(query);
    expect(got.map((id) => HOST_NAMES[id])).toEqual([...expected].sort((a, b) => a - b).map((id) => HOST_NAMES[id]));
  });

  it.each(JOB_CASES.map(([query, expected, user]) => ({ query, expected, user })))('jobs: $query', async ({ query, expected, user }) => {
    expect(await jobs(query, user)).toEqual([...expected].sort((a, b) => a - b));
  });

  it.each(ERROR_CASES)('hosts error: %s', async (query, errorClass, message, position) => {
    const error = await hosts(query).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as SearchFieldError).message).toBe(message);
    expect((error as SearchFieldError).position).toEqual(position);
  });

  it.each(JOB_ERROR_CASES)('jobs error: %s', async (query, message) => {
    await expect(jobs(query)).rejects.toThrow(message);
  });
});
