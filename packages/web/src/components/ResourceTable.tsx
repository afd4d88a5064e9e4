/**
 * @module
 * A server-side searched, sorted and paginated table of one API resource, with bulk select and
 * expandable rows; its search, page, page size and order live in the URL query string.
 */
import { Alert, Pagination, Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { ExpandableRowContent, Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';

import { useList } from '../api/hooks.ts';
import type { Query } from '../api/client.ts';
import { useTaxonomyQuery } from '../app/taxonomy-context.tsx';
import { SearchBar } from './SearchBar.tsx';

/** One column. */
export interface Column<T> {
  title: string;
  cell: (row: T) => ReactNode;
  /** Field name for `order=`; sortable when given. */
  sort?: string;
}

/** Props of {@link ResourceTable}. */
export interface ResourceTableProps<T extends { id: number }> {
  /** API path of the index route, e.g. `/api/hosts`. */
  path: string;
  /** Autocomplete resource path (default `path`); null for no search bar. */
  searchPath?: string | null;
  columns: Column<T>[];
  label: string;
  /** Extra fixed query parameters. */
  query?: Query;
  /** Bulk selection (ids) when given. */
  selected?: ReadonlySet<number>;
  onSelect?: (ids: Set<number>, rows: T[]) => void;
  /** Toolbar extras (buttons). */
  actions?: ReactNode;
  /** Prefix of the URL parameters (for two tables on one page). */
  prefix?: string;
  /** The resource lives in organizations and locations: the switcher's context applies. */
  taxonomyScoped?: boolean;
  /** Details shown under a row when it is expanded (null: the row has none, no toggle). */
  expand?: (row: T) => ReactNode | null;
}

/** Reads and writes `search`, `page`, `per_page`, `order` of the URL. */
export function useTableParams(prefix = '') {
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(prefix + k) ?? '';
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === '') next.delete(prefix + k);
      else next.set(prefix + k, v);
    }
    setParams(next);
  };
  return {
    search: get('search'),
    page: Number(get('page')) || 1,
    perPage: Number(get('per_page')) || 20,
    order: get('order'),
    set,
  };
}

/** The table. */
export function ResourceTable<T extends { id: number }>(props: ResourceTableProps<T>) {
  const { path, columns, label, selected, onSelect, actions, prefix = '', expand } = props;
  const p = useTableParams(prefix);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number) =>
    setExpanded((old) => {
      const next = new Set(old);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const width = columns.length + (onSelect ? 1 : 0) + (expand ? 1 : 0);
  const fixed = typeof props.query?.search === 'string' ? props.query.search : '';
  const search = fixed && p.search ? `(${fixed}) and (${p.search})` : fixed || p.search;
  const taxonomy = useTaxonomyQuery();
  const q = useList<T>(path, { ...props.query, ...(props.taxonomyScoped === true ? taxonomy : {}), search, page: p.page, per_page: p.perPage, order: p.order });
  const rows = q.data?.results ?? [];
  const searchPath = props.searchPath === undefined ? path : props.searchPath;
  const [orderField, orderDir] = p.order.split(' ');
  const allSelected = rows.length > 0 && rows.every((r) => selected?.has(r.id));
  const select = (ids: Set<number>) => onSelect?.(ids, rows.filter((r) => ids.has(r.id)));
  /** The selection box and the column cells of `row`. */
  const cells = (row: T, r: number) => (
    <>
      {onSelect ? (
        <Td
          select={{
            rowIndex: r,
            isSelected: selected?.has(row.id) ?? false,
            onSelect: (_e, on) => {
              const next = new Set(selected);
              if (on) next.add(row.id);
              else next.delete(row.id);
              select(next);
            },
          }}
        />
      ) : null}
      {columns.map((c) => (
        <Td key={c.title} dataLabel={c.title}>
          {c.cell(row)}
        </Td>
      ))}
    </>
  );
  return (
    <>
      <Toolbar>
        <ToolbarContent>
          {searchPath !== null ? (
            <ToolbarItem style={{ flex: 1 }}>
              <SearchBar resource={searchPath} value={p.search} label={`Search ${label}`} onSearch={(s) => p.set({ search: s, page: '' })} />
            </ToolbarItem>
          ) : null}
          {actions ? <ToolbarItem>{actions}</ToolbarItem> : null}
          <ToolbarItem variant="pagination">
            <Pagination
              itemCount={q.data?.subtotal ?? 0}
              page={p.page}
              perPage={p.perPage}
              isCompact
              onSetPage={(_e, page) => p.set({ page: String(page) })}
              onPerPageSelect={(_e, pp) => p.set({ per_page: String(pp), page: '' })}
              titles={{ paginationAriaLabel: `${label} pagination` }}
            />
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {q.error ? (
        <Alert variant="danger" isInline title={q.error.message} />
      ) : null}
      <Table aria-label={label} variant="compact">
        <Thead>
          <Tr>
            {expand ? <Th screenReaderText="Details" /> : null}
            {onSelect ? <Th select={{ onSelect: (_e, on) => select(on ? new Set([...(selected ?? []), ...rows.map((r) => r.id)]) : new Set()), isSelected: allSelected }} aria-label="Select all" /> : null}
            {columns.map((c, i) => (
              <Th
                key={c.title}
                modifier="wrap"
                sort={
                  c.sort
                    ? {
                        columnIndex: i,
                        sortBy: { index: orderField === c.sort ? i : undefined, direction: orderDir === 'desc' ? 'desc' : 'asc' },
                        onSort: (_e, _i, dir) => p.set({ order: `${c.sort} ${dir}` }),
                      }
                    : undefined
                }
              >
                {c.title}
              </Th>
            ))}
          </Tr>
        </Thead>
        {expand ? (
          rows.map((row, r) => {
            const details = expand(row);
            const open = details !== null && expanded.has(row.id);
            return (
              <Tbody key={row.id} isExpanded={open}>
                <Tr>
                  <Td expand={details === null ? undefined : { rowIndex: r, isExpanded: open, onToggle: () => toggle(row.id) }} />
                  {cells(row, r)}
                </Tr>
                {open ? (
                  <Tr isExpanded>
                    <Td colSpan={width}>
                      <ExpandableRowContent>{details}</ExpandableRowContent>
                    </Td>
                  </Tr>
                ) : null}
              </Tbody>
            );
          })
        ) : (
          <Tbody>
            {rows.map((row, r) => (
              <Tr key={row.id}>{cells(row, r)}</Tr>
            ))}
          </Tbody>
        )}
        {!q.isLoading && rows.length === 0 ? (
          <Tbody>
            <Tr>
              <Td colSpan={width}>No results.</Td>
            </Tr>
          </Tbody>
        ) : null}
      </Table>
    </>
  );
}
