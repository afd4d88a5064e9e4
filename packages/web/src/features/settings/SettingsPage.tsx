/**
 * @module
 * Settings (`/settings`): read-only, Remote Execution category.
 */
import { PageSection } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';

import { useList } from '../../api/hooks.ts';
import type { Setting } from '../../api/types.ts';
import { PageHeading } from '../../components/PageHeading.tsx';

/** The settings table. */
export function SettingsPage() {
  const q = useList<Setting>('/api/settings');
  const rows = (q.data?.results ?? []).filter((s) => s.category === 'Remote Execution');
  return (
    <>
      <PageHeading title="Settings" />
      <PageSection>
        {q.error ? <p role="alert">{q.error.message}</p> : null}
        <Table aria-label="Remote Execution settings" variant="compact">
          <Thead>
            <Tr>
              <Th>Name</Th>
              <Th>Value</Th>
              <Th>Category</Th>
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((s) => (
              <Tr key={s.name}>
                <Td>{s.name}</Td>
                <Td>
                  <code>{typeof s.value === 'string' ? s.value : JSON.stringify(s.value)}</code>
                </Td>
                <Td>{s.category}</Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      </PageSection>
    </>
  );
}
