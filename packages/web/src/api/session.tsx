/**
 * @module
 * The session: credentials kept in memory and in `sessionStorage` (never `localStorage`), the
 * shared {@link ApiClient}, and a React context to reach them.
 */
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

import { ApiClient } from './client.ts';
import type { Credentials } from './client.ts';

const KEY = 'remex.session';

function loadStored(): Credentials | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const c = JSON.parse(raw) as Partial<Credentials>;
    return typeof c.login === 'string' && typeof c.password === 'string' ? { login: c.login, password: c.password } : null;
  } catch {
    return null;
  }
}

/** What {@link useSession} gives. */
export interface Session {
  client: ApiClient;
  login: string | null;
  signIn: (c: Credentials) => Promise<void>;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

/** Provides the session; `client` may be given (tests). */
export function SessionProvider({ children, client: given }: { children?: ReactNode; client?: ApiClient }) {
  const [credentials, setCredentials] = useState<Credentials | null>(() => loadStored());
  const client = useMemo(() => given ?? new ApiClient(), [given]);
  client.setCredentials(credentials);
  const signIn = useCallback(
    async (c: Credentials) => {
      await client.checkLogin(c);
      sessionStorage.setItem(KEY, JSON.stringify(c));
      client.setCredentials(c);
      setCredentials(c);
    },
    [client],
  );
  const signOut = useCallback(() => {
    sessionStorage.removeItem(KEY);
    client.setCredentials(null);
    setCredentials(null);
  }, [client]);
  const value = useMemo(() => ({ client, login: credentials?.login ?? null, signIn, signOut }), [client, credentials, signIn, signOut]);
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
