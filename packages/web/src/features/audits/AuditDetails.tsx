/**
 * @module
 * The changed fields of one audit, before and after (an audit row's expanded details); a text
 * changed over several lines (a template) as a line diff.
 */
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import type { ReactNode } from 'react';

import type { Audit } from '../../api/types.ts';
import { DiffView } from '../../components/DiffView.tsx';
import { lineDiff } from '../../components/line-diff.ts';
import { auditChanges, fullText, isMultiline } from './audit-changes.ts';

const VALUE_STYLE = { whiteSpace: 'pre-wrap', wordBreak: 'break-word' } as const;

/** The before/after table of `audit`. */
export function AuditDetails({ audit }: { audit: Audit }): ReactNode {
  const changes = auditChanges(audit.action, audit.audited_changes);
  if (changes.length === 0) return <p>No fields recorded.</p>;
  return (
    <Table aria-label={`Changes of audit ${audit.id}`} variant="compact" borders={false}>
      <Thead>
        <Tr>
          <Th width={15}>Field</Th>
          <Th>Before</Th>
          <Th>After</Th>
        </Tr>
      </Thead>
      <Tbody>
        {changes.map((c) => (
          <Tr key={c.field}>
            <Td dataLabel="Field">
              <strong>{c.field}</strong>
            </Td>
            {isMultiline(c) ? (
              <Td colSpan={2} dataLabel="Diff">
                <DiffView lines={lineDiff(c.before, c.after)} label={`Diff of ${c.field}`} />
              </Td>
            ) : (
              <>
                <Td dataLabel="Before" style={VALUE_STYLE}>
                  {fullText(c.before)}
                </Td>
                <Td dataLabel="After" style={VALUE_STYLE}>
                  {fullText(c.after)}
                </Td>
              </>
            )}
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}
