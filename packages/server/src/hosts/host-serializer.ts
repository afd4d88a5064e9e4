/**
 * @module
 * Host rows as the API shows them (Foreman host JSON, the fields Remex has).
 */
import type { Host } from '@remex/common';
import type { HostData } from '@remex/erb';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

import type { Database, HostRow } from '../db/schema.ts';

/** Host columns joined with names of related records. */
export function hostQuery(db: Kysely<Database>) {
  return db
    .selectFrom('hosts as h')
    .leftJoin('hostgroups as hg', 'hg.id', 'h.hostgroup_id')
    .leftJoin('subnets as sn', 'sn.id', 'h.subnet_id')
    .leftJoin('operatingsystems as os', 'os.id', 'h.operatingsystem_id');
}

/** Selects the columns {@link serializeHost} needs. */
export function selectHostColumns<Q extends ReturnType<typeof hostQuery>>(q: Q) {
  return q.selectAll('h').select([
    'hg.name as hostgroup_name',
    'hg.title as hostgroup_title',
    'sn.name as subnet_name',
    'os.name as os_name',
    'os.major as os_major',
    'os.minor as os_minor',
    'os.family as os_family',
  ]);
}

/**
 * {@link selectHostColumns} plus `has_run`: whether the host has a finished task (a result), so
 * that a host that never ran a job is not labelled "Last execution succeeded".
 */
export function selectHostApiColumns<Q extends ReturnType<typeof hostQuery>>(q: Q) {
  return selectHostColumns(q).select((eb) =>
    eb.exists(eb.selectFrom('template_invocations as ti').select(sql.lit(1).as('one')).whereRef('ti.host_id', '=', 'h.id').where('ti.result', 'is not', null)).as('has_run'),
  );
}

/** A host row with joined names. */
export interface HostWithNames extends HostRow {
  hostgroup_name: string | null;
  hostgroup_title: string | null;
  subnet_name: string | null;
  os_name: string | null;
  os_major: string | null;
  os_minor: string | null;
  os_family: string | null;
}

/** Operating system title as Foreman prints it (`Debian 12`). */
export function osTitle(h: Pick<HostWithNames, 'os_name' | 'os_major' | 'os_minor'>): string | null {
  if (!h.os_name) return null;
  return [h.os_name, [h.os_major, h.os_minor].filter((v) => v !== null && v !== '').join('.')].filter((v) => v !== '').join(' ');
}

/** Foreman's label of a host's execution status; a host with no finished task has none yet. */
function executionLabel(h: HostWithNames & { has_run?: unknown }): string {
  if (h.has_run !== undefined && !h.has_run) return 'No execution finished yet';
  return h.execution_status === 0 ? 'Last execution succeeded' : 'Last execution failed';
}

/** The host JSON (select it with {@link selectHostApiColumns} for the right status label). */
export function serializeHost(h: HostWithNames & { has_run?: unknown }): Host {
  return {
    id: h.id,
    name: h.name,
    ip: h.ip,
    ip6: h.ip6,
    hostgroup_id: h.hostgroup_id,
    hostgroup_name: h.hostgroup_name,
    hostgroup_title: h.hostgroup_title,
    subnet_id: h.subnet_id,
    subnet_name: h.subnet_name,
    operatingsystem_id: h.operatingsystem_id,
    operatingsystem_name: osTitle(h),
    domain_name: h.domain_name,
    domain_id: h.domain_id,
    comment: h.comment,
    organization_id: h.organization_id,
    location_id: h.location_id,
    execution_status: h.execution_status,
    execution_status_label: executionLabel(h),
    created_at: h.created_at,
    updated_at: h.updated_at,
  };
}

/** The template renderer's view of a host row (parameters and facts already resolved). */
export function toHostData(
  h: HostWithNames,
  params: Record<string, string>,
  facts: Record<string, string>,
  subnet: { name: string; network: string; mask: string } | null = null,
): HostData {
  return {
    id: h.id,
    name: h.name,
    ip: h.ip,
    ip6: h.ip6,
    domain: h.domain_name,
    comment: h.comment,
    hostgroup: h.hostgroup_name ? { name: h.hostgroup_name, title: h.hostgroup_title ?? h.hostgroup_name } : null,
    operatingsystem: h.os_name ? { name: h.os_name, family: h.os_family, major: h.os_major ?? '', minor: h.os_minor ?? '' } : null,
    subnet,
    params,
    facts,
  };
}
