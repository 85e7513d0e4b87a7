// Serving the built web app (dist/web, from `vite build`): its files, and its HTML shell for
// the client-side routes.
//
// - Hashed files under /assets/ never change under their name: cached for a year, `immutable`.
//   Everything else (index.html, the shell) is `no-cache`: revalidated on each visit, so a
//   new release is picked up at once.
// - The build writes `.br` and `.gz` beside each file (vite.config.ts); they are sent as they
//   are to a client that accepts them (`Vary: Accept-Encoding`), so serving costs no compression.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** Sends the web app's HTML shell (for a client-side route), compressed when the client accepts it. */
export type ShellSender = (req: FastifyRequest, reply: FastifyReply) => FastifyReply;

/** The content codings we have, in our order of preference, that this Accept-Encoding allows. */
export function acceptedEncoding(header: string | string[] | undefined, available: ('br' | 'gzip')[]): 'br' | 'gzip' | null {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const q = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = qp ? Number(qp.slice(2)) : 1;
    q.set(name, Number.isFinite(weight) ? weight : 0);
  }
  for (const enc of available) {
    const weight = q.get(enc) ?? q.get('*');
    if (weight !== undefined && weight > 0) return enc;
  }
  return null;
}

function shellSender(raw: Buffer): ShellSender {
  const variants: Record<'br' | 'gzip', Buffer | null> = {
    br: zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
    gzip: zlib.gzipSync(raw, { level: 9 }),
  };
  for (const k of ['br', 'gzip'] as const) if (variants[k]!.length >= raw.length) variants[k] = null;
  const available = (['br', 'gzip'] as const).filter((k) => variants[k]);
  const etag = `"${crypto.createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`;
  return (req, reply) => {
    reply.header('cache-control', REVALIDATE).header('vary', 'accept-encoding').header('etag', etag).type('text/html; charset=utf-8');
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
    const enc = acceptedEncoding(req.headers['accept-encoding'], available);
    if (!enc) return reply.send(raw);
    return reply.header('content-encoding', enc).send(variants[enc]);
  };
}

/**
 * Serve the built web app in `webDir` at `/` if it is there. Returns how to send its shell for
 * client-side routes (installNotFound), or null without a built web app.
 */
export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<ShellSender | null> {
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) return null;
  const root = path.resolve(webDir);
  const assets = path.join(root, 'assets') + path.sep;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    // The compressed copies are found beside each file by preCompressed; they need no route of their own.
    globIgnore: ['**/*.br', '**/*.gz'],
    preCompressed: true,
    cacheControl: false,
    // `file` is the file sent (its .br or .gz copy when compressed), a full path.
    setHeaders: (reply, file) => void reply.header('cache-control', path.resolve(root, file).startsWith(assets) ? IMMUTABLE : REVALIDATE),
  });
  return shellSender(fs.readFileSync(index));
}
