import { useRouter } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { nextParam } from '../nextPath';
import { Loading } from './Page';

/**
 * Go to `to` once, replacing the current history entry. (The router's own <Navigate>
 * navigates again on every render, and the router renders again while it navigates: with a
 * `search` built from the current location, each round built a new one and the tab froze.)
 */
export function Redirect({ to, search }: { to: string; search?: Record<string, string> }) {
  const router = useRouter();
  const done = useRef(false);
  const target = useRef({ to, search });
  useEffect(() => {
    if (done.current) return;
    done.current = true;
    // Already on the way there (the session's own handler may have sent the person first).
    if (router.latestLocation.pathname === target.current.to) return;
    void router.navigate({ to: target.current.to, search: target.current.search, replace: true } as never);
  }, [router]);
  return <Loading />;
}

/** To the sign-in page, which sends the person back here (`?next=`) once signed in. */
export function RedirectToSignIn() {
  const router = useRouter();
  // Read once: the location changes while the redirect runs.
  const [search] = useState(() => nextParam(router.latestLocation.href));
  return <Redirect to="/sign-in" search={search} />;
}
