/**
 * @module
 * Roles (`/roles`): the searchable list (built-in roles are locked) and one role's filters
 * (`/roles/:id`): resource type, permissions, search; "Clone" copies a role under a new name.
 */
import { Alert, Button, Form, FormGroup, Label, LabelGroup, PageSection, TextInput } from '@patternfly/react-core';
import type { Role, RoleDetail } from '@remex/common';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { useGet } from '../../api/hooks.ts';
import { useApi } from '../../api/session.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { ResourceTable } from '../../components/ResourceTable.tsx';
import type { Column } from '../../components/ResourceTable.tsx';

const COLUMNS: Column<Role>[] = [
  { title: 'Name', sort: 'name', cell: (r) => <Link to={`/roles/${r.id}`}>{r.name}</Link> },
  { title: 'Description', cell: (r) => r.description ?? '—' },
  { title: 'Locked', cell: (r) => (r.locked ? <Label isCompact>built-in, locked</Label> : '—') },
];

/** The roles table. */
export function RolesPage() {
  return (
    <>
      <PageHeading title="Roles" />
      <PageSection>
        <ResourceTable<Role> path="/api/roles" label="Roles" columns={COLUMNS} />
      </PageSection>
    </>
  );
}

function CloneRole({ role }: { role: RoleDetail }) {
  const api = useApi();
  const navigate = useNavigate();
  const [name, setName] = useState(`${role.name} (copy)`);
  const [error, setError] = useState<string | null>(null);
  const clone = () => {
    api
      .post<Role>(`/api/roles/${role.id}/clone`, { role: { name } })
      .then((r) => void navigate(`/roles/${r.id}`))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <Form isHorizontal onSubmit={(e) => { e.preventDefault(); clone(); }}>
      {error ? <Alert variant="danger" isInline title={error} /> : null}
      <FormGroup label="Clone as" fieldId="clone-name"><TextInput id="clone-name" value={name} onChange={(_e, v) => setName(v)} /></FormGroup>
      <Button type="submit" variant="secondary">Clone role</Button>
    </Form>
  );
}

/** One role and its filters. */
export function RolePage() {
  const id = useParams().id ?? '';
  const q = useGet<RoleDetail>(`/api/roles/${encodeURIComponent(id)}`);
  const role = q.data;
  return (
    <>
      <PageHeading title={role?.name ?? id}>{role?.description ? <p>{role.description}</p> : null}</PageHeading>
      <PageSection>
        {q.error ? <p role="alert">{q.error.message}</p> : null}
        {role ? (
          <>
            <Table aria-label="Filters" variant="compact">
              <Thead>
                <Tr>
                  <Th>Resource</Th>
                  <Th>Permissions</Th>
                  <Th>Search (unlimited when empty)</Th>
                </Tr>
              </Thead>
              <Tbody>
                {role.filters.map((f) => (
                  <Tr key={f.id}>
                    <Td>{f.resource_type}</Td>
                    <Td>
                      <LabelGroup numLabels={12}>
                        {f.permissions.map((p) => (
                          <Label key={p.id} isCompact>
                            {p.name}
                          </Label>
                        ))}
                      </LabelGroup>
                    </Td>
                    <Td>{f.search === null ? '—' : <code>{f.search}</code>}</Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
            <CloneRole role={role} />
          </>
        ) : null}
      </PageSection>
    </>
  );
}
