import type { FastifyRequest } from 'fastify';
import type { Principal } from './auth/principal.js';
import { readerLanguagesOf } from './translations.js';

/**
 * Who is doing something, and from where: what a service needs to know of its
 * caller. The HTTP edge builds it from the request (`actorOf`), jobs and the CLI
 * build it without one (`systemActor`), so a service can be called from all three.
 */
export interface Actor {
  /** The signed-in person; null for someone who is not signed in (the public forms) and for the platform itself. */
  principal: Principal | null;
  /** The client address, for the audit log and the sign-in throttles; null when nobody called over the network. */
  ip: string | null;
  /** The browser's User-Agent, kept with the sessions it opens. */
  userAgent: string | null;
  /** The Accept-Language header as sent: the language of mail to someone without an account. */
  acceptLanguage: string | null;
  /** The languages to show content in, best first: `?lang=`, the account's, then the browser's. */
  readerLanguages: string[];
}

/** An actor that came over the network: signing in is throttled and sessions are recorded by address. */
export type RemoteActor = Actor & { ip: string };

/** The actor of an HTTP request. Build it in the handler: `?lang=` is read from the validated query. */
export function actorOf(req: FastifyRequest): RemoteActor {
  const accept = req.headers['accept-language'];
  return {
    principal: req.principal ?? null,
    ip: req.ip,
    userAgent: req.headers['user-agent'] ?? null,
    acceptLanguage: Array.isArray(accept) ? accept.join(',') : (accept ?? null),
    readerLanguages: readerLanguagesOf(req),
  };
}

/**
 * The platform acting by itself (a job, the CLI): no address, and content in the
 * language it was written in. A job that acts for someone passes their principal.
 */
export function systemActor(principal: Principal | null = null): Actor {
  return { principal, ip: null, userAgent: null, acceptLanguage: null, readerLanguages: [] };
}

/** The audit fields saying who did something from where. */
export function auditActor(actor: Pick<Actor, 'principal' | 'ip'>) {
  return { actorId: actor.principal?.person.id ?? null, actorOrgId: actor.principal?.organisation.id ?? null, ip: actor.ip };
}
