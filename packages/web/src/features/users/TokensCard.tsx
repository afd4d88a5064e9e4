/**
 * @module
 * A user's personal access tokens: the list (active, expiry, last use), "Create" (name and an
 * optional expiry; the token is shown once) and "Revoke".
 */
import { Alert, Button, Card, CardBody, CardTitle, ClipboardCopy, Form, FormGroup, Label, TextInput } from '@patternfly/react-core';
import type { PersonalAccessToken, PersonalAccessTokenCreated } from '@remex/common';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { useList } from '../../api/hooks.ts';
import { useApi } from '../../api/session.tsx';

/** The value of a fresh token, shown once. */
function NewToken({ value }: { value: string }) {
  return (
    <Alert variant="info" isInline title="Copy the token now: it is not shown again">
      <ClipboardCopy isReadOnly hoverTip="Copy" clickTip="Copied" textAriaLabel="New token" toggleAriaLabel="Show the new token">
        {value}
      </ClipboardCopy>
    </Alert>
  );
}

/** The tokens of user `userId`. */
export function TokensCard({ userId }: { userId: number }) {
  const api = useApi();
  const queries = useQueryClient();
  const path = `/api/users/${userId}/personal_access_tokens`;
  const tokens = useList<PersonalAccessToken>(path, { per_page: 100 });
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const done = () => void queries.invalidateQueries();
  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));
  const create = () => {
    setError(null);
    const body = { personal_access_token: { name, ...(expires === '' ? {} : { expires_at: new Date(expires).toISOString() }) } };
    api
      .post<PersonalAccessTokenCreated>(path, body)
      .then((t) => {
        setCreated(t.token_value);
        setName('');
        setExpires('');
        done();
      })
      .catch(fail);
  };
  return (
    <Card>
      <CardTitle>Personal access tokens</CardTitle>
      <CardBody>
        {error ? <Alert variant="danger" isInline title={error} /> : null}
        {created ? <NewToken value={created} /> : null}
        <Form isHorizontal onSubmit={(e) => { e.preventDefault(); create(); }}>
          <FormGroup label="Name" isRequired fieldId="token-name"><TextInput id="token-name" isRequired value={name} onChange={(_e, v) => setName(v)} /></FormGroup>
          <FormGroup label="Expires" fieldId="token-expires"><TextInput id="token-expires" type="datetime-local" value={expires} onChange={(_e, v) => setExpires(v)} /></FormGroup>
          <Button type="submit" variant="secondary">Create token</Button>
        </Form>
        <Table aria-label="Personal access tokens" variant="compact">
          <Thead>
            <Tr>
              <Th>Name</Th>
              <Th>Expires</Th>
              <Th>Last used</Th>
              <Th>State</Th>
              <Th screenReaderText="Actions" />
            </Tr>
          </Thead>
          <Tbody>
            {(tokens.data?.results ?? []).map((t) => (
              <Tr key={t.id}>
                <Td>{t.name}</Td>
                <Td>{t.expires_at ?? 'never'}</Td>
                <Td>{t.last_used_at ?? 'never'}</Td>
                <Td>{t.active ? <Label isCompact color="green">active</Label> : <Label isCompact>{t.revoked ? 'revoked' : 'expired'}</Label>}</Td>
                <Td>
                  {t.active ? (
                    <Button variant="link" isInline isDanger aria-label={`Revoke ${t.name}`} onClick={() => void api.del(`${path}/${t.id}`).then(done, fail)}>
                      Revoke
                    </Button>
                  ) : null}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      </CardBody>
    </Card>
  );
}
