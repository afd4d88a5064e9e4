/**
 * @module
 * Settings (`/settings`, Remote Execution category): each setting with its description, value
 * and default, edited in place (`PUT /api/settings/:id`): a switch for booleans, a field for
 * numbers and text; the server's 422 (wrong type, unknown value) is shown on the row. Secret
 * values show as `*****` and are typed again to change.
 */
import { Alert, Button, Switch, TextInput } from '@patternfly/react-core';
import { PageSection } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { useList } from '../../api/hooks.ts';
import { useApi } from '../../api/session.tsx';
import type { Setting } from '../../api/types.ts';
import { PageHeading } from '../../components/PageHeading.tsx';

const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

function SettingValue({ setting, onError }: { setting: Setting; onError: (name: string, message: string | null) => void }) {
  const api = useApi();
  const queries = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const save = (value: unknown) => {
    onError(setting.name, null);
    api
      .put(`/api/settings/${setting.id ?? setting.name}`, { setting: { value } })
      .then(async () => {
        setDraft(null);
        await queries.invalidateQueries();
      })
      .catch((e: unknown) => onError(setting.name, e instanceof Error ? e.message : String(e)));
  };
  if (setting.readonly) return <code>{text(setting.value)}</code>;
  if (setting.settings_type === 'boolean') {
    return <Switch id={`setting-${setting.name}`} aria-label={setting.name} isChecked={setting.value === true} onChange={(_e, on) => save(on)} />;
  }
  const shown = draft ?? text(setting.value);
  return (
    <form
      style={{ display: 'flex', gap: 8 }}
      onSubmit={(e) => {
        e.preventDefault();
        save(setting.settings_type === 'integer' && /^-?\d+$/.test(shown.trim()) ? Number(shown) : shown);
      }}
    >
      <TextInput aria-label={setting.name} type={setting.encrypted ? 'password' : 'text'} value={shown} onChange={(_e, v) => setDraft(v)} />
      <Button type="submit" variant="secondary" isDisabled={draft === null} aria-label={`Save ${setting.name}`}>
        Save
      </Button>
    </form>
  );
}

/** The settings table. */
export function SettingsPage() {
  const q = useList<Setting>('/api/settings', { per_page: 1000 });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const onError = (name: string, message: string | null) =>
    setErrors((e) => {
      const next = { ...e };
      if (message === null) delete next[name];
      else next[name] = message;
      return next;
    });
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
              <Th>Default</Th>
              <Th>Description</Th>
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((s) => (
              <Tr key={s.name}>
                <Td>
                  {s.full_name ?? s.name}
                  <br />
                  <small>
                    <code>{s.name}</code>
                  </small>
                </Td>
                <Td>
                  <SettingValue setting={s} onError={onError} />
                  {errors[s.name] ? <Alert variant="danger" isInline isPlain title={errors[s.name]} /> : null}
                </Td>
                <Td>
                  <code>{text(s.default)}</code>
                </Td>
                <Td>{s.description ?? ''}</Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      </PageSection>
    </>
  );
}
