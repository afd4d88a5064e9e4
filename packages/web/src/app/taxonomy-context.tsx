/**
 * @module
 * The organization and location the user works in now (Foreman's taxonomy switcher): lists of
 * taxable resources ask the server for that context (`?organization_id=`, `?location_id=`).
 * Kept in memory for the tab (nothing in web storage); "Any" shows everything the user may see.
 */
import { FormSelect, FormSelectOption } from '@patternfly/react-core';
import { createContext, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

import { useList } from '../api/hooks.ts';

/** The chosen context (null: any). */
export interface TaxonomyChoice {
  organizationId: number | null;
  locationId: number | null;
}

interface TaxonomyState extends TaxonomyChoice {
  set(choice: Partial<TaxonomyChoice>): void;
}

const Context = createContext<TaxonomyState>({ organizationId: null, locationId: null, set: () => undefined });

/** Holds the choice for the pages below it. */
export function TaxonomyProvider({ children }: { children: ReactNode }) {
  const [choice, setChoice] = useState<TaxonomyChoice>({ organizationId: null, locationId: null });
  const value = useMemo<TaxonomyState>(() => ({ ...choice, set: (c) => setChoice((old) => ({ ...old, ...c })) }), [choice]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** The query parameters of the current context (empty for "any"). */
export function useTaxonomyQuery(): Record<string, string> {
  const { organizationId, locationId } = useContext(Context);
  return useMemo(
    () => ({
      ...(organizationId === null ? {} : { organization_id: String(organizationId) }),
      ...(locationId === null ? {} : { location_id: String(locationId) }),
    }),
    [organizationId, locationId],
  );
}

/** The masthead's two selects (shown once some organization or location exists). */
export function TaxonomySwitcher() {
  const state = useContext(Context);
  const orgs = useList<{ id: number; title: string }>('/api/organizations', { per_page: 1000 });
  const locs = useList<{ id: number; title: string }>('/api/locations', { per_page: 1000 });
  const organizations = orgs.data?.results ?? [];
  const locations = locs.data?.results ?? [];
  if (organizations.length === 0 && locations.length === 0) return null;
  const pick = (v: string): number | null => (v === '' ? null : Number(v));
  return (
    <span style={{ display: 'inline-flex', gap: 8, marginRight: 16 }}>
      <FormSelect aria-label="Organization" value={state.organizationId === null ? '' : String(state.organizationId)} onChange={(_e, v) => state.set({ organizationId: pick(v) })} style={{ minWidth: 180 }}>
        <FormSelectOption value="" label="Any organization" />
        {organizations.map((o) => (
          <FormSelectOption key={o.id} value={String(o.id)} label={o.title} />
        ))}
      </FormSelect>
      <FormSelect aria-label="Location" value={state.locationId === null ? '' : String(state.locationId)} onChange={(_e, v) => state.set({ locationId: pick(v) })} style={{ minWidth: 160 }}>
        <FormSelectOption value="" label="Any location" />
        {locations.map((l) => (
          <FormSelectOption key={l.id} value={String(l.id)} label={l.title} />
        ))}
      </FormSelect>
    </span>
  );
}
