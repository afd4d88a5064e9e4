/**
 * @module
 * Export of a job template (its ERB with the metadata header, as Foreman's export writes it) and
 * import of one (`POST /api/job_templates/import`) pasted or read from a file (Foreman's import
 * form takes a file), optionally over the template of that name.
 */
import { Alert, Button, Checkbox, Form, FormGroup, TextArea } from '@patternfly/react-core';
import { useState } from 'react';
import { useNavigate } from 'react-router';

import { useApi } from '../../api/session.tsx';
import type { JobTemplate } from '../../api/types.ts';

/** Export and import. */
export function ImportExportCard({ template }: { template: JobTemplate }) {
  const api = useApi();
  const navigate = useNavigate();
  const [exported, setExported] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const fail = (e: unknown) => setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) });
  const doExport = () => {
    setMessage(null);
    api
      .getText(`/api/job_templates/${template.id}/export`)
      .then((erb) => {
        setExported(erb);
        const url = URL.createObjectURL(new Blob([erb], { type: 'text/plain' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = `${template.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.erb`;
        a.click();
        URL.revokeObjectURL(url);
      })
      .catch(fail);
  };
  const doImport = () => {
    setMessage(null);
    api
      .post<JobTemplate>('/api/job_templates/import', { template: text, overwrite })
      .then(async (t) => {
        setMessage({ ok: true, text: `Imported ${t.name}` });
        await navigate(`/job_templates/${t.id}`);
      })
      .catch(fail);
  };
  return (
    <>
      {message ? <Alert variant={message.ok ? 'success' : 'danger'} isInline title={message.text} /> : null}
      <Button variant="secondary" onClick={doExport}>
        Export
      </Button>
      {exported !== null ? (
        <pre aria-label="Exported template" style={{ whiteSpace: 'pre-wrap', maxHeight: 240, overflow: 'auto', marginTop: 8 }}>
          {exported}
        </pre>
      ) : null}
      <Form
        aria-label="Import a template"
        onSubmit={(e) => {
          e.preventDefault();
          doImport();
        }}
        style={{ marginTop: 16, maxWidth: 720 }}
      >
        <FormGroup label="Template file" fieldId="import-file">
          <input
            id="import-file"
            type="file"
            accept=".erb,.txt,text/plain"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) file.text().then(setText, fail);
            }}
          />
        </FormGroup>
        <FormGroup label="Template to import (ERB with its metadata header)" fieldId="import-text">
          <TextArea id="import-text" value={text} onChange={(_e, v) => setText(v)} rows={8} resizeOrientation="vertical" />
        </FormGroup>
        <Checkbox id="import-overwrite" label="Overwrite the template of the same name" isChecked={overwrite} onChange={(_e, v) => setOverwrite(v)} />
        <Button type="submit" isDisabled={!text.trim()}>
          Import
        </Button>
      </Form>
    </>
  );
}
