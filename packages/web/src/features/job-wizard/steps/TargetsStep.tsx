/**
 * @module
 * Wizard step 3: hosts, host groups or a search query; static or dynamic; live count and preview.
 */
import { Form, FormGroup, FormHelperText, HelperText, HelperTextItem, Radio, TextInput } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';

import { useDebounced, useList } from '../../../api/hooks.ts';
import type { Host } from '../../../api/types.ts';
import { SearchBar } from '../../../components/SearchBar.tsx';
import { targetQuery } from '../wizard-state.ts';
import type { StepProps } from './step-props.ts';

/** Live count and first hosts of `query`. */
export function TargetPreview({ query: typed }: { query: string }) {
  const query = useDebounced(typed, 300);
  const q = useList<Host>(query ? '/api/hosts' : null, { search: query, per_page: 10 });
  if (!query) return <p>No hosts selected.</p>;
  if (q.error) return <p role="alert">{q.error.message}</p>;
  const rows = q.data?.results ?? [];
  return (
    <div>
      <p aria-live="polite" data-testid="target-count">
        {q.data ? `${q.data.subtotal} host${q.data.subtotal === 1 ? '' : 's'} match` : 'Counting…'}
      </p>
      <Table aria-label="Matching hosts (preview)" variant="compact">
        <Thead>
          <Tr>
            <Th>Name</Th>
            <Th>Host group</Th>
            <Th>IP</Th>
          </Tr>
        </Thead>
        <Tbody>
          {rows.map((h) => (
            <Tr key={h.id}>
              <Td>{h.name}</Td>
              <Td>{h.hostgroup_title ?? h.hostgroup_name ?? ''}</Td>
              <Td>{h.ip ?? ''}</Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {q.data && q.data.subtotal > rows.length ? <p>… and {q.data.subtotal - rows.length} more</p> : null}
    </div>
  );
}

/** The targets form. */
export function TargetsStep({ state, update }: StepProps) {
  const query = targetQuery(state);
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      <FormGroup role="radiogroup" label="Select hosts by" fieldId="target-mode" isInline>
        <Radio id="target-search" name="target-mode" label="Search query" isChecked={state.targetMode === 'search'} onChange={() => update({ targetMode: 'search' })} />
        <Radio id="target-hosts" name="target-mode" label="Hosts" isChecked={state.targetMode === 'hosts'} onChange={() => update({ targetMode: 'hosts' })} />
        <Radio id="target-hostgroups" name="target-mode" label="Host groups" isChecked={state.targetMode === 'hostgroups'} onChange={() => update({ targetMode: 'hostgroups' })} />
      </FormGroup>
      {state.targetMode === 'search' ? (
        <FormGroup label="Search query" fieldId="target-search-query">
          <SearchBar resource="/api/hosts" value={state.search} label="Host search query" onSearch={(s) => update({ search: s })} onChange={(s) => update({ search: s })} />
        </FormGroup>
      ) : state.targetMode === 'hosts' ? (
        <FormGroup label="Host names (comma separated)" fieldId="target-host-names">
          <TextInput id="target-host-names" value={state.hosts} onChange={(_e, v) => update({ hosts: v })} />
        </FormGroup>
      ) : (
        <FormGroup label="Host group names (comma separated)" fieldId="target-hostgroup-names">
          <TextInput id="target-hostgroup-names" value={state.hostgroups} onChange={(_e, v) => update({ hostgroups: v })} />
        </FormGroup>
      )}
      <FormGroup role="radiogroup" label="Query type" fieldId="targeting-type" isInline>
        <Radio id="targeting-static" name="targeting-type" label="Static query" isChecked={state.targetingType === 'static_query'} onChange={() => update({ targetingType: 'static_query' })} />
        <Radio id="targeting-dynamic" name="targeting-type" label="Dynamic query" isChecked={state.targetingType === 'dynamic_query'} onChange={() => update({ targetingType: 'dynamic_query' })} />
        <FormHelperText>
          <HelperText>
            <HelperTextItem>Static: the hosts are resolved now. Dynamic: the query is resolved when the job starts.</HelperTextItem>
          </HelperText>
        </FormHelperText>
      </FormGroup>
      <TargetPreview query={query} />
    </Form>
  );
}
