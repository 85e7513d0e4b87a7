import { useNavigate, useRouterState } from '@tanstack/react-router';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, setAuthHandlers, setCsrfToken } from './api/client';
import type { Me, UiLanguage } from './api/types';
import i18n, { currentLanguage, LANGUAGE_STORAGE_KEY, SUPPORTED } from './i18n';

export type SessionStatus = 'loading' | 'signedIn' | 'signedOut';

interface SessionValue {
  status: SessionStatus;
  me: Me | null;
  /** After a successful login / invitation acceptance. */
  signedIn: (me: Me, csrfToken?: string) => void;
  setMe: (me: Me) => void;
  refresh: () => Promise<Me | null>;
  signOut: () => Promise<void>;
  setLanguage: (lang: UiLanguage) => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

export function hasRole(me: Me | null, role: string): boolean {
  return !!me && me.roles.includes(role as never);
}

/** Only same-site paths may be followed after sign-in. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function storeLanguage(lang: string) {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, lang);
  } catch {
    /* private mode */
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [me, setMeState] = useState<Me | null>(null);
  const navigate = useNavigate();
  const location = useRouterState({ select: (s) => s.location });
  const locationRef = useRef(location);
  locationRef.current = location;

  const applyMe = useCallback((next: Me) => {
    setMeState(next);
    setStatus('signedIn');
    if (next.csrfToken) setCsrfToken(next.csrfToken);
  }, []);

  const signedIn = useCallback(
    (next: Me, csrfToken?: string) => {
      setCsrfToken(csrfToken ?? next.csrfToken);
      applyMe(next);
      if (next.uiLanguage && SUPPORTED.includes(next.uiLanguage) && next.uiLanguage !== currentLanguage()) {
        storeLanguage(next.uiLanguage);
        void i18n.changeLanguage(next.uiLanguage);
      }
    },
    [applyMe],
  );

  const refresh = useCallback(async () => {
    try {
      const next = await api.get<Me>('/api/v1/me', { quiet401: true });
      signedIn(next, next.csrfToken);
      return next;
    } catch {
      setCsrfToken(null);
      setMeState(null);
      setStatus('signedOut');
      return null;
    }
  }, [signedIn]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setAuthHandlers({
      unauthorized: () => {
        setCsrfToken(null);
        setMeState(null);
        setStatus('signedOut');
        const loc = locationRef.current;
        if (loc.pathname !== '/sign-in') {
          void navigate({ to: '/sign-in', search: { next: loc.href } as never });
        }
      },
      mfaEnrolmentRequired: () => {
        setMeState((m) => (m ? { ...m, mfaEnrolmentRequired: true } : m));
        void navigate({ to: '/mfa-required' });
      },
    });
    return () => setAuthHandlers({});
  }, [navigate]);

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/v1/auth/logout', undefined, { quiet401: true });
    } catch {
      /* already signed out */
    }
    // Leave the (possibly guarded) page first, so that guards do not redirect to sign-in.
    await navigate({ to: '/' });
    setCsrfToken(null);
    setMeState(null);
    setStatus('signedOut');
  }, [navigate]);

  const setLanguage = useCallback(
    async (lang: UiLanguage) => {
      storeLanguage(lang);
      await i18n.changeLanguage(lang);
      if (me && !me.mfaEnrolmentRequired && me.uiLanguage !== lang) {
        try {
          const updated = await api.patch<Me>('/api/v1/me', { uiLanguage: lang });
          setMeState((m) => (m ? { ...m, ...updated } : updated));
        } catch {
          /* the switch still applies on this device */
        }
      }
    },
    [me],
  );

  const value = useMemo<SessionValue>(
    () => ({ status, me, signedIn, setMe: applyMe, refresh, signOut, setLanguage }),
    [status, me, signedIn, applyMe, refresh, signOut, setLanguage],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
