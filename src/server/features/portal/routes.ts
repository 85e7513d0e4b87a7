import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { recordsFeed, sitemap } from './service.js';

const tags = ['portal'];

/** What search engines and feed readers fetch: only what anyone may read (service.ts). */
export const portalRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get('/sitemap.xml', { schema: { tags, summary: 'The public pages, published CLEAR records, vocabularies and member organisations (sitemaps.org 0.9)', response: { 200: Type.String() } } }, async (_req, reply) =>
    reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(await sitemap(p)),
  );
  app.get('/feeds/records.atom', { schema: { tags, summary: 'The published activity records anyone may read (Atom, RFC 4287)', response: { 200: Type.String() } } }, async (_req, reply) =>
    reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(await recordsFeed(p)),
  );
};
