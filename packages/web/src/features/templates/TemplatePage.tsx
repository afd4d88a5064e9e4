/**
 * @module
 * One job template (`/job_templates/:id`): ERB editor, save, preview against a host with
 * inputs (borrowed ones included), clone, lock / unlock; tabs for its inputs, foreign input sets, revisions with a diff,
 * and export / import.
 */
import { Alert, Button, Card, CardBody, CardTitle, Form, FormGroup, Grid, GridItem, Label, PageSection, Tab, Tabs, TabTitleText, TextInput } from '@patternfly/react-core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';

import { useGet } from '../../api/hooks.ts';
import { useApi } from '../../api/session.tsx';
import type { JobTemplate } from '../../api/types.ts';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useAction } from '../../components/use-action.tsx';
import { useOfferedInputs } from '../job-wizard/use-offered-inputs.ts';
import { ErbEditor } from './ErbEditor.tsx';
import { ForeignInputSetsCard } from './ForeignInputSetsCard.tsx';
import { ImportExportCard } from './ImportExportCard.tsx';
import { RevisionsCard } from './RevisionsCard.tsx';
import { TemplateInputsCard } from './TemplateInputsCard.tsx';

/** The template editor page. */
export function TemplatePage() {
  const id = Number(useParams().id);
  const path = `/api/job_templates/${id}`;
  const api = useApi();
  const navigate = useNavigate();
  const client = useQueryClient();
  const q = useGet<JobTemplate>(path);
  const t = q.data;
  const [text, setText] = useState('');
  const [host, setHost] = useState('');
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<string | null>(null);
  const [cloneName, setCloneName] = useState('');
  const [tab, setTab] = useState<string | number>('inputs');
  useEffect(() => {
    if (t) setText(t.template);
  }, [t]);
  const { act, alert } = useAction();
  const save = () => act(async () => {
    await api.put(path, { job_template: { template: text } });
    await client.invalidateQueries({ queryKey: [path] });
  }, 'Saved');
  const lock = (locked: boolean) => act(async () => {
    await api.put(path, { job_template: { locked } });
    await client.invalidateQueries({ queryKey: [path] });
  }, locked ? 'Locked' : 'Unlocked');
  const runPreview = () => act(async () => setPreview(await api.postText(`${path}/preview`, { template: text, host_id: host || undefined, inputs })), 'Rendered');
  const clone = () => act(async () => {
    const c = await api.post<JobTemplate>(`${path}/clone`, { job_template: { name: cloneName } });
    await navigate(`/job_templates/${c.id}`);
  }, 'Cloned');
  // The preview asks for borrowed inputs too (the own ones meanwhile).
  const offered = useOfferedInputs(t);
  const userInputs = ((offered.template ?? t)?.template_inputs ?? []).filter((i) => i.input_type === 'user');
  return (
    <>
      <PageHeading
        title={
          <>
            {t?.name ?? `Template ${id}`} {t?.locked ? <Label>Locked</Label> : null}
          </>
        }
        actions={
          <>
            <Button onClick={save} isDisabled={!t || t.locked}>
              Save
            </Button>{' '}
            <Button variant="secondary" onClick={() => lock(!t?.locked)} isDisabled={!t}>
              {t?.locked ? 'Unlock' : 'Lock'}
            </Button>
          </>
        }
      >
        {alert}
        {q.error ? <Alert variant="danger" isInline title={q.error.message} /> : null}
        {t ? <p>Category: {t.job_category} · Provider: {t.provider_type}</p> : null}
      </PageHeading>
      <PageSection>
        <Grid hasGutter>
          <GridItem lg={8}>
            {t ? <ErbEditor value={text} onChange={setText} readOnly={t.locked ?? false} label={`Template ${t.name}`} /> : null}
          </GridItem>
          <GridItem lg={4}>
            <Card>
              <CardTitle>Preview</CardTitle>
              <CardBody>
                <Form onSubmit={(e) => { e.preventDefault(); runPreview(); }}>
                  <FormGroup label="Host (name or id)" fieldId="preview-host">
                    <TextInput id="preview-host" value={host} onChange={(_e, v) => setHost(v)} />
                  </FormGroup>
                  {userInputs.map((i) => (
                    <FormGroup key={i.name} label={i.name} fieldId={`preview-input-${i.name}`}>
                      <TextInput id={`preview-input-${i.name}`} type={i.hidden_value ? 'password' : 'text'} value={inputs[i.name] ?? ''} onChange={(_e, v) => setInputs({ ...inputs, [i.name]: v })} />
                    </FormGroup>
                  ))}
                  <Button type="submit" variant="secondary">
                    Preview
                  </Button>
                </Form>
                {preview !== null ? <pre aria-label="Rendered template" style={{ whiteSpace: 'pre-wrap', marginTop: 8 }}>{preview}</pre> : null}
              </CardBody>
            </Card>
            <Card>
              <CardTitle>Clone</CardTitle>
              <CardBody>
                <Form onSubmit={(e) => { e.preventDefault(); clone(); }}>
                  <FormGroup label="New name" fieldId="clone-name">
                    <TextInput id="clone-name" value={cloneName} onChange={(_e, v) => setCloneName(v)} />
                  </FormGroup>
                  <Button type="submit" variant="secondary" isDisabled={!cloneName.trim()}>
                    Clone
                  </Button>
                </Form>
              </CardBody>
            </Card>
          </GridItem>
        </Grid>
      </PageSection>
      {t ? (
        <PageSection>
          <Tabs activeKey={tab} onSelect={(_e, k) => setTab(k)} aria-label="Template parts">
            <Tab eventKey="inputs" title={<TabTitleText>Inputs</TabTitleText>}>
              {tab === 'inputs' ? <TemplateInputsCard template={t} /> : null}
            </Tab>
            <Tab eventKey="sets" title={<TabTitleText>Foreign input sets</TabTitleText>}>
              {tab === 'sets' ? <ForeignInputSetsCard template={t} /> : null}
            </Tab>
            <Tab eventKey="revisions" title={<TabTitleText>Revisions</TabTitleText>}>
              {tab === 'revisions' ? <RevisionsCard templateId={t.id} /> : null}
            </Tab>
            <Tab eventKey="import-export" title={<TabTitleText>Export / import</TabTitleText>}>
              {tab === 'import-export' ? <ImportExportCard template={t} /> : null}
            </Tab>
          </Tabs>
        </PageSection>
      ) : null}
    </>
  );
}
