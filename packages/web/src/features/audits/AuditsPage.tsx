/**
 * @module
 * The audit log (`/audits`, Foreman's "Audits"): who changed what and when, searchable
 * (`type = job_template and user = bob`, completed as typed), paginated; a row expands to the
 * changed fields before and after. The request id lists every audit of the same request.
 */
import { PageSection } from '@patternfly/react-core';
import { Link } from 'react-router';

import type { Audit } from '../../api/types.ts';
import { PageHeading } from '../../components/PageHeading.tsx';
import { ResourceTable } from '../../components/ResourceTable.tsx';
import type { Column } from '../../components/ResourceTable.tsx';
import { AuditDetails } from './AuditDetails.tsx';
import { auditChanges, changedFieldsSummary } from './audit-changes.ts';

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

/** The audits page listing every audit of request `uuid`. */
function requestLink(uuid: string): string {
  return `/audits?search=${encodeURIComponent(`request_uuid = "${uuid}"`)}`;
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
  { title: 'Changed fields', cell: (a) => changedFieldsSummary(a.action, a.audited_changes) },
  {
    title: 'Request id',
    cell: (a) =>
      a.request_uuid ? (
        <Link to={requestLink(a.request_uuid)} title={`Every audit of request ${a.request_uuid}`}>
          <code>{a.request_uuid.slice(0, 8)}</code>
        </Link>
      ) : (
        '—'
      ),
  },
];

/** The audits table. */
export function AuditsPage() {
  return (
    <>
      <PageHeading title="Audits" />
      <PageSection>
        <ResourceTable<Audit> path="/api/audits" label="Audits" columns={COLUMNS} expand={(a) => (auditChanges(a.action, a.audited_changes).length > 0 ? <AuditDetails audit={a} /> : null)} />
      </PageSection>
    </>
  );
}
