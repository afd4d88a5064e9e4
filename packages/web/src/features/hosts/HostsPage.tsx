/**
 * @module
 * The hosts list (`/hosts`) with bulk "Schedule remote job".
 */
import { Button, PageSection } from '@patternfly/react-core';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';

import type { Host } from '../../api/types.ts';
import { PageHeading } from '../../components/PageHeading.tsx';
import { ResourceTable } from '../../components/ResourceTable.tsx';
import type { Column } from '../../components/ResourceTable.tsx';
import { hostsQuery } from '../job-wizard/targets.ts';
import { ExecutionStatus } from './ExecutionStatus.tsx';

const COLUMNS: Column<Host>[] = [
  { title: 'Name', sort: 'name', cell: (h) => <Link to={`/hosts/${encodeURIComponent(h.name)}`}>{h.name}</Link> },
  { title: 'OS', cell: (h) => h.operatingsystem_name ?? '' },
  { title: 'Host group', sort: 'hostgroup', cell: (h) => h.hostgroup_title ?? h.hostgroup_name ?? '' },
  { title: 'IP', cell: (h) => h.ip ?? '' },
  { title: 'Execution status', cell: (h) => <ExecutionStatus host={h} /> },
];

/** Hosts with search, pagination and bulk select. */
export function HostsPage() {
  const navigate = useNavigate();
  const [selected, setSelected] = useState<Map<number, string>>(new Map());
  const schedule = () => void navigate(`/job_invocations/new?${new URLSearchParams({ search: hostsQuery([...selected.values()]) }).toString()}`);
  return (
    <>
      <PageHeading title="Hosts" />
      <PageSection>
        <ResourceTable<Host>
          path="/api/hosts"
          label="Hosts"
          columns={COLUMNS}
          taxonomyScoped
          selected={new Set(selected.keys())}
          onSelect={(ids, rows) => {
            const next = new Map<number, string>();
            for (const [id, name] of selected) if (ids.has(id)) next.set(id, name);
            for (const r of rows) next.set(r.id, r.name);
            setSelected(next);
          }}
          actions={
            <Button isDisabled={selected.size === 0} onClick={schedule}>
              Schedule remote job{selected.size > 0 ? ` (${selected.size})` : ''}
            </Button>
          }
        />
      </PageSection>
    </>
  );
}
