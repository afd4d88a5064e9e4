/**
 * @module
 * Status words and colours of jobs and job hosts (Foreman's words).
 */
import { Label } from '@patternfly/react-core';

import type { JobHostStatus, JobStatusLabel } from '../api/types.ts';

type Color = 'green' | 'red' | 'blue' | 'grey' | 'orange' | 'purple';

const HOST: Record<JobHostStatus, [string, Color]> = {
  success: ['Succeeded', 'green'],
  error: ['Failed', 'red'],
  planned: ['Scheduled', 'purple'],
  running: ['Running', 'blue'],
  pending: ['Pending', 'blue'],
  cancelled: ['Cancelled', 'orange'],
  'N/A': ['Awaiting start', 'grey'],
};

const JOB: Record<JobStatusLabel, [string, Color]> = {
  succeeded: ['Succeeded', 'green'],
  failed: ['Failed', 'red'],
  queued: ['Queued', 'purple'],
  running: ['Running', 'blue'],
  cancelled: ['Cancelled', 'orange'],
};

/** The word Foreman shows for a host status. */
export function hostStatusWord(s: JobHostStatus): string {
  return HOST[s][0];
}

/** A label for a job status or a job host status. */
export function StatusLabel({ job, host }: { job?: JobStatusLabel; host?: JobHostStatus }) {
  const [text, color] = job ? JOB[job] : host ? HOST[host] : ['Unknown', 'grey' as Color];
  return (
    <Label color={color} isCompact>
      {text}
    </Label>
  );
}
