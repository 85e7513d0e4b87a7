import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installNotFound } from './http.js';
import { acceptedEncoding, hintedShell, IMMUTABLE, registerWebApp, REVALIDATE, routeFor, shellLanguage, type RouteHints } from './web-app.js';

describe('acceptedEncoding', () => {
  it('prefers brotli, then gzip, among what the client accepts', () => {
    expect(acceptedEncoding('gzip, deflate, br', ['br', 'gzip'])).toBe('br');
    expect(acceptedEncoding('gzip', ['br', 'gzip'])).toBe('gzip');
    expect(acceptedEncoding('br;q=0, gzip;q=0.5', ['br', 'gzip'])).toBe('gzip');
    expect(acceptedEncoding('*', ['br', 'gzip'])).toBe('br');
    expect(acceptedEncoding('identity', ['br', 'gzip'])).toBeNull();
    expect(acceptedEncoding(undefined, ['br', 'gzip'])).toBeNull();
    expect(acceptedEncoding('br', ['gzip'])).toBeNull();
  });
});

describe('the built web app', () => {
  let dir: string;
  let app: FastifyInstance;
  const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;
  // Big enough to be worth compressing (the shell is only sent compressed when that is smaller).
  const shell = `<!doctype html><html><head><title>Puente</title></head><body><div id="root"></div>${'<!-- padding -->'.repeat(100)}</body></html>`;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-web-app-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), shell);
    fs.writeFileSync(path.join(dir, 'assets/index-AbC123.js'), script);
    fs.writeFileSync(path.join(dir, 'assets/index-AbC123.js.br'), zlib.brotliCompressSync(script));
    fs.writeFileSync(path.join(dir, 'assets/index-AbC123.js.gz'), zlib.gzipSync(script));
    app = Fastify();
    installNotFound(app, await registerWebApp(app, dir));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends a hashed asset precompressed, cached for a year', async () => {
    const br = await app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe(IMMUTABLE);
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    expect(String(br.headers['content-type'])).toMatch(/javascript/);
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(script);

    const gz = await app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(script);

    const plain = await app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe(IMMUTABLE);
    expect(plain.body).toBe(script);
  });

  it('gives the compressed copies no address of their own', async () => {
    expect((await app.inject({ url: '/assets/index-AbC123.js.br' })).statusCode).toBe(404);
  });

  it('revalidates index.html', async () => {
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe(REVALIDATE);
  });

  it('answers a client-side route with the shell, compressed, revalidated, with a validator', async () => {
    const res = await app.inject({ url: '/contacts?q=x', headers: { 'accept-encoding': 'br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe(REVALIDATE);
    expect(res.headers['content-encoding']).toBe('br');
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(zlib.brotliDecompressSync(res.rawPayload).toString()).toBe(shell);
    const again = await app.inject({ url: '/intel', headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const plain = await app.inject({ url: '/intel' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(shell);
  });

  it('still answers 404 for a missing file and for the API', async () => {
    expect((await app.inject({ url: '/assets/gone-123.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/nothing' })).statusCode).toBe(404);
  });
});

describe('route hints', () => {
  const hints: RouteHints = {
    routes: [
      { path: '/contacts', scripts: ['/assets/Directory-1.js', '/assets/shared-1.js'], styles: [], data: ['/api/v1/contacts?page=1&pageSize=25'] },
      { path: '/contacts/new', scripts: ['/assets/Editor-1.js'], styles: ['/assets/Editor-1.css'] },
      { path: '/contacts/$contactId', scripts: ['/assets/Card-1.js'], styles: [] },
      { path: '/communities/$communityId/topics/$topicId', scripts: ['/assets/Topic-1.js'], styles: [] },
    ],
    pageStyles: ['/assets/styles-1.css'],
    strings: { es: '/assets/locale-es-1.js', pt: '/assets/locale-pt-1.js', fr: '/assets/locale-fr-1.js' },
    signedInData: ['/api/v1/me/start'],
  };

  it('finds the page of a path, fixed segments before parameters', () => {
    expect(routeFor(hints, '/contacts')?.path).toBe('/contacts');
    expect(routeFor(hints, '/contacts/')?.path).toBe('/contacts');
    expect(routeFor(hints, '/contacts/new')?.path).toBe('/contacts/new');
    expect(routeFor(hints, '/contacts/0b1c')?.path).toBe('/contacts/$contactId');
    expect(routeFor(hints, '/communities/a/topics/b')?.path).toBe('/communities/$communityId/topics/$topicId');
    expect(routeFor(hints, '/communities/a/topics')).toBeNull();
    expect(routeFor(hints, '/contacts/a/b')).toBeNull();
    expect(routeFor(hints, '/')).toBeNull();
  });

  it('reads the language the web app will pick from Accept-Language', () => {
    expect(shellLanguage(undefined)).toBe('en');
    expect(shellLanguage('es-ES,es;q=0.9,en;q=0.8')).toBe('es');
    expect(shellLanguage('pt-BR')).toBe('pt');
    expect(shellLanguage('de-DE, fr;q=0.7, en;q=0.5')).toBe('fr');
    expect(shellLanguage('en;q=0.2, es;q=0.8')).toBe('es');
    expect(shellLanguage('fr;q=0, de')).toBe('en');
  });

  it('names the page chunks, the styles and the strings of the language in the head', () => {
    const html = hintedShell('<html><head>\n  <title>x</title>\n  </head><body></body></html>', hints, hints.routes[1]!, 'pt');
    expect(html).toContain('<link rel="modulepreload" crossorigin href="/assets/Editor-1.js">');
    expect(html).toContain('<link rel="modulepreload" crossorigin href="/assets/locale-pt-1.js">');
    expect(html).toContain('<link rel="stylesheet" crossorigin href="/assets/styles-1.css">');
    expect(html).toContain('<link rel="stylesheet" crossorigin href="/assets/Editor-1.css">');
    expect(html).not.toContain('locale-en');
    expect(html.indexOf('Editor-1.js')).toBeLessThan(html.indexOf('</head>'));
    // Mantine's page styles first, then the chunk's own, which may build on them.
    expect(html.indexOf('styles-1.css')).toBeLessThan(html.indexOf('Editor-1.css'));
  });

  describe('served', () => {
    let dir: string;
    let app: FastifyInstance;
    const shell = `<!doctype html><html><head><title>Puente</title>\n  </head><body><div id="root"></div>${'<!-- padding -->'.repeat(100)}</body></html>`;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-web-hints-'));
      fs.writeFileSync(path.join(dir, 'index.html'), shell);
      fs.writeFileSync(path.join(dir, 'route-hints.json'), JSON.stringify(hints));
      app = Fastify();
      await app.register(cookie);
      installNotFound(
        app,
        await registerWebApp(app, dir, async (req) => req.cookies.puente_session === 'live'),
      );
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('sends a page its hinted shell, by language, and varies on the language', async () => {
      const es = await app.inject({ url: '/contacts/new?x=1', headers: { 'accept-language': 'es', 'accept-encoding': 'br' } });
      expect(es.statusCode).toBe(200);
      expect(String(es.headers.vary)).toMatch(/accept-language/);
      const body = zlib.brotliDecompressSync(es.rawPayload).toString();
      expect(body).toContain('/assets/Editor-1.js');
      expect(body).toContain('/assets/locale-es-1.js');
      // English strings are in the page's chunks: an English reader is named no string chunk.
      const en = await app.inject({ url: '/contacts/new' });
      expect(en.body).toContain('/assets/Editor-1.js');
      expect(en.body).not.toContain('/assets/locale-');
      expect(en.headers.etag).not.toBe(es.headers.etag);
      expect((await app.inject({ url: '/contacts/new', headers: { 'if-none-match': String(en.headers.etag) } })).statusCode).toBe(304);
    });

    it("preloads the first answers of someone signed in: every page's, and a page's own without search parameters", async () => {
      const preload = (href: string) => `<link rel="preload" as="fetch" crossorigin href="${href}">`;
      const signedIn = await app.inject({ url: '/contacts', headers: { cookie: 'puente_session=live' } });
      expect(signedIn.body).toContain(preload('/api/v1/me/start'));
      expect(signedIn.body).toContain(preload('/api/v1/contacts?page=1&amp;pageSize=25'));
      expect(String(signedIn.headers.vary)).toMatch(/cookie/);
      const visitor = await app.inject({ url: '/contacts' });
      expect(visitor.body).toContain('/assets/Directory-1.js');
      expect(visitor.body).not.toContain('/api/v1/');
      expect(visitor.headers.etag).not.toBe(signedIn.headers.etag);
      // A session the check refuses (ended, enrolment pending) is a visitor's.
      expect((await app.inject({ url: '/contacts', headers: { cookie: 'puente_session=ended' } })).body).not.toContain('/api/v1/');
      // With search parameters the app asks for the page's own answers.
      const filtered = (await app.inject({ url: '/contacts?country=CO', headers: { cookie: 'puente_session=live' } })).body;
      expect(filtered).toContain(preload('/api/v1/me/start'));
      expect(filtered).not.toContain('/api/v1/contacts');
      // A page without first data of its own: every page's only.
      const editor = (await app.inject({ url: '/contacts/new', headers: { cookie: 'puente_session=live' } })).body;
      expect(editor).toContain(preload('/api/v1/me/start'));
      expect(editor).not.toContain('/api/v1/contacts');
    });

    it('sends a path of no page the plain shell, and keeps the hints file private', async () => {
      expect((await app.inject({ url: '/no/such/page' })).body).toBe(shell);
      expect((await app.inject({ url: '/route-hints.json' })).statusCode).toBe(404);
    });
  });
});
