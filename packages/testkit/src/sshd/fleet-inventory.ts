/**
 * @module
 * How Remex reaches a test fleet: the global parameters (connect by IP as the test user on the
 * fleet's port) and the hosts to import, so that every stack wires its fleet the same way.
 */
import { TEST_USER } from '../users/test-users.ts';
import type { SshFleet } from './ssh-fleet.ts';

/** The global parameters (name, value) that make Remex run jobs on `fleet`'s hosts as the test user. */
export function fleetParameters(fleet: Pick<SshFleet, 'port'>): Array<[name: string, value: string]> {
  return [
    ['remote_execution_connect_by_ip', 'true'],
    ['remote_execution_ssh_user', TEST_USER.name],
    ['remote_execution_effective_user', TEST_USER.name],
    ['remote_execution_ssh_port', String(fleet.port)],
  ];
}

/** `fleet`'s hosts as `POST /api/hosts/import` takes them (in `hostgroup` when given). */
export function fleetImportHosts(fleet: Pick<SshFleet, 'hosts'>, hostgroup?: string): Array<{ name: string; ip: string; hostgroup?: string }> {
  return fleet.hosts.map((h) => ({ name: h.name, ip: h.address, ...(hostgroup === undefined ? {} : { hostgroup }) }));
}

/** `fleet`'s hosts as a YAML file for `remex host import`, in `hostgroup`. */
export function fleetImportYaml(fleet: Pick<SshFleet, 'hosts'>, hostgroup: string): string {
  return fleet.hosts.map((h) => `- name: ${h.name}\n  ip: ${h.address}\n  hostgroup: ${hostgroup}\n`).join('');
}
