import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { RouteHints } from './src/server/platform/web-app';

const apiTarget = process.env.PUENTE_API_TARGET || 'http://127.0.0.1:8080';
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

/** A catalogue of strings of a language other than English (English's are in the scripts that use them: `englishStrings`). */
const LOCALE_FILE = /[\\/]locales[\\/](es|pt|fr)\.json$/;

const WEB_SOURCE = fileURLToPath(new URL('./src/web', import.meta.url));
const FEATURES = path.join(WEB_SOURCE, 'features');
const I18N = path.join(WEB_SOURCE, 'i18n.ts');
const ENGLISH_STRINGS = 'virtual:puente-en/';

/** Which feature folder's English catalogue holds each top-level key (`contacts` → contacts, `practices` → knowledge). */
function featureNamespaces(): Map<string, string> {
  const owner = new Map<string, string>();
  for (const feature of fs.readdirSync(FEATURES)) {
    const file = path.join(FEATURES, feature, 'locales', 'en.json');
    if (!fs.existsSync(file)) continue;
    for (const key of Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as object)) {
      const other = owner.get(key);
      if (other) throw new Error(`the string key "${key}" is at the top of both features/${other}/locales/en.json and features/${feature}/locales/en.json: a top-level key belongs to one feature folder`);
      owner.set(key, feature);
    }
  }
  return owner;
}

/**
 * English strings travel with the code that shows them. Every module of the web app that names a
 * string key of a feature folder (a literal such as 'contacts.card.phone' or `crises.roles.${r}`:
 * locales.test.ts holds that every key the app uses is written so) imports that folder's English
 * catalogue, which adds itself to i18next as its chunk is evaluated, before anything in it renders.
 * A page therefore downloads the strings of the features its code speaks of, not those of all 23
 * (41 KB compressed before a member's first paint, for a directory page that needs 3 KB of them);
 * the main catalogue (locales/en.json) is in the main script. The other languages are one chunk
 * each, loaded whole when needed (i18n.ts). The import is appended: imports are hoisted, and the
 * lines of the module keep their numbers.
 */
function englishStrings(): Plugin {
  let owner: Map<string, string> | null = null;
  let pattern: RegExp | null = null;
  const load = () => {
    owner ??= featureNamespaces();
    pattern ??= new RegExp(`['"\`](${[...owner.keys()].join('|')})\\.`, 'g');
    return { owner, pattern };
  };
  return {
    name: 'puente:english-strings',
    enforce: 'pre',
    watchChange(id) {
      if (/[\\/]locales[\\/]en\.json$/.test(id)) owner = pattern = null;
    },
    resolveId(id) {
      return id.startsWith(ENGLISH_STRINGS) ? `\0${id}` : null;
    },
    load(id) {
      if (!id.startsWith(`\0${ENGLISH_STRINGS}`)) return null;
      const feature = id.slice(ENGLISH_STRINGS.length + 1);
      const catalogue = path.join(FEATURES, feature, 'locales', 'en.json');
      return `import strings from ${JSON.stringify(catalogue)};\nimport { addEnglishStrings } from ${JSON.stringify(I18N)};\naddEnglishStrings(strings);\n`;
    },
    transform(code, id) {
      const file = id.split('?')[0]!;
      if (!/\.tsx?$/.test(file) || !file.startsWith(WEB_SOURCE) || file === I18N || /\.test\.tsx?$/.test(file)) return null;
      const { owner, pattern } = load();
      const features = new Set([...code.matchAll(pattern)].map((m) => owner.get(m[1]!)!));
      if (!features.size) return null;
      return { code: `${code}\n${[...features].sort().map((f) => `import ${JSON.stringify(ENGLISH_STRINGS + f)};`).join('\n')}\n`, map: null };
    },
  };
}

/** Mantine's `useId` module, replaced at build time by stableMantineIds. */
const MANTINE_USE_ID = /[\\/]@mantine[\\/]hooks[\\/]esm[\\/]use-id[\\/]use-id\.mjs$/;

/**
 * Mantine's `useId` (@mantine/hooks) starts with an id from React's `useId` and, in a layout
 * effect after the first render, replaces it with a random one (for pages rendered on a server
 * by a React without `useId`). That is a state update inside the commit of every page: React
 * renders it at once, and first runs every effect of the page's first render in the same task,
 * which made the first render of a member's page one long task on a phone (the commit and all
 * the page's effects, 200 ms of Lighthouse's simulated phone on the intel list) where it is
 * otherwise two. This app renders in the browser only, with React 19: React's id is unique and
 * stable, so it is the id, with the prefix Mantine gives it, and no update follows. The build
 * fails if Mantine moves the module (the plugin would silently stop applying). In `vite` (the
 * development server), dependencies are pre-bundled and keep Mantine's own behaviour.
 */
function stableMantineIds(): Plugin {
  let applied = false;
  return {
    name: 'puente:stable-mantine-ids',
    enforce: 'pre',
    transform(code, id) {
      if (!MANTINE_USE_ID.test(id.split('?')[0]!)) return null;
      if (!code.includes('randomId()')) this.error(`stable Mantine ids: ${id} no longer looks like Mantine's useId; check the plugin against the new version`);
      applied = true;
      return {
        code: [
          'import { useId as useReactId } from "react";',
          'function useId(staticId) {',
          '  const reactId = useReactId();',
          '  return typeof staticId === "string" ? staticId : `mantine-${reactId.replace(/:/g, "")}`;',
          '}',
          'export { useId };',
          '',
        ].join('\n'),
        map: null,
      };
    },
    generateBundle() {
      if (!applied) this.error("stable Mantine ids: Mantine's useId module (@mantine/hooks/esm/use-id/use-id.mjs) was not in the build");
    },
  };
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Writes `<file>.br` and `<file>.gz` beside every text file of the build (scripts, styles,
 * the HTML shell, JSON, SVG) that is worth it (1 KiB or more, and smaller compressed), at the
 * highest levels: the server sends them as they are (@fastify/static `preCompressed`), so a
 * request costs no compression.
 */
function precompress(): Plugin {
  let dir = outDir;
  return {
    name: 'puente:precompress',
    apply: 'build',
    configResolved(config) {
      dir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files: string[] = [];
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (/\.(js|mjs|css|html|json|svg|txt|map)$/.test(e.name)) files.push(p);
        }
      };
      walk(dir);
      await Promise.all(
        files.map(async (file) => {
          const raw = fs.readFileSync(file);
          if (raw.length < 1024) return;
          const [br, gz] = await Promise.all([
            brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
            gzip(raw, { level: 9 }),
          ]);
          if (br.length < raw.length) fs.writeFileSync(`${file}.br`, br);
          if (gz.length < raw.length) fs.writeFileSync(`${file}.gz`, gz);
        }),
      );
    },
  };
}

const MANTINE_STYLES = fileURLToPath(new URL('./node_modules/@mantine/core/styles', import.meta.url));
const INITIAL_STYLES = fileURLToPath(new URL('./src/web/mantine.css', import.meta.url));
const PAGE_STYLES = fileURLToPath(new URL('./src/web/mantine-pages.css', import.meta.url));

/** Where each component's styles stand in Mantine's own styles.css (its rules' order). */
function mantineOrder(): Map<string, number> {
  const all = fs.readFileSync(path.join(MANTINE_STYLES, '../styles.css'), 'utf8');
  const order = new Map<string, number>();
  for (const f of fs.readdirSync(MANTINE_STYLES)) {
    if (!f.endsWith('.css') || f.endsWith('.layer.css')) continue;
    const at = all.indexOf(fs.readFileSync(path.join(MANTINE_STYLES, f), 'utf8').trim().slice(0, 300));
    if (at >= 0) order.set(f.slice(0, -4), at);
  }
  return order;
}

/** The Mantine style files a list names, in its order. */
const listedStyles = (file: string) => [...fs.readFileSync(file, 'utf8').matchAll(/@import '@mantine\/core\/styles\/([\w-]+)\.layer\.css'/g)].map((m) => m[1]!);

/** The style files of the Mantine components a chunk's code uses (a component in a sub-folder, such as Checkbox/CheckboxCard, names both). */
function mantineComponentsOf(chunk: { modules: Record<string, { renderedLength: number }> }, into: Set<string>) {
  for (const [id, m] of Object.entries(chunk.modules)) {
    const found = /@mantine[\\/]core[\\/]esm[\\/]components[\\/](\w+)[\\/](?:(\w+)[\\/])?/.exec(id);
    if (!found || m.renderedLength === 0) continue;
    for (const name of [found[1], found[2]]) if (name && fs.existsSync(path.join(MANTINE_STYLES, `${name}.layer.css`))) into.add(name);
  }
}

/**
 * Mantine's styles come in two lists, each in the order of Mantine's own styles.css (a
 * component's rules must follow those of the components it builds on, or theirs win: an Anchor
 * loses its underline to Text):
 *
 * - src/web/mantine.css, in the main script (the shell, the menu, the landing and sign-in pages):
 *   Mantine's base and the components that script uses;
 * - src/web/mantine-pages.css, loaded with every other page's chunk (router.tsx): the components
 *   any chunk uses, those of mantine.css included, so that this sheet, which arrives last,
 *   restates every component's rules in Mantine's order (its base, in mantine.css, comes first
 *   anyway). Mantine's whole styles.css was 253 kB; a page now parses what the app uses.
 *
 * Fails the build, naming what to change, when a list lacks a component the code uses (it would
 * show unstyled), when mantine-pages.css names one no code uses, or when a list is out of order.
 */
function mantineStyleLists(): Plugin {
  return {
    name: 'puente:mantine-style-lists',
    apply: 'build',
    generateBundle(_options, bundle) {
      const order = mantineOrder();
      const importLines = (names: string[]) => names.map((n) => `@import '@mantine/core/styles/${n}.layer.css';`).join('\n');
      const inOrder = (names: Iterable<string>) => [...names].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
      const check = (file: string, used: Set<string>, exact: boolean) => {
        const sequence = listedStyles(file);
        const listed = new Set(sequence);
        if (inOrder(sequence).some((n, i) => n !== sequence[i])) this.error(`${file} must list Mantine's styles in the order of its styles.css:\n${importLines(inOrder(sequence))}`);
        const missing = inOrder([...used].filter((n) => !listed.has(n)));
        if (missing.length) this.error(`${file} lacks the styles of Mantine components the code uses: ${missing.join(', ')}. Add, in the order of Mantine's styles.css:\n${importLines(missing)}`);
        const unused = exact ? sequence.filter((n) => !used.has(n)) : [];
        if (unused.length) this.error(`${file} lists styles of Mantine components no code uses: ${unused.join(', ')} (remove them)`);
      };
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const entry = chunks.find((c) => c.type === 'chunk' && c.isEntry);
      if (!entry || entry.type !== 'chunk') return;
      const initial = new Set<string>();
      const seen = new Set<string>();
      const walk = (file: string) => {
        const chunk = bundle[file];
        if (seen.has(file) || !chunk || chunk.type !== 'chunk') return;
        seen.add(file);
        mantineComponentsOf(chunk, initial);
        chunk.imports.forEach(walk);
      };
      walk(entry.fileName);
      check(INITIAL_STYLES, initial, false);
      // Mantine's base (its variables, reset and global classes) is in the main script's sheet and
      // precedes every component's rules there; it is not restated.
      const base = new Set(['baseline', 'default-css-variables', 'global']);
      const everywhere = new Set<string>(listedStyles(INITIAL_STYLES).filter((n) => !base.has(n)));
      for (const c of chunks) if (c.type === 'chunk') mantineComponentsOf(c, everywhere);
      check(PAGE_STYLES, everywhere, true);
    },
  };
}

/** Recharts (under @mantine/charts) and the libraries only it uses. */
const CHART_LIBRARIES = /[\\/]node_modules[\\/](recharts|@mantine[\\/]charts|d3-[\w-]+|victory-vendor|internmap|@reduxjs[\\/]toolkit|redux|react-redux|reselect|immer|es-toolkit|decimal\.js-light|eventemitter3)[\\/]/;

const ROUTER = fileURLToPath(new URL('./src/web/router.tsx', import.meta.url));
const FIRST_DATA_MODULE = fileURLToPath(new URL('./src/web/firstData.ts', import.meta.url));

/**
 * Writes `route-hints.json` beside index.html: for each page of src/web/router.tsx, the
 * hashed files its chunk needs. The server names them in the page's HTML shell as
 * `modulepreload` and `preload` links, so a first visit fetches them while the main script
 * downloads and runs, not after it (one round trip and the main script's start-up less on a
 * slow connection), and, for someone signed in, the API answers the page shows first (`data`).
 * Fails the build when a route's page cannot be traced to its chunk, so a new page cannot
 * silently go without.
 */
function routeHints(): Plugin {
  return {
    name: 'puente:route-hints',
    apply: 'build',
    async generateBundle(_options, bundle) {
      const source = fs.readFileSync(ROUTER, 'utf8');
      // What a page shows first when opened without search parameters, and what every page asks
      // for (src/web/firstData.ts, run as the browser runs it): the server preloads them for
      // someone signed in.
      const { FIRST_DATA, START_PATH } = (await tsImport(FIRST_DATA_MODULE, import.meta.url)) as { FIRST_DATA: Record<string, (search: Record<string, unknown>) => string[]>; START_PATH: string };
      const modules = new Map<string, string>();
      for (const m of source.matchAll(/const (\w+) = styled\(\(\) => import\('\.\/([^']+)'\)\)/g)) modules.set(m[1]!, path.join(path.dirname(ROUTER), m[2]!));
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const entry = chunks.find((c) => c.isEntry);
      if (!entry || entry.type !== 'chunk') return;
      // What the main script already brings is never named again.
      const initial = new Set<string>([entry.fileName, ...entry.imports]);
      const chunkOf = (module: string) => chunks.find((c) => c.type === 'chunk' && c.facadeModuleId && c.facadeModuleId.replace(/\.(tsx|ts)$/, '') === module);
      const closure = (file: string, out: { scripts: Set<string>; styles: Set<string> }) => {
        const c = bundle[file];
        if (!c || c.type !== 'chunk' || initial.has(file) || out.scripts.has(`/${file}`)) return;
        out.scripts.add(`/${file}`);
        for (const css of c.viteMetadata?.importedCss ?? []) out.styles.add(`/${css}`);
        c.imports.forEach((i) => closure(i, out));
      };
      const routes: RouteHints['routes'] = [];
      const unresolved: string[] = [];
      for (const call of source.split('createRoute(').slice(1)) {
        const routePath = /path: '([^']+)'/.exec(call)?.[1];
        const name = /component: (?:guarded\()?page\((\w+),/.exec(call)?.[1];
        if (!routePath || !name) continue;
        const module = modules.get(name);
        const chunk = module && chunkOf(module);
        if (!chunk) {
          unresolved.push(`${routePath} (${name})`);
          continue;
        }
        const out = { scripts: new Set<string>(), styles: new Set<string>() };
        closure(chunk.fileName, out);
        const data = FIRST_DATA[routePath]?.({});
        routes.push({ path: routePath, scripts: [...out.scripts], styles: [...out.styles], ...(data?.length ? { data } : {}) });
      }
      if (unresolved.length) this.error(`route hints: no chunk found for the page of ${unresolved.join(', ')}; router.tsx must import each page as \`const x = styled(() => import('./features/…'))\` and use it as \`page(x, 'Name')\``);
      const stylesChunk = chunks.find((c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('mantine-pages.css'));
      const pageStyles = [...(stylesChunk?.type === 'chunk' ? (stylesChunk.viteMetadata?.importedCss ?? []) : [])].map((f) => `/${f}`);
      const strings: Record<string, string> = {};
      for (const c of chunks) {
        const lang = /^assets\/locale-(es|pt|fr)-/.exec(c.fileName);
        if (lang) strings[lang[1]!] = `/${c.fileName}`;
      }
      if (!pageStyles.length || Object.keys(strings).length !== 3) this.error(`route hints: expected Mantine's page styles and three string chunks (es, pt, fr), found ${JSON.stringify({ pageStyles, strings })}`);
      const hints: RouteHints = { routes, pageStyles, strings, signedInData: [START_PATH] };
      this.emitFile({ type: 'asset', fileName: 'route-hints.json', source: JSON.stringify(hints) });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  plugins: [englishStrings(), stableMantineIds(), react(), mantineStyleLists(), routeHints(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    // The main script is about 630 kB before compression (React DOM, Mantine, the router, i18next);
    // pages are chunks of their own (src/web/router.tsx): a page chunk this big is a mistake.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // The strings of one language other than English (locales/<lang>.json and every
            // features/*/locales/<lang>.json) in one chunk, fetched in one request when that language
            // is needed (src/web/i18n.ts).
            { debugName: 'locales', test: LOCALE_FILE, name: (id) => `locale-${LOCALE_FILE.exec(id)![1]}` },
            // Everything the first page needs in one script (not a dozen small shared chunks, each a
            // request with its headers); the pages' chunks import from it.
            { name: 'app', tags: ['$initial'] },
            // The chart library and what it brings (Recharts, d3, Redux) in a chunk of its own, loaded
            // only by the pages that draw charts: in the shared chunk it was two thirds of what every
            // other page (the directory, the intel list) downloaded and parsed for nothing.
            { name: 'charts', minShareCount: 2, test: CHART_LIBRARIES },
            // The libraries and components that two or more pages share (form controls, tables,
            // labels) in one chunk too, not in a dozen small ones; what one page alone uses (the
            // graph library) stays in its chunk.
            { name: 'shared', minShareCount: 2, test: /[\\/]node_modules[\\/]|[\\/]src[\\/]web[\\/](components|api)[\\/]|[\\/]src[\\/]shared[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget, changeOrigin: false },
    },
  },
});
