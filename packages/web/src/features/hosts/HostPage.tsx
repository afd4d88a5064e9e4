/**
 * @module
 * One host (`/hosts/:name`): details, parameters, its jobs.
 */
import { Button, Card, CardBody, CardTitle, Grid, GridItem, PageSection } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useNavigate, useParams } from 'react-router';

import { useGet } from '../../api/hooks.ts';
import type { HostDetail, JobInvocation } from '../../api/types.ts';
import { DetailsCard } from '../../components/DetailsCard.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { ResourceTable } from '../../components/ResourceTable.tsx';
import { JOB_COLUMNS } from '../jobs/job-columns.tsx';
import { hostsQuery } from '../job-wizard/targets.ts';
import { ExecutionStatus } from './ExecutionStatus.tsx';

/** Details of one host. */
export function HostPage() {
  const name = useParams().name ?? '';
  const navigate = useNavigate();
  const q = useGet<HostDetail>(`/api/hosts/${encodeURIComponent(name)}`);
  const h = q.data;
  const facts: Array<[string, React.ReactNode]> = h
    ? [
        ['Name', h.name],
        ['IP', h.ip ?? '—'],
        ['Operating system', h.operatingsystem_name ?? '—'],
        ['Host group', h.hostgroup_title ?? h.hostgroup_name ?? '—'],
        ['Subnet', h.subnet_name ?? '—'],
        ['Execution status', <ExecutionStatus key="s" host={h} />],
        ['Comment', h.comment ?? '—'],
      ]
    : [];
  return (
    <>
      <PageHeading
        title={name}
        actions={<Button onClick={() => void navigate(`/job_invocations/new?${new URLSearchParams({ search: hostsQuery([name]) }).toString()}`)}>Schedule remote job</Button>}
      />
      <PageSection>
        {q.error ? <p role="alert">{q.error.message}</p> : null}
        <Grid hasGutter>
          <GridItem md={6}>
            <DetailsCard title="Details" pairs={facts} />
          </GridItem>
          <GridItem md={6}>
            <Card>
              <CardTitle>Parameters</CardTitle>
              <CardBody>
                <Table aria-label="Parameters" variant="compact">
                  <Thead>
                    <Tr>
                      <Th>Name</Th>
                      <Th>Value</Th>
                      <Th>From</Th>
                    </Tr>
                  </Thead>
                  <Tbody>
                    {(h?.all_parameters ?? []).map((p) => (
                      <Tr key={p.name}>
                        <Td>{p.name}</Td>
                        <Td>
                          <code>{p.value}</code>
                        </Td>
                        <Td>{p.associated_type === 'host' ? 'this host' : (p.associated_type ?? 'global')}</Td>
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
              </CardBody>
            </Card>
          </GridItem>
        </Grid>
      </PageSection>
      <PageSection>
        <ResourceTable<JobInvocation> path="/api/job_invocations" searchPath={null} label="Jobs of this host" columns={JOB_COLUMNS} query={{ search: `host = "${name}"` }} prefix="jobs_" />
      </PageSection>
    </>
  );
}
