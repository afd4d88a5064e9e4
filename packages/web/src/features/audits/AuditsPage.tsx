/**
 * @module
 * The audit log (`/audits`, Foreman's "Audits"): who changed what and when, searchable
 * (`type = job_template and user = bob`), with the changed fields of each entry.
 */
import { PageSection } from '@patternfly/react-core';
import { Link } from 'react-router';

import type { Audit } from '../../api/types.ts';
import { PageHeading } from '../../components/PageHeading.tsx';
import { ResourceTable } from '../../components/ResourceTable.tsx';
import type { Column } from '../../components/ResourceTable.tsx';
import { describeChanges } from './audit-changes.ts';

/** Where an audited record has a page of its own. */
function recordLink(a: Audit): string | null {
  switch (a.auditable_type) {
    case 'host':
      return a.auditable_name ? `/hosts/${encodeURIComponent(a.auditable_name)}` : null;
    case 'job_template':
      return `/job_templates/${a.auditable_id}`;
    case 'job_invocation':
      return `/job_invocations/${a.auditable_id}`;
    case 'user':
      return `/users/${a.auditable_id}`;
    case 'role':
      return `/roles/${a.auditable_id}`;
    default:
      return null;
  }
}

function Changes({ audit }: { audit: Audit }) {
  const changes = describeChanges(audit.action, audit.audited_changes);
  if (changes.length === 0) return <>—</>;
  return (
    <dl className="remex-audit-changes" style={{ margin: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: '0.75em' }}>
      {changes.map((c) => (
        <div key={c.field} style={{ display: 'contents' }}>
          <dt style={{ fontWeight: 600 }}>{c.field}</dt>
          <dd style={{ margin: 0, wordBreak: 'break-word' }}>{c.text}</dd>
        </div>
      ))}
    </dl>
  );
}

const COLUMNS: Column<Audit>[] = [
  { title: 'Time', sort: 'time', cell: (a) => new Date(a.created_at).toLocaleString() },
  { title: 'User', sort: 'user', cell: (a) => a.user_name ?? '—' },
  { title: 'Action', cell: (a) => a.action },
  { title: 'Type', sort: 'type', cell: (a) => a.auditable_type },
  {
    title: 'Record',
    cell: (a) => {
      const name = a.auditable_name ?? String(a.auditable_id);
      const to = a.action === 'destroy' ? null : recordLink(a);
      return to ? <Link to={to}>{name}</Link> : name;
    },
  },
  { title: 'Changes', cell: (a) => <Changes audit={a} /> },
  { title: 'Request', cell: (a) => (a.request_uuid ? <code>{a.request_uuid.slice(0, 8)}</code> : '—') },
];

/** The audits table. */
export function AuditsPage() {
  return (
    <>
      <PageHeading title="Audits" />
      <PageSection>
        <ResourceTable<Audit> path="/api/audits" label="Audits" columns={COLUMNS} />
      </PageSection>
    </>
  );
}
