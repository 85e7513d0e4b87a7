import { useRouterState } from '@tanstack/react-router';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from './api/useApi';
import { START_PATH } from './firstData';
import { chosenPersona, type Persona } from './navigation';
import { hasRole, useSession } from './session';

export type { Persona } from './navigation';

export interface StartingPoint {
  persona: Persona;
  basis: 'role' | 'contact' | 'organisation' | 'default';
  organisationType: string;
  contactKinds: string[];
}

export interface SecretariatTodo {
  organisations: number;
  nominations: number;
  proposals: number;
  /** Assistance requests waiting for triage (not counted beside the secretariat's menu entry: they are on their own page). */
  requests: number;
}

interface PersonaValue {
  /** The view in use: the person's choice on this device, else the one the server suggests; null until known. */
  persona: Persona | null;
  /** What the server suggests, and why. */
  start: StartingPoint | null;
  /** True when the person chose a view other than the suggested one. */
  chosen: boolean;
  choose: (persona: Persona | null) => void;
  /** The secretariat's to-do counts (null for others, and until loaded). */
  todo: SecretariatTodo | null;
  reloadTodo: () => void;
}

const PersonaContext = createContext<PersonaValue | null>(null);

const storageKey = (personId: string) => `puente.view.${personId}`;
function readStored(personId: string): string | null {
  try {
    return localStorage.getItem(storageKey(personId));
  } catch {
    return null;
  }
}

/** Which view the home page and the menu are arranged for (GET /api/v1/me/start), and the secretariat's to-do counts. */
export function PersonaProvider({ children }: { children: ReactNode }) {
  const { status, me } = useSession();
  const active = status === 'signedIn' && !!me && !me.mfaEnrolmentRequired;
  const start = useApi<StartingPoint>(active ? START_PATH : null);
  const secretariat = active && hasRole(me, 'secretariat');
  const todo = useApi<SecretariatTodo>(secretariat ? '/api/v1/secretariat/todo' : null);
  const [stored, setStored] = useState<string | null>(null);
  const personId = me?.id ?? null;
  useEffect(() => setStored(personId ? readStored(personId) : null), [personId]);

  // The counts follow the secretariat's work: read again on every page change.
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const reloadTodo = todo.reload;
  useEffect(() => {
    if (secretariat) reloadTodo();
  }, [pathname, secretariat, reloadTodo]);

  const choose = useCallback(
    (p: Persona | null) => {
      if (!personId) return;
      try {
        if (p) localStorage.setItem(storageKey(personId), p);
        else localStorage.removeItem(storageKey(personId));
      } catch {
        /* private mode: the choice lasts for this page */
      }
      setStored(p);
    },
    [personId],
  );

  const value = useMemo<PersonaValue>(() => {
    const roles = me?.roles ?? [];
    const pick = chosenPersona(stored, roles);
    const suggested = active ? (start.data ?? null) : null;
    return {
      // Should the suggestion fail, the view without threat intelligence, which every member can use.
      persona: active ? (pick ?? suggested?.persona ?? (start.error ? 'diplomat' : null)) : null,
      start: suggested,
      chosen: !!pick && pick !== suggested?.persona,
      choose,
      todo: secretariat ? (todo.data ?? null) : null,
      reloadTodo,
    };
  }, [me, stored, active, start.data, start.error, choose, secretariat, todo.data, reloadTodo]);
  return <PersonaContext.Provider value={value}>{children}</PersonaContext.Provider>;
}

export function usePersona(): PersonaValue {
  const value = useContext(PersonaContext);
  if (!value) throw new Error('usePersona outside PersonaProvider');
  return value;
}
