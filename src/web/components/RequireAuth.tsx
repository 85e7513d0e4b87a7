import type { ReactNode } from 'react';
import type { Role } from '../api/types';
import { useSession } from '../session';
import { Loading } from './Page';
import { Forbidden } from './Forbidden';
import { Redirect, RedirectToSignIn } from './Redirect';

/**
 * Shows children only to a signed-in person (with one of `roles`, when given). Anyone else —
 * a bookmark, a link in a mail, Back after signing out, an expired session — goes to sign in
 * and comes back here afterwards.
 */
export function RequireAuth({ children, roles, allowEnrolment = false }: { children: ReactNode; roles?: Role[]; allowEnrolment?: boolean }) {
  const { status, me } = useSession();
  if (status === 'loading') return <Loading />;
  if (status === 'signedOut' || !me) return <RedirectToSignIn />;
  if (me.mfaEnrolmentRequired && !allowEnrolment) return <Redirect to="/mfa-required" />;
  if (roles && !roles.some((r) => me.roles.includes(r))) return <Forbidden />;
  return <>{children}</>;
}
