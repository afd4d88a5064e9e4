/**
 * @module
 * A host's last execution status as a label.
 */
import { Label } from '@patternfly/react-core';

import type { Host } from '../../api/types.ts';

/** `execution_status` 0 → green, else red; the server's label as text. */
export function ExecutionStatus({ host }: { host: Host }) {
  const label = host.execution_status_label ?? '';
  const color = host.execution_status === 0 ? (/no/i.test(label) ? 'grey' : 'green') : 'red';
  return (
    <Label isCompact color={color}>
      {label || '—'}
    </Label>
  );
}
