import { useNavigate, useRouterState } from '@tanstack/react-router';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, setAuthHandlers, setCsrfToken } from './api/client';
import type { Me, UiLanguage } from './api/types';
import i18n, { currentLanguage, LANGUAGE_STORAGE_KEY, SUPPORTED } from './i18n';
import { nextParam } from './nextPath';
import { browserTimeZone, isTimeZone } from './components/time';

export { safeNext } from './nextPath';

export type SessionStatus = 'loading' | 'signedIn' | 'signedOut';

interface SessionValue {
  status: SessionStatus;
  me: Me | null;
  /** After a successful login / invitation acceptance: resolves once the person's language is shown. */
  signedIn: (me: Me, csrfToken?: string) => Promise<void>;
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

/** The zone every time is shown in: the signed-in person's setting, else the browser's. */
export function useTimeZone(): string {
  const tz = useContext(SessionContext)?.me?.timeZone;
  return isTimeZone(tz) ? tz : browserTimeZone();
}

export function hasRole(me: Me | null, role: string): boolean {
  return !!me && me.roles.includes(role as never);
}

function storeLanguage(lang: string) {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, lang);
  } catch {
    /* private mode */
  }
}

/** Who is signed in (null: nobody). */
async function probe(): Promise<Me | null> {
  try {
    // Answers 200 signed in or not: an anonymous page logs no failed request.
    const answer = await api.get<{ signedIn: boolean; me?: Me }>('/api/v1/auth/session', { quiet401: true });
    return answer.signedIn && answer.me ? answer.me : null;
  } catch {
    /* unreachable: treated as signed out */
    return null;
  }
}

/** The answer of the probe made before the first render, until the provider has taken it. */
let firstAnswer: { me: Me | null } | null = null;

/**
 * Ask who is signed in before the app first renders (main.tsx, while the rest loads), and
 * switch to their language: the first render then shows the right header, page and
 * language at once, with nothing moving when the answer comes.
 */
export async function probeSession(languageReady: Promise<unknown>, onSignedIn?: () => void): Promise<void> {
  const me = await probe();
  if (me) {
    // Before the language: what the first page shows can be asked for now.
    onSignedIn?.();
    setCsrfToken(me.csrfToken);
    await languageReady;
    if (me.uiLanguage && SUPPORTED.includes(me.uiLanguage) && me.uiLanguage !== currentLanguage()) {
      storeLanguage(me.uiLanguage);
      await i18n.changeLanguage(me.uiLanguage);
    }
  }
  firstAnswer = { me };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>(() => (firstAnswer ? (firstAnswer.me ? 'signedIn' : 'signedOut') : 'loading'));
  const [me, setMeState] = useState<Me | null>(() => firstAnswer?.me ?? null);
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
    async (next: Me, csrfToken?: string) => {
      setCsrfToken(csrfToken ?? next.csrfToken);
      // The person's language first (its strings may be a chunk still to fetch), then the
      // signed-in shell: it appears once, in their language, instead of flashing English.
      if (next.uiLanguage && SUPPORTED.includes(next.uiLanguage) && next.uiLanguage !== currentLanguage()) {
        storeLanguage(next.uiLanguage);
        await i18n.changeLanguage(next.uiLanguage).catch(() => {});
      }
      applyMe(next);
    },
    [applyMe],
  );

  const refresh = useCallback(async () => {
    const next = await probe();
    if (next) {
      await signedIn(next, next.csrfToken);
      return next;
    }
    setCsrfToken(null);
    setMeState(null);
    setStatus('signedOut');
    return null;
  }, [signedIn]);

  useEffect(() => {
    // The state started from the probe made before the first render: no second one.
    if (firstAnswer) {
      firstAnswer = null;
      return;
    }
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setAuthHandlers({
      unauthorized: () => {
        setCsrfToken(null);
        setMeState(null);
        setStatus('signedOut');
        // The session ended (expired, or signed out elsewhere): sign in and come back here.
        const loc = locationRef.current;
        if (loc.pathname !== '/sign-in') {
          void navigate({ to: '/sign-in', search: nextParam(loc.href) as never, replace: true });
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
