/**
 * @module
 * One-line "Run command": a shell command on the hosts of a search query, with the
 * `Run Command - Script Default` template.
 */
import { Alert, Button, Form, FormGroup, TextInput } from '@patternfly/react-core';
import { useState } from 'react';
import { useNavigate } from 'react-router';

import { useList } from '../../api/hooks.ts';
import { useApi } from '../../api/session.tsx';
import type { JobInvocation, JobTemplate } from '../../api/types.ts';
import { SearchBar } from '../../components/SearchBar.tsx';

/** The template the form runs. */
export const RUN_COMMAND_TEMPLATE = 'Run Command - Script Default';

/** Command + hosts + Run. */
export function RunCommandForm() {
  const api = useApi();
  const navigate = useNavigate();
  const [command, setCommand] = useState('');
  const [hosts, setHosts] = useState('');
  const [error, setError] = useState<string | null>(null);
  const t = useList<JobTemplate>('/api/job_templates', { search: `name = "${RUN_COMMAND_TEMPLATE}"` });
  const template = t.data?.results[0];
  const run = async () => {
    setError(null);
    try {
      if (!template) throw new Error(`The template "${RUN_COMMAND_TEMPLATE}" does not exist`);
      const job = await api.post<JobInvocation>('/api/job_invocations', { job_invocation: { job_template_id: template.id, search_query: hosts.trim(), inputs: { command } } });
      await navigate(`/job_invocations/${job.id}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Form
      aria-label="Run command"
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      {error ? <Alert variant="danger" isInline title={error} /> : null}
      <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end', flexWrap: 'wrap' }}>
        <FormGroup label="Command" fieldId="run-command" style={{ flex: 2, minWidth: 240 }}>
          <TextInput id="run-command" value={command} onChange={(_e, v) => setCommand(v)} placeholder="uptime" style={{ fontFamily: 'monospace' }} />
        </FormGroup>
        <FormGroup label="On hosts" fieldId="run-command-hosts" style={{ flex: 3 }}>
          <SearchBar resource="/api/hosts" value={hosts} label="Hosts to run the command on" placeholder="hostgroup = web" onSearch={setHosts} onChange={setHosts} />
        </FormGroup>
        <Button type="submit" isDisabled={!command.trim() || !hosts.trim()}>
          Run command
        </Button>
      </div>
    </Form>
  );
}
