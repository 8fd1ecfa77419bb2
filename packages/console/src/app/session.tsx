import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { User } from '@pier/api';
import { api, must, setCsrfToken, whenSessionLost } from './api';

interface SessionState {
  /** undefined while the first /auth/session request is in flight. */
  user: User | null | undefined;
  /** Starts using a session the server just opened (login or sign-up). */
  established(csrfToken: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

async function loadUser(): Promise<User> {
  return must(api.GET('/users/me'));
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);

  useEffect(() => {
    whenSessionLost(() => {
      setCsrfToken(null);
      setUser(null);
    });
    let cancelled = false;
    (async () => {
      const { data } = await api.GET('/auth/session');
      if (!data) return null;
      setCsrfToken(data.csrf_token);
      return loadUser();
    })()
      .catch(() => null)
      .then((found) => {
        if (!cancelled) setUser(found);
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const established = useCallback(async (csrfToken: string) => {
    setCsrfToken(csrfToken);
    setUser(await loadUser());
  }, []);

  const logout = useCallback(async () => {
    await must(api.POST('/auth/logout'));
    setCsrfToken(null);
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, established, logout }), [user, established, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
