import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../deps.js';
import { SESSION_COOKIE } from './sessions.js';

/** The session the browser holds now, if any: a sign-in replaces it. */
export function heldSessionOf(req: FastifyRequest): string | undefined {
  return req.cookies[SESSION_COOKIE];
}

export function setSessionCookie(p: Platform, reply: FastifyReply, id: string, expiresAt: Date) {
  reply.setCookie(SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'lax',
    secure: p.config.baseUrl.startsWith('https:'),
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(p: Platform, reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: p.config.baseUrl.startsWith('https:') });
}
