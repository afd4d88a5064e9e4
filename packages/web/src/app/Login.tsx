/**
 * @module
 * The login form: `POST /api/login` starts a browser session (ADR 0010).
 */
import { Alert, Button, Form, FormGroup, LoginPage, TextInput } from '@patternfly/react-core';
import { useState } from 'react';

import { useSession } from '../api/session.tsx';

/** Asks for login and password until they work. */
export function Login() {
  const { signIn } = useSession();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn({ login, password });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <LoginPage loginTitle="Log in to Remex" textContent="Remote execution for fleets">
      <Form onSubmit={(e) => void submit(e)} aria-label="Log in">
        {error ? <Alert variant="danger" isInline title={error} /> : null}
        <FormGroup label="Login" isRequired fieldId="login">
          <TextInput id="login" name="login" autoComplete="username" value={login} onChange={(_e, v) => setLogin(v)} isRequired />
        </FormGroup>
        <FormGroup label="Password" isRequired fieldId="password">
          <TextInput id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(_e, v) => setPassword(v)} isRequired />
        </FormGroup>
        <Button type="submit" variant="primary" isBlock isLoading={busy} isDisabled={busy}>
          Log in
        </Button>
      </Form>
    </LoginPage>
  );
}
