import type { Platform } from '../../platform/deps.js';
import { forbidden } from '../../platform/errors.js';
import { hasRole, type Principal } from '../../platform/auth/principal.js';
import { countWaitingProposals } from '../communities/repository.js';
import { countVisibleNominations, visibleKindsOfPerson } from '../contacts/repository.js';
import { countOrganisationsWithStatus } from '../organisations/repository.js';
import { countWaitingTriage } from '../requests/repository.js';
import { personaOf, type Persona, type PersonaBasis } from './persona.js';

export interface StartingPoint {
  persona: Persona;
  basis: PersonaBasis;
  organisationType: string;
  contactKinds: string[];
}

/** The view the home page and the menu start in for this person (see persona.ts). */
export async function startingPoint(p: Platform, pr: Principal): Promise<StartingPoint> {
  // Only entries the person may see: an entry about them they may not read says nothing here.
  const contactKinds = (await visibleKindsOfPerson(p.db, pr.viewer, pr.person.id)).sort();
  const { persona, basis } = personaOf({ roles: pr.person.roles, organisationType: pr.organisation.type, contactKinds });
  return { persona, basis, organisationType: pr.organisation.type, contactKinds };
}

export interface SecretariatTodo {
  /** Organisations whose join request waits for a decision. */
  organisations: number;
  /** Nominated points of contact waiting for a decision, among those this reader may see. */
  nominations: number;
  /** Communities proposed by organisations, waiting for a decision. */
  proposals: number;
  /** Assistance requests waiting for triage, among those this reader may see. */
  requests: number;
}

/**
 * What waits for the secretariat. Each count is of what the reader may see and act on:
 * nominations through the contacts repository's policy filter, so a nomination marked
 * beyond the reader is not counted (and cannot be told to exist).
 */
export async function secretariatTodo(p: Platform, pr: Principal): Promise<SecretariatTodo> {
  if (!hasRole(pr, 'secretariat')) throw forbidden('The to-do list is for the secretariat');
  const [organisations, nominations, proposals, requests] = await Promise.all([
    countOrganisationsWithStatus(p.db, 'requested'),
    countVisibleNominations(p.db, pr.viewer),
    countWaitingProposals(p.db),
    countWaitingTriage(p.db, pr.viewer),
  ]);
  return { organisations, nominations, proposals, requests };
}
