/**
 * @module
 * A button's action with its outcome shown: runs a call, then shows a success line or the
 * server's error (the message names the problem), and runs `onDone` after a success.
 */
import { Alert } from '@patternfly/react-core';
import { useState } from 'react';
import type { ReactNode } from 'react';

/** `act(call, okText)` and the alert to render (null while there is nothing to say). */
export function useAction(onDone?: () => unknown): { act: (call: () => Promise<unknown>, ok: string) => void; alert: ReactNode } {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const act = (call: () => Promise<unknown>, ok: string) => {
    setMessage(null);
    call()
      .then(async () => {
        setMessage({ ok: true, text: ok });
        await onDone?.();
      })
      .catch((e: unknown) => setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) }));
  };
  const alert = message ? <Alert variant={message.ok ? 'success' : 'danger'} isInline title={message.text} /> : null;
  return { act, alert };
}
