/**
 * @module
 * Recurring logics (`/recurring_logics`, foreman-tasks' page): cron line, purpose, occurrences
 * made, next occurrence and state, with cancel, disable and enable.
 */
import { Alert, Button, Label, PageSection } from '@patternfly/react-core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';

import { useApi } from '../../api/session.tsx';
import type { RecurringLogic } from '../../api/types.ts';
import { PageHeading } from '../../components/PageHeading.tsx';
import { ResourceTable } from '../../components/ResourceTable.tsx';
import type { Column } from '../../components/ResourceTable.tsx';

const STATE_COLORS: Record<string, 'green' | 'orange' | 'grey' | 'blue'> = { active: 'green', disabled: 'orange', cancelled: 'grey', finished: 'blue' };

function Actions({ logic, onError }: { logic: RecurringLogic; onError: (message: string | null) => void }) {
  const api = useApi();
  const queries = useQueryClient();
  const act = (call: () => Promise<unknown>) => {
    onError(null);
    call()
      .then(() => queries.invalidateQueries())
      .catch((e: unknown) => onError(e instanceof Error ? e.message : String(e)));
  };
  if (logic.state === 'cancelled' || logic.state === 'finished') return null;
  const enabled = logic.state === 'active';
  return (
    <>
      <Button variant="link" isInline onClick={() => act(() => api.put(`/api/recurring_logics/${logic.id}`, { recurring_logic: { enabled: !enabled } }))} aria-label={`${enabled ? 'Disable' : 'Enable'} recurring logic ${logic.id}`}>
        {enabled ? 'Disable' : 'Enable'}
      </Button>{' '}
      <Button variant="link" isInline isDanger onClick={() => act(() => api.post(`/api/recurring_logics/${logic.id}/cancel`, {}))} aria-label={`Cancel recurring logic ${logic.id}`}>
        Cancel
      </Button>
    </>
  );
}

/** The recurring logics table. */
export function RecurringLogicsPage() {
  const [error, setError] = useState<string | null>(null);
  const columns: Column<RecurringLogic>[] = [
    { title: 'ID', sort: 'id', cell: (r) => <Link to={`/job_invocations?search=${encodeURIComponent(`recurring_logic.id = ${r.id}`)}`}>{r.id}</Link> },
    { title: 'Cron line', cell: (r) => <code>{r.cron_line}</code> },
    { title: 'Purpose', sort: 'purpose', cell: (r) => r.purpose ?? '—' },
    { title: 'Iterations', cell: (r) => (r.max_iteration === null ? String(r.iteration) : `${r.iteration} / ${r.max_iteration}`) },
    { title: 'Next occurrence', sort: 'next_occurrence', cell: (r) => (r.next_occurrence ? new Date(r.next_occurrence).toLocaleString() : '—') },
    { title: 'Ends', cell: (r) => (r.end_time ? new Date(r.end_time).toLocaleString() : '—') },
    {
      title: 'State',
      sort: 'state',
      cell: (r) => (
        <Label isCompact color={STATE_COLORS[r.state] ?? 'grey'}>
          {r.state}
        </Label>
      ),
    },
    { title: 'Actions', cell: (r) => <Actions logic={r} onError={setError} /> },
  ];
  return (
    <>
      <PageHeading title="Recurring logics" />
      <PageSection>
        {error ? <Alert variant="danger" isInline title={error} /> : null}
        <ResourceTable<RecurringLogic> path="/api/recurring_logics" label="Recurring logics" columns={columns} />
      </PageSection>
    </>
  );
}
