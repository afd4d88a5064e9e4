/**
 * @module
 * One user (`/users/:id`): details, roles (saved as `role_ids`) and personal access tokens
 * (created with a name and an optional expiry, shown once; revoked).
 */
import { Alert, Button, Card, CardBody, CardTitle, Grid, GridItem, PageSection } from '@patternfly/react-core';
import type { User } from '@remex/common';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';

import { useGet } from '../../api/hooks.ts';
import { useApi } from '../../api/session.tsx';
import { DetailsCard } from '../../components/DetailsCard.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { RoleChecklist } from './RoleChecklist.tsx';
import { TokensCard } from './TokensCard.tsx';

function RolesCard({ user }: { user: User }) {
  const api = useApi();
  const queries = useQueryClient();
  const [ids, setIds] = useState<number[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => setIds((user.roles ?? []).map((r) => r.id)), [user]);
  const save = () => {
    api
      .put<User>(`/api/users/${user.id}`, { user: { role_ids: ids } })
      .then(() => {
        setMessage({ ok: true, text: 'Roles saved' });
        void queries.invalidateQueries();
      })
      .catch((e: unknown) => setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) }));
  };
  return (
    <Card>
      <CardTitle>Roles</CardTitle>
      <CardBody>
        {message ? <Alert variant={message.ok ? 'success' : 'danger'} isInline isPlain title={message.text} /> : null}
        <RoleChecklist selected={ids} onChange={setIds} />
        <Button variant="secondary" onClick={save} style={{ marginTop: '1em' }}>
          Save roles
        </Button>
      </CardBody>
    </Card>
  );
}

/** Details, roles and tokens of one user. */
export function UserPage() {
  const id = useParams().id ?? '';
  const q = useGet<User>(`/api/users/${encodeURIComponent(id)}`);
  const u = q.data;
  const pairs: Array<[string, React.ReactNode]> = u
    ? [
        ['Login', u.login],
        ['Name', u.name],
        ['Email', u.mail ?? '—'],
        ['Administrator', u.admin ? 'yes' : 'no'],
        ['Authorized by', u.auth_source_name],
        ['Locale', u.locale ?? '—'],
        ['Time zone', u.timezone ?? '—'],
        ['Last login', u.last_login_on ?? 'never'],
      ]
    : [];
  return (
    <>
      <PageHeading title={u?.login ?? id} />
      <PageSection>
        {q.error ? <p role="alert">{q.error.message}</p> : null}
        {u ? (
          <Grid hasGutter>
            <GridItem md={6}>
              <DetailsCard title="Details" pairs={pairs} />
            </GridItem>
            <GridItem md={6}>
              <RolesCard user={u} />
            </GridItem>
            <GridItem md={12}>
              <TokensCard userId={u.id} />
            </GridItem>
          </Grid>
        ) : null}
      </PageSection>
    </>
  );
}
