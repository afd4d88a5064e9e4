/**
 * @module
 * The wizard's view of a template: its `template_inputs` widened to every input it offers,
 * borrowed ones included (see {@link effectiveInputs}).
 */
import { useQuery } from '@tanstack/react-query';

import { useApi } from '../../api/session.tsx';
import type { JobTemplate } from '../../api/types.ts';
import { effectiveInputs, hasForeignInputs } from './effective-inputs.ts';

/** `template` with its offered inputs (undefined while the borrowed ones load), and a load error. */
export function useOfferedInputs(template: JobTemplate | undefined): { template: JobTemplate | undefined; error: string | null } {
  const api = useApi();
  const borrows = template !== undefined && hasForeignInputs(template);
  const q = useQuery({
    queryKey: ['offered-inputs', template?.id, JSON.stringify(template?.foreign_input_sets ?? [])],
    queryFn: () => (template ? effectiveInputs(template, (id) => api.get<JobTemplate>(`/api/job_templates/${id}`)) : Promise.resolve([])),
    enabled: borrows,
  });
  if (!template || !borrows) return { template, error: null };
  return { template: q.data ? { ...template, template_inputs: q.data } : undefined, error: q.error?.message ?? null };
}
