import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Rules of the code base that make the next leak hard to write (issue 9), and keep
 * services callable without an HTTP request (issue 10):
 *
 * 1. Route files hold no queries: a handler parses the request, calls a service
 *    function and shapes the answer. A route file is any file that registers routes,
 *    whatever it is called (routes.ts and *-routes.ts, but also a feature file that
 *    declares a Fastify plugin or adds a route): a name-only rule let queries sit in
 *    route code kept in other files.
 * 2. A table carrying a marking (a `tlp` column) is read only in a repository.ts,
 *    where each read starts from the access policy (visibleSql or the feature's
 *    visible* function) — or in one of the few system reads listed below.
 *
 * 3. Services take an Actor (platform/actor.ts), not the request: outside the files
 *    that register routes, no feature file names FastifyRequest or FastifyReply, so
 *    that jobs and the CLI can call every service.
 *
 * The marked tables are derived from the migrations, so a new marked table is
 * guarded from its first migration on. Each checker is also fed a violating sample,
 * so that a broken checker cannot pass silently.
 *
 * What rule 2 cannot see: platform/event-subjects.ts reads notes and discussion_topics
 * by a table name held in a variable (`sql.table(table)`, from EVENT_SUBJECTS), so no
 * literal names the table. That read is allowed as it is: it takes the marking columns
 * only, and the event hub applies the policy with them (an event is delivered only if
 * its record's current marking also lets the viewer see it). A new read by a variable
 * table name must be just as narrow, or go through a repository.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const MIGRATIONS = 'src/server/db/migrations';
const SCANNED = ['src/server', 'src/cli'];

/**
 * Reads of marked tables outside a repository.ts that are allowed: system reads with
 * no viewer by nature. File → the marked tables it may read, and why. An exception
 * covers a whole file, so only files that serve no viewer's request are listed (a file
 * that also answers viewers moves its system reads into the repository, named as such).
 * Keep it short: a read that has a viewer belongs in the feature's repository.ts.
 */
const MARKED_READ_EXCEPTIONS: Record<string, { tables: string[]; reason: string }> = {
  'src/server/platform/mail.ts': { tables: ['mail_outbox'], reason: 'delivery reads the mail it sends, to hand it to its one recipient' },
  'src/server/platform/events.ts': { tables: ['events'], reason: 'the event hub applies the policy itself: canSee per subscriber, visibleSql and canSee on replay' },
  'src/server/features/intel/store.ts': { tables: ['intel_objects'], reason: "the ingest: its added_at clock and duplicate checks among the submitting organisation's own copies" },
  'src/server/features/contacts/reminders.ts': { tables: ['contacts'], reason: 'the stale-entry job chooses whom to remind; an owner is named the entry only if canSee allows' },
  'src/server/features/checks/demo.ts': { tables: ['contacts'], reason: "the demo loader (no viewer) picks the demo's own CLEAR and GREEN contacts to check" },
  'src/server/features/intel/demo.ts': { tables: ['intel_objects'], reason: 'the demo loader (no viewer) links its sightings to the objects it just loaded' },
};

/**
 * Feature files that are not route files but may name FastifyRequest or FastifyReply:
 * file → why. None today. The HTTP layer that needs the request lives in the platform
 * (actor.ts builds the Actor, auth/session-cookie.ts sets the cookie, http.ts and
 * web-app.ts answer), which this rule does not scan.
 */
const HTTP_TYPE_EXCEPTIONS: Record<string, string> = {};

// ---------------------------------------------------------------- source text

interface Literal {
  /** Offset of the literal's text (after the opening quote) in the file. */
  start: number;
  text: string;
}

interface Lexed {
  /** The source with comments blanked (line breaks kept, so offsets and lines stay). */
  code: string;
  /** The same with the text of string and template literals blanked too. */
  bare: string;
  /** The text of every string literal and every text part of a template literal. */
  literals: Literal[];
}

const REGEX_AFTER_CHAR = new Set([...'(,=:[!&|?{};+-*%<>~^']);
const REGEX_AFTER_WORD = /(?:^|[^\w$.])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await|instanceof)$/;

/**
 * A small TypeScript lexer, enough to tell code from comments and literals: the
 * patterns below must not fire on a comment that talks about a query, and raw SQL is
 * looked for only in literals.
 */
function lex(src: string): Lexed {
  const code = src.split('');
  const bare = src.split('');
  const literals: Literal[] = [];
  const blank = (arr: string[], from: number, to: number) => {
    for (let k = from; k < to; k++) if (arr[k] !== '\n') arr[k] = ' ';
  };
  // For each open `${` of a template, the brace depth outside it.
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  let last = -1; // the last character of code seen (not space, not comment)

  const literal = (start: number, end: number) => {
    literals.push({ start, text: src.slice(start, end) });
    blank(bare, start, end);
  };
  const templateChunk = () => {
    const start = i;
    while (i < src.length) {
      if (src[i] === '\\') i += 2;
      else if (src[i] === '`') {
        literal(start, i);
        i++;
        return;
      } else if (src[i] === '$' && src[i + 1] === '{') {
        literal(start, i);
        i += 2;
        templates.push(depth);
        depth++;
        return;
      } else i++;
    }
    literal(start, src.length);
  };

  while (i < src.length) {
    const ch = src[i]!;
    const next = src[i + 1];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      const e = end < 0 ? src.length : end;
      blank(code, i, e);
      blank(bare, i, e);
      i = e;
    } else if (ch === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const e = end < 0 ? src.length : end + 2;
      blank(code, i, e);
      blank(bare, i, e);
      i = e;
    } else if (ch === '"' || ch === "'") {
      const start = ++i;
      while (i < src.length && src[i] !== ch && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1;
      literal(start, i);
      last = i++;
    } else if (ch === '`') {
      i++;
      templateChunk();
      last = i - 1;
    } else if (ch === '}' && templates.length && templates[templates.length - 1] === depth - 1) {
      templates.pop();
      depth--;
      i++;
      templateChunk();
      last = i - 1;
    } else if (ch === '/' && (last < 0 || REGEX_AFTER_CHAR.has(src[last]!) || REGEX_AFTER_WORD.test(src.slice(Math.max(0, last - 12), last + 1)))) {
      // A regular expression literal: skipped whole, so that its quotes start no string.
      i++;
      let inClass = false;
      while (i < src.length && src[i] !== '\n') {
        const c = src[i];
        if (c === '\\') {
          i += 2;
          continue;
        }
        if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
        i++;
      }
      i++;
      while (/[a-z]/i.test(src[i] ?? '')) i++;
      last = i - 1;
    } else {
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      last = i++;
    }
  }
  return { code: code.join(''), bare: bare.join(''), literals };
}

const lineOf = (src: string, offset: number) => src.slice(0, offset).split('\n').length;

interface Violation {
  file: string;
  line: number;
  message: string;
}

// ---------------------------------------------------------------- rule 1: routes hold no queries

const ROUTE_RULES: { re: RegExp; what: string }[] = [
  { re: /\b(?:selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)\s*\(/g, what: 'a query builder' },
  { re: /\bsql\s*(?:<[^\n]*?>)?\s*`|\bsql\s*\.\s*[A-Za-z]+\s*\(/g, what: 'raw SQL' },
  { re: /\.\s*db\s*[.[]/g, what: 'a query on the database handle' },
  { re: /\.\s*trx\b/g, what: 'a transaction' },
  { re: /\bchange\s*\(/g, what: 'a change (transaction)' },
  { re: /\.\s*(?:execute|executeTakeFirst|executeTakeFirstOrThrow|stream|compile)\s*\(/g, what: 'a query being run' },
  { re: /\.\s*query\s*\(/g, what: 'a query on the pool' },
];

const isRouteFileByName = (file: string) => /^src\/server\/features\/.+\/(?:routes|[\w-]+-routes)\.ts$/.test(file);

const ROUTE_METHODS = 'get|post|put|patch|delete|head|options|all|search';
// Read in `bare` (comments and literal text blanked), so that neither a comment nor a string that mentions a route counts.
const DECLARES_PLUGIN = /\bFastifyPlugin(?:Async|Callback)\w*/;
// Route methods are common names (Map.get, URLSearchParams.delete): on an unknown receiver, only a path as first argument makes it a route.
const ROUTE_CALL_ANY_RECEIVER = new RegExp(String.raw`\.\s*(?:${ROUTE_METHODS})\s*(?:<[^()]*?>)?\s*\(\s*(['"\`])`, 'g');
const ROUTE_CALL_ON_INSTANCE = new RegExp(String.raw`\b(?:app|fastify|instance|scope)\s*\.\s*(?:${ROUTE_METHODS}|route)\s*(?:<[^()]*?>)?\s*\(`);
const ROUTE_OPTIONS_CALL = /\.\s*route\s*\(\s*\{/;

/**
 * Whether a file registers routes, whatever its name. Under features/: it declares a
 * Fastify plugin (FastifyPluginAsync…, FastifyPluginCallback…, fastify-plugin) — the
 * platform's own plugins (auth) hook into every request and are not route code.
 * Anywhere: it adds a route (`app.get(`, `scope.put(path`, `r.post('/…'`, `.route({`).
 * Tests are left out: they call the API with the same method names.
 */
function registersRoutes(file: string, src: string): boolean {
  if (/\.test\.ts$/.test(file) || /test-helpers\.ts$/.test(file) || file.startsWith('src/server/test/')) return false;
  const { bare, literals } = lex(src);
  if (file.startsWith('src/server/features/') && (DECLARES_PLUGIN.test(bare) || literals.some((l) => l.text === 'fastify-plugin'))) return true;
  if (ROUTE_CALL_ON_INSTANCE.test(bare) || ROUTE_OPTIONS_CALL.test(bare)) return true;
  for (const m of bare.matchAll(ROUTE_CALL_ANY_RECEIVER)) {
    const textStart = m.index + m[0].length;
    if (/^[/*]/.test(literals.find((l) => l.start === textStart)?.text ?? '')) return true;
  }
  return false;
}

const isRouteFile = (file: string, src: string) => isRouteFileByName(file) || registersRoutes(file, src);

/** Rule 1, for one file: every line where a route file builds, runs or opens a query. */
function routeQueryViolations(file: string, src: string): Violation[] {
  const { bare } = lex(src);
  const found = new Map<number, string[]>();
  for (const { re, what } of ROUTE_RULES) {
    for (const m of bare.matchAll(re)) {
      const line = lineOf(src, m.index);
      found.set(line, [...(found.get(line) ?? []), `${what} (\`${m[0].replace(/\s+/g, '')}\`)`]);
    }
  }
  return [...found]
    .sort(([a], [b]) => a - b)
    .map(([line, whats]) => ({
      file,
      line,
      message: `${file}:${line}: ${whats.join(', ')} in a route file. Move the query into the feature's service.ts or repository.ts: a route handler only parses the request, calls a service function and shapes the answer.`,
    }));
}

// ---------------------------------------------------------------- rule 3: services take an actor, not the request

const HTTP_TYPES = /\b(FastifyRequest|FastifyReply)\b/g;

const isScannedForHttpTypes = (file: string) =>
  file.startsWith('src/server/features/') && !/\.test\.ts$/.test(file) && !/test-helpers\.ts$/.test(file);

/** Rule 3, for one file: every line of a feature file that is no route file and names the request or reply types. */
function httpTypeViolations(file: string, src: string): Violation[] {
  if (!isScannedForHttpTypes(file) || isRouteFile(file, src)) return [];
  // Read in `bare`: a comment or a string that mentions the types is no dependency on them.
  const { bare } = lex(src);
  const lines = new Map<number, Set<string>>();
  for (const m of bare.matchAll(HTTP_TYPES)) {
    const line = lineOf(src, m.index);
    lines.set(line, (lines.get(line) ?? new Set()).add(m[1]!));
  }
  return [...lines]
    .sort(([a], [b]) => a - b)
    .map(([line, names]) => ({
      file,
      line,
      message: `${file}:${line}: ${[...names].join(' and ')} outside a route file. Take an Actor (platform/actor.ts; the route passes actorOf(req)) and the values the service needs (a header, a cookie) as parameters, and leave replies to the route — or list the file in HTTP_TYPE_EXCEPTIONS in src/server/platform/access/guards.test.ts with the reason.`,
    }));
}

// ---------------------------------------------------------------- rule 2: marked tables are read through a repository

/** Strip SQL comments (`-- …` and `/* … *\/`), keeping everything else. */
function stripSqlComments(s: string) {
  return s.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, '');
}

/** Split at commas outside parentheses and quotes. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(s.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(s.slice(from));
  return parts;
}

const IDENT = String.raw`"?([A-Za-z_][A-Za-z0-9_]*)"?`;
const QUALIFIED = String.raw`(?:"?public"?\s*\.\s*)?${IDENT}`;

/**
 * The tables that carry a marking, read from migration SQL: those with the columns the
 * access policy reads (tlp, author_org_id, audience_organisations — see visibleSql), from
 * CREATE TABLE and ALTER TABLE … ADD / DROP [COLUMN] / RENAME TO, in migration order.
 * (A `tlp` alone is not a marking: a TAXII subscription's tlp is the marking it gives
 * what it receives, and the subscription itself belongs to its organisation.)
 */
const MARKING_COLUMNS = ['tlp', 'author_org_id', 'audience_organisations'];
function markedTablesOf(migrations: string[]): Set<string> {
  const columns = new Map<string, Set<string>>();
  const columnOf = (item: string) => /^\s*"?([A-Za-z_][A-Za-z0-9_]*)"?\s+[A-Za-z]/i.exec(item)?.[1]?.toLowerCase();
  for (const raw of migrations) {
    const sqlText = stripSqlComments(raw);
    const statements = sqlText.split(/;(?=(?:[^']*'[^']*')*[^']*$)/);
    for (const st of statements) {
      const create = new RegExp(String.raw`^\s*CREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${QUALIFIED}\s*\(`, 'i').exec(st);
      if (create) {
        const body = st.slice(create[0].length, st.lastIndexOf(')'));
        const cols = new Set<string>();
        for (const item of splitTopLevel(body)) {
          const c = columnOf(item);
          if (c && !['constraint', 'primary', 'unique', 'check', 'foreign', 'exclude'].includes(c)) cols.add(c);
        }
        columns.set(create[1]!.toLowerCase(), cols);
        continue;
      }
      const alter = new RegExp(String.raw`^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${QUALIFIED}\s+([\s\S]*)$`, 'i').exec(st);
      if (alter) {
        const table = alter[1]!.toLowerCase();
        const cols = columns.get(table) ?? new Set<string>();
        columns.set(table, cols);
        for (const action of splitTopLevel(alter[2]!)) {
          const added = new RegExp(String.raw`^\s*ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?${IDENT}\s+[A-Za-z]`, 'i').exec(action);
          if (added && !['constraint', 'primary', 'unique', 'check', 'foreign'].includes(added[1]!.toLowerCase())) cols.add(added[1]!.toLowerCase());
          const dropped = new RegExp(String.raw`^\s*DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?${IDENT}\s*(?:CASCADE|RESTRICT)?\s*$`, 'i').exec(action);
          if (dropped) cols.delete(dropped[1]!.toLowerCase());
          const renamed = new RegExp(String.raw`^\s*RENAME\s+TO\s+${IDENT}\s*$`, 'i').exec(action);
          if (renamed) {
            columns.delete(table);
            columns.set(renamed[1]!.toLowerCase(), cols);
          }
        }
      }
    }
  }
  return new Set([...columns].filter(([, cols]) => MARKING_COLUMNS.every((c) => cols.has(c))).map(([t]) => t));
}

const KYSELY_READS = /\.\s*(selectFrom|innerJoin|leftJoin|rightJoin|fullJoin|crossJoin|innerJoinLateral|leftJoinLateral|crossJoinLateral|from)\s*\(\s*(\[[^\]]*\]|(['"`])[^'"`\n]*\3)/g;
// DELETE FROM deletes; every other FROM or JOIN (SELECT, UPDATE … FROM, sub-queries) reads.
const SQL_READS = new RegExp(String.raw`(?<!\bDELETE\s+)\b(FROM|JOIN)\s+(?:ONLY\s+)?${QUALIFIED}(?![\w$(])`, 'gi');

const isExemptFromMarkedRule = (file: string) =>
  path.posix.basename(file) === 'repository.ts' || /\.test\.ts$/.test(file) || /test-helpers\.ts$/.test(file) || file.startsWith('src/server/test/');

/** Rule 2, for one file: every read of a marked table, by Kysely or in raw SQL. */
function markedReadViolations(file: string, src: string, marked: Set<string>, allowed: string[] = []): Violation[] {
  const { code, literals } = lex(src);
  const hits: { offset: number; table: string; how: string }[] = [];
  for (const m of code.matchAll(KYSELY_READS)) {
    for (const q of m[2]!.matchAll(/['"`]\s*([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const table = q[1]!.toLowerCase();
      if (marked.has(table)) hits.push({ offset: m.index, table, how: `${m[1]}('${table}')` });
    }
  }
  for (const lit of literals) {
    for (const m of lit.text.matchAll(SQL_READS)) {
      const table = m[2]!.toLowerCase();
      if (marked.has(table)) hits.push({ offset: lit.start + m.index, table, how: `${m[1]!.toUpperCase()} ${table} in SQL` });
    }
  }
  return hits
    .filter((h) => !allowed.includes(h.table))
    .sort((a, b) => a.offset - b.offset)
    .map((h) => {
      const line = lineOf(src, h.offset);
      return {
        file,
        line,
        message: `${file}:${line}: reads the marked table ${h.table} (${h.how}) outside a repository. Read ${h.table} through a repository function that starts from visibleSql (the feature's repository.ts), or add the file to the exceptions with a reason (MARKED_READ_EXCEPTIONS in src/server/platform/access/guards.test.ts).`,
      };
    });
}

// ---------------------------------------------------------------- the code base

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const d of SCANNED) walk(d);
  return out.sort();
}

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

function markedTables() {
  const files = readdirSync(path.join(ROOT, MIGRATIONS))
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return markedTablesOf(files.map((f) => read(`${MIGRATIONS}/${f}`)));
}

const report = (vs: Violation[]) => vs.map((v) => v.message).join('\n');

// ---------------------------------------------------------------- tests

describe('lex', () => {
  it('tells comments, strings, templates and regular expressions apart', () => {
    const src = [
      "const a = '// not a comment'; // a remark on selectFrom('notes')",
      '/* a block selectFrom( */ const r = /["`]/g;',
      'const t = sql`SELECT 1 FROM notes WHERE id = ${id} AND x = ${`inner ${y}`}`;',
      "const s = x / 2; const q = 'FROM events';",
    ].join('\n');
    const { code, bare, literals } = lex(src);
    expect(code).not.toContain('a remark');
    expect(code).not.toContain('a block');
    expect(code).toContain('// not a comment');
    expect(bare).not.toContain('// not a comment');
    expect(bare).toContain('sql`');
    expect(literals.map((l) => l.text)).toEqual(['// not a comment', 'SELECT 1 FROM notes WHERE id = ', ' AND x = ', 'inner ', '', '', 'FROM events']);
    expect(code.length).toBe(src.length);
    expect(code.split('\n').length).toBe(src.split('\n').length);
  });
});

describe('marked tables, derived from the migrations', () => {
  it('finds the marking columns in CREATE TABLE and ALTER TABLE, and nothing else', () => {
    const sample = [
      "CREATE TABLE plain (id uuid PRIMARY KEY, note text CHECK (note <> 'tlp text'), -- tlp text\n  pap text);",
      "CREATE TABLE IF NOT EXISTS public.marked (id uuid, author_org_id uuid, audience_organisations uuid[] DEFAULT '{}', tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'RED')));",
      'CREATE TABLE later (id uuid, author_org_id uuid);',
      "ALTER TABLE later ADD COLUMN credential boolean, ADD COLUMN tlp text, ADD COLUMN audience_organisations uuid[] NOT NULL DEFAULT '{}';",
      'CREATE TABLE refers (tlp_level text, author_org_id uuid, audience_organisations uuid[]);',
      'CREATE TABLE config_only (tlp text, audience_organisations uuid[]);',
      'CREATE TABLE gone (tlp text, author_org_id uuid, audience_organisations uuid[]);',
      'ALTER TABLE gone DROP COLUMN tlp;',
      'CREATE TABLE old_name (tlp text, author_org_id uuid, audience_organisations uuid[]);',
      'ALTER TABLE old_name RENAME TO new_name;',
    ].join('\n');
    expect([...markedTablesOf([sample])].sort()).toEqual(['later', 'marked', 'new_name']);
  });

  it('includes every table known today to carry a marking', () => {
    expect([...markedTables()].sort()).toEqual(['activity_records', 'assistance_requests', 'contacts', 'country_instruments', 'country_priorities', 'crises', 'crisis_actions', 'crisis_alerts', 'crisis_assistance', 'crisis_decisions', 'crisis_evaluations', 'crisis_injects', 'crisis_sitreps', 'discussion_topics', 'event_items', 'event_materials', 'events', 'experts', 'incident_entries', 'incident_reports', 'intel_objects', 'intel_sightings', 'knowledge_items', 'mail_outbox', 'notes', 'offers', 'reading_lists', 'request_interests', 'situation_sighting_days']);
  });
});

describe('rule 1: route files hold no queries', () => {
  it('flags a query in a sample route file, naming the file, the line and what to do', () => {
    const sample = [
      "import { sql } from 'kysely';",
      '// a comment may say p.db.selectFrom(...) and change(p, ...)',
      "app.get('/x', { schema: { summary: 'Delete from the list' } }, async (req) => {",
      "  const rows = await p.db.selectFrom('people').selectAll().execute();",
      '  await change(p, async (c) => c.trx.deleteFrom(\'sessions\').execute());',
      '  const n = sql<number>`count(*)`;',
      "  return visibleOutbox(p.db, viewer).limit(5).execute();",
      '});',
    ].join('\n');
    const vs = routeQueryViolations('src/server/features/x/routes.ts', sample);
    expect(vs.map((v) => v.line)).toEqual([4, 5, 6, 7]);
    expect(vs[0]!.message).toBe(
      "src/server/features/x/routes.ts:4: a query builder (`selectFrom(`), a query on the database handle (`.db.`), a query being run (`.execute(`) in a route file. Move the query into the feature's service.ts or repository.ts: a route handler only parses the request, calls a service function and shapes the answer.",
    );
  });

  it('passes a route that only calls a service', () => {
    const sample = "app.get('/x', async (req) => ({ items: (await listThings(p, requirePrincipal(req).viewer, req.query)).map(view) }));";
    expect(routeQueryViolations('src/server/features/x/routes.ts', sample)).toEqual([]);
  });

  it('recognises route files by name', () => {
    expect(isRouteFile('src/server/features/intel/taxii/routes.ts', '')).toBe(true);
    expect(isRouteFile('src/server/features/contacts/exchange-routes.ts', '')).toBe(true);
    expect(isRouteFile('src/server/features/contacts/service.ts', '')).toBe(false);
  });

  it('recognises a file that registers routes whatever its name, and not one that only talks about them', () => {
    const registering = [
      "import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';\ntype App = Parameters<FastifyPluginAsyncTypebox>[0];\nexport function extraRoutes(app: App) {}",
      'export const more: FastifyPluginCallback = (f, _o, done) => done();',
      "import fp from 'fastify-plugin';\nexport default fp(async (i) => {});",
      "export function extra(app: App) {\n  app.post(\n    '/api/v1/x',\n    async () => ({}),\n  );\n}",
      'for (const path of paths) app.put(path, async () => null);',
      "const r = raw.withTypeProvider<TypeBoxTypeProvider>();\nr.post('/api/v1/x', { bodyLimit: 10 }, async () => null);",
      "router.get<{ Params: { id: string } }>(`/api/v1/x/${'a'}`, h);",
      "scope.route({ method: 'GET', url: '/x', handler });",
    ];
    for (const src of registering) expect(isRouteFile('src/server/features/x/extra.ts', src), src).toBe(true);
    const talking = [
      "const v = cache.get(id); url.searchParams.delete('q'); headers.get('content-type');",
      "// app.get('/x', …) would register a route; FastifyPluginAsync declares one\nconst s = \"app.post('/x') and r.get('/y')\";",
      "const paths = ['/api/v1/x']; const first = map.get(paths[0]);",
    ];
    for (const src of talking) expect(isRouteFile('src/server/features/x/service.ts', src), src).toBe(false);
    // Platform plugins hook into requests; they register no routes.
    expect(isRouteFile('src/server/platform/auth/plugin.ts', "import fp from 'fastify-plugin';\nexport default fp(async (app) => { app.addHook('onRequest', h); });")).toBe(false);
    expect(isRouteFile('src/server/app.ts', "app.get('/api/v1/openapi.json', async () => app.swagger());")).toBe(true);
    expect(isRouteFile('src/server/features/x/x.int.test.ts', "await member.post('/api/v1/x', {});")).toBe(false);
  });

  it('flags a query in a file that registers routes under another name', () => {
    const sample = [
      "import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';",
      'type App = Parameters<FastifyPluginAsyncTypebox>[0];',
      'export function extraRoutes(app: App, p: Platform) {',
      "  app.get('/api/v1/x', async () => p.db.selectFrom('communities').selectAll().execute());",
      '}',
    ].join('\n');
    const file = 'src/server/features/x/proposals.ts';
    expect(isRouteFile(file, sample)).toBe(true);
    expect(routeQueryViolations(file, sample).map((v) => v.line)).toEqual([4]);
  });

  it('holds in every file that registers routes', () => {
    const routes = sourceFiles().filter((f) => isRouteFile(f, read(f)));
    expect(routes.length).toBeGreaterThan(10);
    // Not by name: the detection must find the route code kept in other files.
    expect(routes).toEqual(expect.arrayContaining(['src/server/app.ts', 'src/server/features/communities/proposals.ts', 'src/server/features/contacts/coverage.ts']));
    expect(report(routes.flatMap((f) => routeQueryViolations(f, read(f))))).toBe('');
  });
});

describe('rule 2: marked tables are read through a repository', () => {
  const marked = new Set(['notes', 'events']);

  it('flags Kysely and raw SQL reads in a sample file, naming the file, the line and what to do', () => {
    const sample = [
      "const a = await db.selectFrom('notes as n').selectAll().execute();",
      "const b = await db.selectFrom('people as p').innerJoin('events as e', 'e.id', 'p.id').execute();",
      '// a comment: SELECT * FROM notes',
      'const c = await sql`SELECT count(*) FROM notes n WHERE ${visible}`.execute(db);',
      "const d = 'select id from public.events';",
      "await db.deleteFrom('notes').execute();",
      'await sql`DELETE FROM events WHERE id = ${id}`.execute(db);',
      "const e = db.selectFrom(['people', 'notes']);",
      "const f = await db.selectFrom('noteshelf').execute();",
    ].join('\n');
    const vs = markedReadViolations('src/server/features/x/service.ts', sample, marked);
    expect(vs.map((v) => [v.line, v.message.match(/marked table (\w+)/)![1]])).toEqual([
      [1, 'notes'],
      [2, 'events'],
      [4, 'notes'],
      [5, 'events'],
      [8, 'notes'],
    ]);
    expect(vs[0]!.message).toBe(
      "src/server/features/x/service.ts:1: reads the marked table notes (selectFrom('notes')) outside a repository. Read notes through a repository function that starts from visibleSql (the feature's repository.ts), or add the file to the exceptions with a reason (MARKED_READ_EXCEPTIONS in src/server/platform/access/guards.test.ts).",
    );
  });

  it('lets an exception read only the tables it lists', () => {
    const sample = "db.selectFrom('notes'); db.selectFrom('events');";
    expect(markedReadViolations('src/server/x.ts', sample, marked, ['events']).map((v) => v.message.match(/marked table (\w+)/)![1])).toEqual(['notes']);
  });

  it('exempts repositories, tests and test helpers, and nothing else', () => {
    expect(isExemptFromMarkedRule('src/server/features/notes/repository.ts')).toBe(true);
    expect(isExemptFromMarkedRule('src/server/features/notes/notes.int.test.ts')).toBe(true);
    expect(isExemptFromMarkedRule('src/server/features/intel/ingest-kill.test-helpers.ts')).toBe(true);
    expect(isExemptFromMarkedRule('src/server/test/worlds.ts')).toBe(true);
    expect(isExemptFromMarkedRule('src/server/features/notes/service.ts')).toBe(false);
    expect(isExemptFromMarkedRule('src/server/features/notes/repository.helpers.ts')).toBe(false);
  });

  it('holds in the code base', () => {
    const tables = markedTables();
    const files = sourceFiles().filter((f) => !isExemptFromMarkedRule(f));
    const vs = files.flatMap((f) => markedReadViolations(f, read(f), tables, MARKED_READ_EXCEPTIONS[f]?.tables ?? []));
    expect(report(vs)).toBe('');
  });

  it('lists no exception that is no longer needed, each with a reason', () => {
    const tables = markedTables();
    const stale: string[] = [];
    for (const [file, ex] of Object.entries(MARKED_READ_EXCEPTIONS)) {
      expect(ex.reason.trim(), `${file}: give the reason for the exception`).not.toBe('');
      let src: string;
      try {
        src = read(file);
      } catch {
        stale.push(`${file}: listed in MARKED_READ_EXCEPTIONS but does not exist; remove it from the list`);
        continue;
      }
      const reads = new Set(markedReadViolations(file, src, tables).map((v) => v.message.match(/marked table (\w+)/)![1]));
      for (const t of ex.tables) if (!reads.has(t)) stale.push(`${file}: listed in MARKED_READ_EXCEPTIONS for ${t} but no longer reads it; remove it from the list`);
    }
    expect(stale.join('\n')).toBe('');
  });
});

describe('rule 3: services take an actor, not the HTTP request', () => {
  it('flags a service file that takes the request or the reply, naming the file, the line and what to do', () => {
    const sample = [
      "import type { FastifyReply, FastifyRequest } from 'fastify';",
      '// a comment may say FastifyRequest',
      "const s = 'FastifyReply';",
      'export async function act(p: Platform, req: FastifyRequest, reply: FastifyReply) {}',
      "export type R = import('fastify').FastifyRequest;",
    ].join('\n');
    const vs = httpTypeViolations('src/server/features/x/service.ts', sample);
    expect(vs.map((v) => v.line)).toEqual([1, 4, 5]);
    expect(vs[0]!.message).toBe(
      'src/server/features/x/service.ts:1: FastifyReply and FastifyRequest outside a route file. Take an Actor (platform/actor.ts; the route passes actorOf(req)) and the values the service needs (a header, a cookie) as parameters, and leave replies to the route — or list the file in HTTP_TYPE_EXCEPTIONS in src/server/platform/access/guards.test.ts with the reason.',
    );
  });

  it('leaves route files, tests and the platform alone', () => {
    const src = "import type { FastifyRequest } from 'fastify';\nexport function extra(app: App) {\n  app.get('/api/v1/x', async (req: FastifyRequest) => null);\n}";
    expect(httpTypeViolations('src/server/features/x/extra.ts', src)).toEqual([]);
    expect(httpTypeViolations('src/server/features/x/routes.ts', "import type { FastifyRequest } from 'fastify';")).toEqual([]);
    expect(httpTypeViolations('src/server/features/x/x.int.test.ts', "import type { FastifyRequest } from 'fastify';")).toEqual([]);
    expect(httpTypeViolations('src/server/platform/actor.ts', "import type { FastifyRequest } from 'fastify';")).toEqual([]);
  });

  it('holds in the code base', () => {
    const vs = sourceFiles()
      .filter((f) => !(f in HTTP_TYPE_EXCEPTIONS))
      .flatMap((f) => httpTypeViolations(f, read(f)));
    expect(report(vs)).toBe('');
  });

  it('lists no exception that is no longer needed, each with a reason', () => {
    const stale: string[] = [];
    for (const [file, reason] of Object.entries(HTTP_TYPE_EXCEPTIONS)) {
      expect(reason.trim(), `${file}: give the reason for the exception`).not.toBe('');
      let src: string;
      try {
        src = read(file);
      } catch {
        stale.push(`${file}: listed in HTTP_TYPE_EXCEPTIONS but does not exist; remove it from the list`);
        continue;
      }
      if (!httpTypeViolations(file, src).length) stale.push(`${file}: listed in HTTP_TYPE_EXCEPTIONS but names neither FastifyRequest nor FastifyReply outside routes; remove it from the list`);
    }
    expect(stale.join('\n')).toBe('');
  });
});
