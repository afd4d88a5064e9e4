/**
 * @module
 * Terminology: one line a term. `docs/glossary.md` shows this list, and a test
 * (`glossary.test.ts`) fails when the two differ.
 */

/** One glossary entry. */
export interface GlossaryEntry {
  /** The term, with its other names (e.g. `job invocation (job)`). */
  readonly term: string;
  /** One-line definition (Markdown). */
  readonly definition: string;
}

/** The Remex glossary, in the order `docs/glossary.md` shows it. */
export const GLOSSARY: readonly GlossaryEntry[] = [
  { term: 'host', definition: 'a machine to run on (name, IPs, subnet, hostgroup, operating system, parameters, facts).' },
  { term: 'hostgroup', definition: 'nested group of hosts; `title` is the full path `parent/child`.' },
  { term: 'parameter', definition: 'named string at global (`common`), hostgroup or host level; the most specific wins.' },
  { term: 'fact', definition: 'key/value reported for a host; nested facts are stored flattened as `a::b`.' },
  { term: 'smart proxy / proxy', definition: 'execution agent that reaches hosts over SSH; registered by URL.' },
  { term: 'job template', definition: 'ERB text plus metadata (name, job category, provider, inputs, effective user).' },
  { term: 'template input', definition: 'named value a template reads with `input(\'name\')`: user, fact, variable, puppet parameter.' },
  { term: 'provider', definition: 'how a proxy runs a rendered template (`script`; Foreman\'s older name `SSH`).' },
  { term: 'job invocation (job)', definition: 'one request to run a template on a set of hosts.' },
  { term: 'template invocation (task)', definition: 'the job on one host; its id is the task id everywhere.' },
  { term: 'output event', definition: 'a stdout/stderr/debug chunk, `started`, or `exit`, with a per-task sequence number.' },
  { term: 'outbox', definition: 'the proxy\'s durable queue of events not yet acknowledged by the server.' },
  { term: 'effective user', definition: 'the account the script runs as; `sudo` is used when it differs from the SSH user.' },
  { term: 'feature', definition: 'named action (e.g. `run_script`) mapped to a template.' },
  { term: 'bookmark', definition: 'saved search query.' },
  { term: 'personal access token', definition: 'a user\'s API credential (`remex_pat_…`), shown once, stored only as a hash; sent as Bearer or as the Basic password.' },
  { term: 'browser session', definition: 'login of the web UI: the HttpOnly cookie `remex_session` plus a CSRF token for state changes; ends when idle or old.' },
  { term: 'recurring logic', definition: "the schedule of a recurring job: a cron line in the server's time zone, a purpose, limits (`max_iteration`, `end_time`); each run is its own job invocation, an occurrence." },
  { term: 'time span', definition: "`concurrency_control[time_span]`: seconds over which a job's host starts are spread evenly; hosts not started in it end cancelled." },
  { term: 'task timeline', definition: 'the transitions of one task (claimed, sent, accepted, started, first output, exit, cancel asked, errors) with their times.' },
  { term: 'webhook', definition: 'a URL an admin registers for job events; each delivery is a signed JSON POST, retried from a durable queue.' },
  { term: 'async SSH', definition: 'a task whose script runs detached on the host, its output read from files there by offset, so it survives a proxy restart (`remote_execution_async_ssh`).' },
  { term: 'SSH worker thread', definition: "a proxy thread that runs ssh2 connections for its share of the hosts (`ssh_worker_threads`, ADR 0025), so key exchanges never delay the proxy's delivery of events." },
];

/** The glossary as the Markdown list of `docs/glossary.md` (one `- **term** — definition` line each). */
export function glossaryMarkdownList(): string {
  return GLOSSARY.map((e) => `- **${e.term}** — ${e.definition}`).join('\n');
}
