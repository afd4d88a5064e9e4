/**
 * @module
 * Smart proxies (`/smart_proxies`): live status from the list (reachable, version, tasks running
 * and queued, or why not), refresh, features, SSH public key, pinned TLS certificate.
 */
import { Button, ClipboardCopy, Label, LabelGroup, PageSection } from '@patternfly/react-core';
import { useState } from 'react';

import { useApi } from '../../api/session.tsx';
import type { SmartProxy } from '../../api/types.ts';
import { PageHeading } from '../../components/PageHeading.tsx';
import { ResourceTable } from '../../components/ResourceTable.tsx';
import type { Column } from '../../components/ResourceTable.tsx';

/** The list's live status in words. */
function liveText(proxy: SmartProxy): { ok: boolean; text: string } | null {
  const live = proxy.status;
  if (!live) return null;
  if (!live.reachable) return { ok: false, text: `Down: ${live.error ?? 'no answer'}` };
  return { ok: true, text: `Up · ${live.version ?? '?'} · ${live.running ?? 0} running, ${live.queued ?? 0} queued · ${live.latency_ms ?? '?'} ms` };
}

function ProxyStatus({ proxy }: { proxy: SmartProxy }) {
  const api = useApi();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(() => liveText(proxy));
  const refresh = () => {
    api
      .put<SmartProxy>(`/api/smart_proxies/${proxy.id}/refresh`, {})
      .then(() => setStatus({ ok: true, text: 'Reachable' }))
      .catch((e: unknown) => setStatus({ ok: false, text: e instanceof Error ? e.message : String(e) }));
  };
  return (
    <>
      {status ? (
        <Label isCompact color={status.ok ? 'green' : 'red'}>
          {status.text}
        </Label>
      ) : null}{' '}
      <Button variant="link" isInline onClick={refresh} aria-label={`Refresh ${proxy.name}`}>
        Refresh
      </Button>
    </>
  );
}

const COLUMNS: Column<SmartProxy>[] = [
  { title: 'Name', sort: 'name', cell: (p) => p.name },
  { title: 'URL', sort: 'url', cell: (p) => p.url },
  {
    title: 'Features',
    cell: (p) => (
      <LabelGroup>
        {p.features.map((f) => (
          <Label key={f.name} isCompact>
            {f.name}
          </Label>
        ))}
      </LabelGroup>
    ),
  },
  {
    title: 'SSH public key',
    cell: (p) =>
      p.remote_execution_pubkey ? (
        <ClipboardCopy isReadOnly hoverTip="Copy" clickTip="Copied" variant="inline-compact" truncation>
          {p.remote_execution_pubkey}
        </ClipboardCopy>
      ) : (
        '—'
      ),
  },
  { title: 'TLS certificate', cell: (p) => (p.tls_fingerprint ? <code title={p.tls_fingerprint}>{p.tls_fingerprint.slice(0, 23)}…</code> : 'plain HTTP') },
  { title: 'Status', cell: (p) => <ProxyStatus proxy={p} /> },
];

/** The proxies table. */
export function ProxiesPage() {
  return (
    <>
      <PageHeading title="Smart proxies" />
      <PageSection>
        <ResourceTable<SmartProxy> path="/api/smart_proxies" label="Smart proxies" columns={COLUMNS} taxonomyScoped />
      </PageSection>
    </>
  );
}
