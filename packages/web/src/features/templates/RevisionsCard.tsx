/**
 * @module
 * Revisions of a job template with a line diff: each revision against the one before it, or
 * any two chosen, newest first (`/api/job_templates/:id/revisions`).
 */
import { FormGroup, FormSelect, FormSelectOption } from '@patternfly/react-core';
import { useMemo, useState } from 'react';

import { useList } from '../../api/hooks.ts';
import type { TemplateRevision } from '../../api/types.ts';
import { DiffView } from '../../components/DiffView.tsx';
import { lineDiff } from '../../components/line-diff.ts';

/** The revisions picker and diff. */
export function RevisionsCard({ templateId }: { templateId: number }) {
  const q = useList<TemplateRevision>(`/api/job_templates/${templateId}/revisions`, { per_page: 100, order: 'version desc' });
  const revisions = useMemo(() => [...(q.data?.results ?? [])].sort((a, b) => b.version - a.version), [q.data]);
  const [newer, setNewer] = useState<number | null>(null);
  const [older, setOlder] = useState<number | null>(null);
  const right = revisions.find((r) => r.version === newer) ?? revisions[0];
  const left = revisions.find((r) => r.version === older) ?? revisions.find((r) => right !== undefined && r.version < right.version);
  const diff = right && left ? lineDiff(left.template, right.template) : [];
  const label = (r: TemplateRevision) => `v${r.version} · ${r.action} · ${r.user ?? '—'} · ${new Date(r.created_at).toLocaleString()}`;
  if (revisions.length === 0) return <p>No revisions yet.</p>;
  return (
    <>
      <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
        <FormGroup label="Older" fieldId="revision-older">
          <FormSelect id="revision-older" value={left ? String(left.version) : ''} onChange={(_e, v) => setOlder(Number(v))}>
            {revisions.map((r) => (
              <FormSelectOption key={r.version} value={String(r.version)} label={label(r)} />
            ))}
          </FormSelect>
        </FormGroup>
        <FormGroup label="Newer" fieldId="revision-newer">
          <FormSelect id="revision-newer" value={right ? String(right.version) : ''} onChange={(_e, v) => setNewer(Number(v))}>
            {revisions.map((r) => (
              <FormSelectOption key={r.version} value={String(r.version)} label={label(r)} />
            ))}
          </FormSelect>
        </FormGroup>
      </div>
      {left && right ? (
        <DiffView lines={diff} label="Revision diff" />
      ) : (
        <p>Only one revision: nothing to compare.</p>
      )}
    </>
  );
}
