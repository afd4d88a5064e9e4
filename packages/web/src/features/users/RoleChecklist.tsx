/**
 * @module
 * A checklist of every role (built-in ones marked), for a user's `role_ids`.
 */
import { Checkbox, Label } from '@patternfly/react-core';
import type { Role } from '@remex/common';

import { useList } from '../../api/hooks.ts';

/** Checkboxes of all roles; `selected` are the checked role ids. */
export function RoleChecklist({ selected, onChange }: { selected: readonly number[]; onChange: (ids: number[]) => void }) {
  const roles = useList<Role>('/api/roles', { per_page: 1000, order: 'name' });
  if (roles.error) return <p role="alert">{roles.error.message}</p>;
  return (
    <>
      {(roles.data?.results ?? []).map((r) => (
        <Checkbox
          key={r.id}
          id={`role-${r.id}`}
          label={
            <>
              {r.name} {r.builtin ? <Label isCompact>built-in</Label> : null}
            </>
          }
          isChecked={selected.includes(r.id)}
          onChange={(_e, on) => onChange(on ? [...selected, r.id] : selected.filter((id) => id !== r.id))}
        />
      ))}
    </>
  );
}
