/**
 * @module
 * The hosts of a job with Foreman's status filter and the live output of the chosen host.
 */
import { Button, Pagination, ToggleGroup, ToggleGroupItem } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';

import type { JobStreamState } from '../../api/hooks.ts';
import { useHostOutput, useList, useThrottled } from '../../api/hooks.ts';
import type { JobHost } from '../../api/types.ts';
import { OutputViewer } from '../../components/OutputViewer.tsx';
import { toLines } from '../../components/output-lines.ts';
import { SearchBar } from '../../components/SearchBar.tsx';
import { StatusLabel } from '../../components/StatusLabel.tsx';

/** The status chips and their searches. */
export const STATUS_FILTERS: Array<[string, string, string]> = [
  ['all', 'All statuses', ''],
  ['succeeded', 'Succeeded', 'job_invocation.result = success'],
  ['failed', 'Failed', 'job_invocation.result = failed'],
  ['in_progress', 'In progress', 'job_invocation.result = pending'],
  ['cancelled', 'Cancelled', 'job_invocation.result = cancelled'],
];

/** Hosts table + per-host output following live. */
export function JobHosts({ jobId, stream }: { jobId: number; stream: JobStreamState }) {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'all';
  const search = params.get('host_search') ?? '';
  const chosen = Number(params.get('host')) || null;
  const statusSearch = STATUS_FILTERS.find((f) => f[0] === status)?.[2] ?? '';
  const full = statusSearch && search ? `(${statusSearch}) and (${search})` : statusSearch || search;
  const path = `/api/job_invocations/${jobId}/hosts`;
  const page = Number(params.get('hosts_page')) || 1;
  const perPage = Number(params.get('hosts_per_page')) || 50;
  const q = useList<JobHost>(path, { search: full, page, per_page: perPage });
  const client = useQueryClient();
  // Refetched as hosts end (at most once a second) and when the job is done.
  const finished = useThrottled(stream.finished, 1000);
  useEffect(() => {
    void client.invalidateQueries({ predicate: (x) => typeof x.queryKey[0] === 'string' && x.queryKey[0].startsWith(`${path}?`) });
  }, [client, path, finished, stream.done]);
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k === 'host_search') next.delete('hosts_page');
    setParams(next, { replace: true });
  };
  const rows = q.data?.results ?? [];
  const chosenOutput = useHostOutput(jobId, chosen);
  const chosenLines = useMemo(() => toLines(chosenOutput), [chosenOutput]);
  const chosenName = rows.find((r) => r.id === chosen)?.name ?? stream.hosts.get(chosen ?? 0)?.host_name ?? (chosen ? `#${chosen}` : '');
  return (
    <section aria-label="Job hosts">
      <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', alignItems: 'center', marginBottom: 8 }}>
        <ToggleGroup aria-label="Filter hosts by status">
          {STATUS_FILTERS.map(([key, text]) => (
            <ToggleGroupItem key={key} text={text} buttonId={`status-${key}`} isSelected={status === key} onChange={() => {
                const next = new URLSearchParams(params);
                if (key === 'all') next.delete('status');
                else next.set('status', key);
                next.delete('hosts_page');
                setParams(next, { replace: true });
              }} />
          ))}
        </ToggleGroup>
        <SearchBar resource="/api/hosts" value={search} label="Search job hosts" onSearch={(s) => set('host_search', s)} />
        <span aria-live="polite">{q.data ? `${q.data.subtotal} of ${q.data.total} hosts` : ''}</span>
        <Pagination
          itemCount={q.data?.subtotal ?? 0}
          page={page}
          perPage={perPage}
          perPageOptions={[20, 50, 100, 500].map((n) => ({ title: String(n), value: n }))}
          isCompact
          onSetPage={(_e, p) => set('hosts_page', p === 1 ? '' : String(p))}
          onPerPageSelect={(_e, pp) => {
            const next = new URLSearchParams(params);
            next.set('hosts_per_page', String(pp));
            next.delete('hosts_page');
            setParams(next, { replace: true });
          }}
          titles={{ paginationAriaLabel: 'Job hosts pagination' }}
        />
      </div>
      {q.error ? <p role="alert">{q.error.message}</p> : null}
      <Table aria-label="Hosts of this job" variant="compact">
        <Thead>
          <Tr>
            <Th>Host</Th>
            <Th>Status</Th>
            <Th>Exit</Th>
            <Th>Output</Th>
          </Tr>
        </Thead>
        <Tbody>
          {rows.map((h) => {
            const live = stream.hosts.get(h.id);
            return (
              <Tr key={h.id} isRowSelected={h.id === chosen}>
                <Td dataLabel="Host">
                  <Link to={`/hosts/${encodeURIComponent(h.name)}`}>{h.name}</Link>
                </Td>
                <Td dataLabel="Status">
                  <StatusLabel host={live?.job_status ?? h.job_status} />
                </Td>
                <Td dataLabel="Exit">{live?.exit_status ?? h.exit_status ?? ''}</Td>
                <Td dataLabel="Output">
                  <Button variant="link" isInline onClick={() => set('host', h.id === chosen ? '' : String(h.id))} aria-pressed={h.id === chosen}>
                    {h.id === chosen ? 'Hide output' : 'Show output'}
                  </Button>
                </Td>
              </Tr>
            );
          })}
        </Tbody>
      </Table>
      {chosen ? (
        <div style={{ marginTop: 8 }}>
          <h3>Output of {chosenName}</h3>
          <OutputViewer lines={chosenLines} label={`Output of ${chosenName}`} />
        </div>
      ) : null}
    </section>
  );
}
