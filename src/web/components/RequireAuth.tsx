import { Navigate, useRouterState } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import type { Role } from '../api/types';
import { useSession } from '../session';
import { Loading } from './Page';
import { Forbidden } from './Forbidden';

/** Shows children only to a signed-in person (with one of `roles`, when given). */
export function RequireAuth({ children, roles, allowEnrolment = false }: { children: ReactNode; roles?: Role[]; allowEnrolment?: boolean }) {
  const { status, me } = useSession();
  const href = useRouterState({ select: (s) => s.location.href });
  if (status === 'loading') return <Loading />;
  if (status === 'signedOut' || !me) return <Navigate to="/sign-in" search={{ next: href } as never} replace />;
  if (me.mfaEnrolmentRequired && !allowEnrolment) return <Navigate to="/mfa-required" replace />;
  if (roles && !roles.some((r) => me.roles.includes(r))) return <Forbidden />;
  return <>{children}</>;
}
