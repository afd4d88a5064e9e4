/**
 * @module
 * The jobs list (`/job_invocations`).
 */
import { Button, PageSection } from '@patternfly/react-core';
import { useNavigate } from 'react-router';

import type { JobInvocation } from '../../api/types.ts';
import { PageHeading } from '../../components/PageHeading.tsx';
import { ResourceTable } from '../../components/ResourceTable.tsx';
import { JOB_COLUMNS } from './job-columns.tsx';
import { RunCommandForm } from './RunCommandForm.tsx';

/** Jobs with search, status and pagination. */
export function JobsPage() {
  const navigate = useNavigate();
  return (
    <>
      <PageHeading title="Jobs" actions={<Button onClick={() => void navigate('/job_invocations/new')}>Run job</Button>} />
      <PageSection>
        <RunCommandForm />
      </PageSection>
      <PageSection>
        <ResourceTable<JobInvocation> path="/api/job_invocations" label="Jobs" columns={JOB_COLUMNS} />
      </PageSection>
    </>
  );
}
