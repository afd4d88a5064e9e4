/**
 * @module
 * Job templates list (`/job_templates`).
 */
import { Label, PageSection } from '@patternfly/react-core';
import { Link } from 'react-router';

import type { JobTemplate } from '../../api/types.ts';
import { PageHeading } from '../../components/PageHeading.tsx';
import { ResourceTable } from '../../components/ResourceTable.tsx';
import type { Column } from '../../components/ResourceTable.tsx';

const COLUMNS: Column<JobTemplate>[] = [
  { title: 'Name', sort: 'name', cell: (t) => <Link to={`/job_templates/${t.id}`}>{t.name}</Link> },
  { title: 'Category', sort: 'job_category', cell: (t) => t.job_category },
  { title: 'Provider', cell: (t) => t.provider_type },
  { title: 'Flags', cell: (t) => <>{t.locked ? <Label isCompact>Locked</Label> : null} {t.snippet ? <Label isCompact>Snippet</Label> : null}</> },
];

/** Templates with search. */
export function TemplatesPage() {
  return (
    <>
      <PageHeading title="Job templates" />
      <PageSection>
        <ResourceTable<JobTemplate> path="/api/job_templates" label="Job templates" columns={COLUMNS} taxonomyScoped />
      </PageSection>
    </>
  );
}
