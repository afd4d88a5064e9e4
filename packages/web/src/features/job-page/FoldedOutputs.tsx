/**
 * @module
 * Identical outputs of a job's hosts folded into groups with their host lists (like `clush -b`),
 * from the bulk outputs endpoint: its first page (1,000 hosts), with a note when the job has more
 * hosts or the server cut the answer's size.
 */
import { Card, CardBody, CardTitle, Label, LabelGroup } from '@patternfly/react-core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';

import { withQuery } from '../../api/client.ts';
import { useGet, useList, useThrottled } from '../../api/hooks.ts';
import type { HostOutputs, JobHost } from '../../api/types.ts';
import { OutputViewer } from '../../components/OutputViewer.tsx';
import { foldOutputs, toLines } from '../../components/output-lines.ts';
import type { OutputGroup } from '../../components/output-lines.ts';

/** The folded view of one output group. */
export function OutputGroupCard({ group, index }: { group: OutputGroup; index: number }) {
  return (
    <Card isCompact className="remex-output-group" data-hosts={group.hosts.length}>
      <CardTitle>
        {group.hosts.length} host{group.hosts.length === 1 ? '' : 's'}
        <LabelGroup numLabels={12} aria-label={`Hosts of output group ${index + 1}`}>
          {group.hosts.map((h) => (
            <Label key={h} isCompact>
              {h}
            </Label>
          ))}
        </LabelGroup>
      </CardTitle>
      <CardBody>
        <OutputViewer lines={group.lines} label={`Output of group ${index + 1}`} height={Math.min(300, 24 + group.lines.length * 20)} toggles={false} follow={false} />
      </CardBody>
    </Card>
  );
}

/** Folded outputs of job `jobId`; refreshed whenever `finished` (hosts that ended) changes. */
export function FoldedOutputs({ jobId, finished }: { jobId: number; finished: number }) {
  const path = `/api/job_invocations/${jobId}/outputs`;
  const q = useGet<{ outputs: HostOutputs[]; total?: number; truncated?: boolean }>(path);
  // Names of the hosts whose outputs are shown (the outputs name hosts by id, as Foreman's do).
  const hostList = useList<JobHost>(`/api/job_invocations/${jobId}/hosts`, { per_page: 1000 });
  const names = useMemo(() => new Map((hostList.data?.results ?? []).map((h) => [h.id, h.name])), [hostList.data]);
  const client = useQueryClient();
  // Refetched as hosts end, at most once a second (a big job ends many hosts a second).
  const tick = useThrottled(finished, 1000);
  useEffect(() => {
    void client.invalidateQueries({ queryKey: [withQuery(path)] });
  }, [client, path, tick]);
  const groups = useMemo(
    () =>
      foldOutputs(
        (q.data?.outputs ?? []).map((o) => ({
          host: names.get(o.host_id) ?? `#${o.host_id}`,
          lines: typeof o.output === 'string' ? toLines([{ output_type: 'stdout', output: o.output }]) : toLines(o.output),
        })),
      ),
    [q.data, names],
  );
  const shown = q.data?.outputs.length ?? 0;
  const total = q.data?.total ?? shown;
  return (
    <section aria-label="Folded outputs">
      {total > shown ? (
        <p className="remex-folded-note">
          Outputs of the first {shown.toLocaleString('en')} of {total.toLocaleString('en')} hosts; every host&apos;s output is on its row of the hosts table.
        </p>
      ) : null}
      {q.data?.truncated ? <p className="remex-folded-note">Some outputs were cut to keep the answer small; a host&apos;s row shows its whole output.</p> : null}
      {groups.map((g, i) => (
        <OutputGroupCard key={g.hosts.join(',')} group={g} index={i} />
      ))}
      {groups.length === 0 ? <p>No output yet.</p> : null}
    </section>
  );
}
