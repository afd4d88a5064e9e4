/**
 * @module
 * Users (`/users`): the searchable list and "Create user" (login, password, names, mail, admin,
 * roles). Who may see or change whom is the server's business (403/404 answers are shown).
 */
import { Alert, Button, Checkbox, Form, FormGroup, Label, Modal, ModalBody, ModalFooter, ModalHeader, PageSection, TextInput } from '@patternfly/react-core';
import type { User } from '@remex/common';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { useApi } from '../../api/session.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { ResourceTable } from '../../components/ResourceTable.tsx';
import type { Column } from '../../components/ResourceTable.tsx';
import { RoleChecklist } from './RoleChecklist.tsx';

const COLUMNS: Column<User>[] = [
  { title: 'Login', sort: 'login', cell: (u) => <Link to={`/users/${u.id}`}>{u.login}</Link> },
  { title: 'Name', sort: 'lastname', cell: (u) => u.name },
  { title: 'Email', sort: 'mail', cell: (u) => u.mail ?? '—' },
  { title: 'Admin', cell: (u) => (u.admin ? <Label isCompact color="orange">admin</Label> : '—') },
  { title: 'Roles', cell: (u) => (u.roles ?? []).map((r) => r.name).join(', ') || '—' },
];

function CreateUser({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState({ login: '', password: '', firstname: '', lastname: '', mail: '', admin: false });
  const [roleIds, setRoleIds] = useState<number[]>([]);
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof form) => (_e: unknown, v: string | boolean) => setForm((f) => ({ ...f, [k]: v }));
  const submit = () => {
    const user = { ...form, firstname: form.firstname || undefined, lastname: form.lastname || undefined, mail: form.mail || undefined, role_ids: roleIds };
    api
      .post<User>('/api/users', { user })
      .then((u) => {
        void queries.invalidateQueries();
        onClose();
        void navigate(`/users/${u.id}`);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <Modal isOpen onClose={onClose} variant="medium" aria-labelledby="create-user-title">
      <ModalHeader title="Create user" labelId="create-user-title" />
      <ModalBody>
        {error ? <Alert variant="danger" isInline title={error} /> : null}
        <Form id="create-user" onSubmit={(e) => { e.preventDefault(); submit(); }}>
          <FormGroup label="Login" isRequired fieldId="u-login"><TextInput id="u-login" isRequired value={form.login} onChange={set('login')} /></FormGroup>
          <FormGroup label="Password" isRequired fieldId="u-password"><TextInput id="u-password" type="password" isRequired value={form.password} onChange={set('password')} /></FormGroup>
          <FormGroup label="First name" fieldId="u-first"><TextInput id="u-first" value={form.firstname} onChange={set('firstname')} /></FormGroup>
          <FormGroup label="Last name" fieldId="u-last"><TextInput id="u-last" value={form.lastname} onChange={set('lastname')} /></FormGroup>
          <FormGroup label="Email" fieldId="u-mail"><TextInput id="u-mail" type="email" value={form.mail} onChange={set('mail')} /></FormGroup>
          <Checkbox id="u-admin" label="Administrator (all permissions)" isChecked={form.admin} onChange={set('admin')} />
          <FormGroup label="Roles" fieldId="u-roles" role="group"><RoleChecklist selected={roleIds} onChange={setRoleIds} /></FormGroup>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button type="submit" form="create-user">Create</Button>
        <Button variant="link" onClick={onClose}>Cancel</Button>
      </ModalFooter>
    </Modal>
  );
}

/** The users table. */
export function UsersPage() {
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeading title="Users" actions={<Button onClick={() => setCreating(true)}>Create user</Button>} />
      <PageSection>
        <ResourceTable<User> path="/api/users" label="Users" columns={COLUMNS} />
      </PageSection>
      {creating ? <CreateUser onClose={() => setCreating(false)} /> : null}
    </>
  );
}
