/**
 * @module
 * Columns of job tables (jobs list, a host's jobs).
 */
import { Link } from 'react-router';

import type { JobInvocation } from '../../api/types.ts';
import type { Column } from '../../components/ResourceTable.tsx';
import { StatusLabel } from '../../components/StatusLabel.tsx';

/** A date for tables (local time), or a dash. */
export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** Columns of a job list. */
export const JOB_COLUMNS: Column<JobInvocation>[] = [
  { title: 'Description', sort: 'description', cell: (j) => <Link to={`/job_invocations/${j.id}`}>{j.description || `Job ${j.id}`}</Link> },
  { title: 'Status', cell: (j) => <StatusLabel job={j.status_label} /> },
  { title: 'Succeeded', cell: (j) => `${j.succeeded ?? '—'} / ${j.total ?? '—'}` },
  { title: 'Category', sort: 'job_category', cell: (j) => j.job_category ?? '' },
  { title: 'Owner', cell: (j) => j.user ?? '' },
  { title: 'Started', sort: 'started_at', cell: (j) => when(j.started_at ?? j.start_at) },
];
