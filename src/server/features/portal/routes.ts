import zlib from 'node:zlib';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../platform/actor.js';
import { SESSION_COOKIE } from '../../platform/auth/sessions.js';
import type { Platform } from '../../platform/deps.js';
import type { Feature } from '../../platform/feature.js';
import { acceptedEncoding } from '../../platform/web-app.js';
import { conceptPortalPage, countryPortalPage, practicePage, recordPage, schemePortalPage, vocabulariesPortalPage } from './pages.js';
import { practicesFeed, recordsFeed, sitemap } from './service.js';

const tags = ['portal'];

/** A server-rendered page, compressed for a client that takes it (a few KB: cheap to compress each time). */
export function sendPage(req: FastifyRequest, reply: FastifyReply, page: string) {
  reply
    .type('text/html; charset=utf-8')
    // The page depends on the reader's languages and on being signed out.
    .header('cache-control', 'no-cache')
    .header('vary', 'accept-language, accept-encoding, cookie');
  const enc = acceptedEncoding(req.headers['accept-encoding'], ['br', 'gzip']);
  if (enc === 'br') return reply.header('content-encoding', 'br').send(zlib.brotliCompressSync(page, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }));
  if (enc === 'gzip') return reply.header('content-encoding', 'gzip').send(zlib.gzipSync(page));
  return reply.send(page);
}

const PageParams = Type.Object({ slug: Type.String({ maxLength: 200 }) });
// Loose on purpose: a page address may carry other parameters (a campaign's, `next`); an unusable `lang` is ignored.
const PageQuery = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 40 })) });

/** What search engines, feed readers and visitors without an account fetch: only what anyone may read (service.ts, pages.ts). */
export const portalRoutes: FastifyPluginAsyncTypebox<{ p: Platform; features?: readonly Feature[] }> = async (app, { p, features = [] }) => {
  app.get('/sitemap.xml', { schema: { tags, summary: 'The public pages, published CLEAR records and good practices, vocabularies and member organisations (sitemaps.org 0.9)', response: { 200: Type.String() } } }, async (_req, reply) =>
    reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(await sitemap(p)),
  );
  app.get('/feeds/records.atom', { schema: { tags, summary: 'The published activity records anyone may read (Atom, RFC 4287)', response: { 200: Type.String() } } }, async (_req, reply) =>
    reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(await recordsFeed(p)),
  );
  app.get('/feeds/practices.atom', { schema: { tags, summary: 'The published good practices and other library items anyone may read (Atom, RFC 4287), with their language versions', response: { 200: Type.String() } } }, async (_req, reply) =>
    reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(await practicesFeed(p)),
  );

  // The portal's pages as HTML for visitors who are not signed in; whoever holds a session cookie
  // gets the web app at the same address (the shell, through the not-found handler; an expired
  // session reads the same CLEAR content there), as does any address that is no published CLEAR
  // item (`/practices/new`, a draft, a typo: the app says what it is). The page is rendered as
  // the public reads it, never with the cookie's principal.
  for (const [path, render] of [
    ['/practices/:slug', practicePage],
    ['/records/:slug', recordPage],
    ['/countries/:slug', countryPortalPage],
    ['/vocabularies/:slug', (pl: Platform, a: Parameters<typeof practicePage>[1], scheme: string, lang?: string) => schemePortalPage(pl, a, features, scheme, lang)],
  ] as const)
    app.get(path, { schema: { hide: true, params: PageParams, querystring: PageQuery } }, async (req, reply) => {
      if (req.cookies[SESSION_COOKIE]) return reply.callNotFound();
      const page = await render(p, { ...actorOf(req), principal: null }, req.params.slug, req.query.lang);
      if (!page) return reply.callNotFound();
      return sendPage(req, reply, page);
    });
  app.get('/vocabularies', { schema: { hide: true, querystring: PageQuery } }, async (req, reply) => {
    if (req.cookies[SESSION_COOKIE]) return reply.callNotFound();
    return sendPage(req, reply, (await vocabulariesPortalPage(p, { ...actorOf(req), principal: null }, '', req.query.lang))!);
  });
  app.get('/vocabularies/:scheme/:concept', { schema: { hide: true, params: Type.Object({ scheme: Type.String({ maxLength: 70 }), concept: Type.String({ maxLength: 70 }) }), querystring: PageQuery } }, async (req, reply) => {
    if (req.cookies[SESSION_COOKIE]) return reply.callNotFound();
    const page = await conceptPortalPage(p, { ...actorOf(req), principal: null }, features, req.params.scheme, req.params.concept, req.query.lang);
    if (!page) return reply.callNotFound();
    return sendPage(req, reply, page);
  });
};
