/**
 * @module
 * The session: the browser session of `POST /api/login` (an HttpOnly cookie the scripts never
 * see, and the CSRF token the client keeps in memory; ADR 0010), the shared {@link ApiClient},
 * and a React context to reach them. On start the UI asks `GET /api/current_user` whether the
 * cookie still holds a live session; a 401 later (idle or absolute expiry) shows the login form.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

import { ApiClient } from './client.ts';
import type { Credentials } from './client.ts';

/** What {@link useSession} gives. */
export interface Session {
  client: ApiClient;
  /** The logged-in user's login; null when logged out. */
  login: string | null;
  /** True until the start-up check of the session cookie has answered. */
  checking: boolean;
  signIn: (c: Credentials) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** Provides the session; `client` may be given (tests). */
export function SessionProvider({ children, client: given }: { children?: ReactNode; client?: ApiClient }) {
  const client = useMemo(() => given ?? new ApiClient(), [given]);
  const [login, setLogin] = useState<string | null>(null);
  const [checking, setChecking] = useState(true);
  useEffect(() => {
    let live = true;
    client.onUnauthorized = () => setLogin(null);
    client
      .resume()
      .then((me) => {
        if (live) setLogin(typeof me?.login === 'string' ? me.login : null);
      })
      .catch(() => {
        if (live) setLogin(null);
      })
      .finally(() => {
        if (live) setChecking(false);
      });
    return () => {
      live = false;
      client.onUnauthorized = null;
    };
  }, [client]);
  const signIn = useCallback(
    async (c: Credentials) => {
      const answer = await client.login(c);
      setLogin(answer.user.login);
    },
    [client],
  );
  const signOut = useCallback(async () => {
    try {
      await client.logout();
    } finally {
      setLogin(null);
    }
  }, [client]);
  const value = useMemo(() => ({ client, login, checking, signIn, signOut }), [client, login, checking, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session of the app. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The API client of the session. */
export function useApi(): ApiClient {
  return useSession().client;
}
