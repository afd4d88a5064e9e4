/**
 * @module
 * One job (`/job_invocations/:id`): overview, live progress donut, hosts with status filter and
 * live output, folded identical outputs, and the job actions.
 */
import {
  Alert,
  Button,
  Card,
  CardBody,
  CardTitle,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Grid,
  GridItem,
  PageSection,
  Tab,
  Tabs,
  TabTitleText,
} from '@patternfly/react-core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';

import { withQuery } from '../../api/client.ts';
import { useGet, useJobStream } from '../../api/hooks.ts';
import { useApi } from '../../api/session.tsx';
import type { JobInvocation } from '../../api/types.ts';
import { DetailsCard } from '../../components/DetailsCard.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { StatusDonut } from '../../components/StatusDonut.tsx';
import type { DonutSlice } from '../../components/StatusDonut.tsx';
import { StatusLabel } from '../../components/StatusLabel.tsx';
import { when } from '../jobs/job-columns.tsx';
import { cancelJob, rerunJob } from './job-actions.ts';
import { FoldedOutputs } from './FoldedOutputs.tsx';
import { JobHosts } from './JobHosts.tsx';

const num = (v: number | string | undefined): number => (typeof v === 'number' ? v : 0);

/** The job page. */
export function JobPage() {
  const id = Number(useParams().id);
  const api = useApi();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'hosts';
  const path = `/api/job_invocations/${id}`;
  // Without its host list (10,000 hosts would make the page slow to open): the hosts table pages them.
  const q = useGet<JobInvocation>(path, { include_hosts: 'false' });
  const stream = useJobStream(id);
  const awaiting = useGet<{ subtotal: number }>(`${path}/hosts`, { awaiting: 'true', per_page: 1 });
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const statusLabel = stream.progress?.status_label ?? q.data?.status_label;
  useEffect(() => {
    void client.invalidateQueries({ queryKey: [withQuery(path, { include_hosts: 'false' })] });
  }, [client, path, statusLabel]);
  useEffect(() => {
    void client.invalidateQueries({ queryKey: [`${path}/hosts?awaiting=true&per_page=1`] });
  }, [client, path, stream.progress?.pending]);
  const job = q.data;
  const p = stream.progress;
  const counts = p ?? { succeeded: num(job?.succeeded), failed: num(job?.failed), cancelled: num(job?.cancelled), pending: num(job?.pending), total: num(job?.total) };
  const waiting = Math.min(awaiting.data?.subtotal ?? 0, counts.pending);
  const slices: DonutSlice[] = [
    { label: 'Succeeded', value: counts.succeeded, color: 'var(--pf-t--global--color--status--success--default, #3e8635)' },
    { label: 'Failed', value: counts.failed, color: 'var(--pf-t--global--color--status--danger--default, #c9190b)' },
    { label: 'In progress', value: counts.pending - waiting, color: 'var(--pf-t--global--color--status--info--default, #2b9af3)' },
    { label: 'Cancelled', value: counts.cancelled, color: 'var(--pf-t--global--color--status--warning--default, #f0ab00)' },
    { label: 'Awaiting', value: waiting, color: 'var(--pf-t--global--color--nonstatus--gray--default, #8a8d90)' },
  ];
  const act = (f: () => Promise<unknown>) => {
    setError(null);
    f().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const running = statusLabel === 'running' || statusLabel === 'queued';
  const rerun = (failedOnly: boolean) =>
    act(async () => {
      const j = await rerunJob(api, id, failedOnly);
      await navigate(`/job_invocations/${j.id}`);
    });
  const actions = (
    <>
      <Button variant="secondary" isDisabled={!running} onClick={() => act(() => cancelJob(api, id, false))}>
        Cancel job
      </Button>{' '}
      <Button variant="danger" isDisabled={!running} onClick={() => act(() => cancelJob(api, id, true))}>
        Abort job
      </Button>{' '}
      <Button variant="secondary" isDisabled={running} onClick={() => rerun(false)}>
        Rerun all
      </Button>{' '}
      <Button variant="secondary" isDisabled={running || counts.failed === 0} onClick={() => rerun(true)}>
        Rerun failed
      </Button>{' '}
      <Button variant="link" onClick={() => void navigate(`/job_invocations/new?rerun=${id}`)}>
        Edit and rerun…
      </Button>
      <Button variant="link" isDisabled={counts.failed === 0} onClick={() => void navigate(`/job_invocations/new?rerun=${id}&failed_only=1`)}>
        Edit and rerun failed…
      </Button>
    </>
  );
  const overview: Array<[string, React.ReactNode]> = job
    ? [
        ['Status', statusLabel ? <StatusLabel job={statusLabel} /> : null],
        ['Template', job.template_id ? <Link to={`/job_templates/${job.template_id}`}>{job.template_name}</Link> : (job.template_name ?? '—')],
        ['Category', job.job_category ?? '—'],
        ['Owner', job.user ?? '—'],
        ['Search query', <code key="q">{job.targeting.search_query ?? ''}</code>],
        ['Targeting', job.targeting.targeting_type === 'dynamic_query' ? 'Dynamic query' : 'Static query'],
        ['Effective user', job.effective_user ?? '—'],
        ...(job.recurrence
          ? ([
              [
                'Recurring',
                <Link key="r" to={`/recurring_logics?search=${encodeURIComponent(`id = ${job.recurrence.id}`)}`}>
                  <code>{job.recurrence.cron_line}</code> ({job.recurrence.state}, logic {job.recurrence.id})
                </Link>,
              ],
            ] as Array<[string, React.ReactNode]>)
          : []),
        ['Start', when(job.started_at ?? job.start_at)],
        ['End', when(job.ended_at)],
      ]
    : [];
  return (
    <>
      <PageHeading title={job?.description ?? `Job ${id}`} actions={actions}>
        {error ? <Alert variant="danger" isInline title={error} /> : null}
        {q.error ? <Alert variant="danger" isInline title={q.error.message} /> : null}
      </PageHeading>
      <PageSection>
        <Grid hasGutter>
          <GridItem md={6}>
            <DetailsCard title="Overview" pairs={overview} ariaLabel="Job overview" compact />
          </GridItem>
          <GridItem md={6}>
            <Card>
              <CardTitle>Progress</CardTitle>
              <CardBody>
                <StatusDonut title="Host status" slices={slices} />
              </CardBody>
            </Card>
          </GridItem>
        </Grid>
      </PageSection>
      <PageSection>
        <Tabs
          activeKey={tab}
          onSelect={(_e, k) => {
            const next = new URLSearchParams(params);
            next.set('tab', String(k));
            setParams(next, { replace: true });
          }}
          aria-label="Job details"
        >
          <Tab eventKey="hosts" title={<TabTitleText>Hosts</TabTitleText>}>
            {tab === 'hosts' ? <JobHosts jobId={id} stream={stream} /> : null}
          </Tab>
          <Tab eventKey="outputs" title={<TabTitleText>Folded outputs</TabTitleText>}>
            {tab === 'outputs' ? <FoldedOutputs jobId={id} finished={stream.finished + (stream.done ? 1 : 0)} /> : null}
          </Tab>
          <Tab eventKey="template" title={<TabTitleText>Template</TabTitleText>}>
            {tab === 'template' ? (
              <div>
                <h3>Inputs</h3>
                <DescriptionList isHorizontal isCompact>
                  {Object.entries(job?.inputs ?? {}).map(([k, v]) => (
                    <DescriptionListGroup key={k}>
                      <DescriptionListTerm>{k}</DescriptionListTerm>
                      <DescriptionListDescription>
                        <code>{v}</code>
                      </DescriptionListDescription>
                    </DescriptionListGroup>
                  ))}
                </DescriptionList>
                <h3>Preview</h3>
                <pre style={{ whiteSpace: 'pre-wrap' }}>{job?.preview_script ?? ''}</pre>
              </div>
            ) : null}
          </Tab>
        </Tabs>
      </PageSection>
    </>
  );
}
