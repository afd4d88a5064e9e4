/**
 * @module
 * Terminology (one line a term; see docs/glossary.md for the longer version).
 *
 * - **host**: a machine to run on (name, IPs, subnet, hostgroup, parameters, facts).
 * - **hostgroup**: a nested group of hosts; parameters inherit global → hostgroup chain → host.
 * - **parameter**: a named string value at global, hostgroup or host level; the last level wins.
 * - **fact**: a key/value reported by the host (uploaded through `POST /api/hosts/facts`).
 * - **smart proxy** / **proxy**: an execution agent that reaches hosts over SSH.
 * - **job template**: ERB text plus metadata (name, job category, provider, inputs, effective user).
 * - **template input**: a named value a template reads (`input('name')`).
 * - **provider**: how a proxy executes a rendered template (`script` today; Ansible later).
 * - **job invocation** (job): one request to run a template on a set of hosts.
 * - **template invocation** / **task**: the job on one host: inputs, rendered script, proxy,
 *   status and output events. Tasks are identified by the template invocation id.
 * - **output event**: one chunk of stdout/stderr/debug, or the exit status, with a timestamp and
 *   a per-task sequence number; the server stores each (task, sequence) once.
 * - **outbox**: the proxy's durable local queue of output events not yet acknowledged by the server.
 * - **feature**: a named action (e.g. `run_script`) mapped to a template.
 * - **bookmark**: a saved search query.
 */
export {};
