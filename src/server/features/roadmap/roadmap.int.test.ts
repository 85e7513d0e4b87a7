import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createSession } from '../../platform/auth/sessions.js';
import { parseCsv } from '../../platform/csv.js';
import { newId } from '../../platform/ids.js';
import { clientFor, createTestApp, login, makeOrganisation, makePerson, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark } from '../../test/worlds.js';

const pdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).stdout.toString().trim();

let t: TestApp;
let orgA: string;
let orgB: string;
let orgC: string;
let authorA: string;
let authorC: string;
let memberA: Client;
let memberB: Client;
beforeAll(async () => {
  t = await createTestApp();
  orgA = await makeOrganisation(t.db, { country: 'CR', name: 'Ministerio de Relaciones Exteriores y Culto' });
  orgB = await makeOrganisation(t.db, { country: 'ES' });
  orgC = await makeOrganisation(t.db, { country: 'FR' });
  const a = await makePerson(t.db, orgA, { name: 'Ana Muñoz' });
  const b = await makePerson(t.db, orgB);
  const c = await makePerson(t.db, orgC);
  authorA = a.id;
  authorC = c.id;
  [memberA, memberB] = await Promise.all([login(t.app, a.email), login(t.app, b.email)]);
});
afterAll(async () => t?.close());

const anonymous = (url: string) => t.app.inject({ method: 'GET', url });

// ------------------------------------------------------------------ writing the world

interface CommitmentSpec {
  status: string;
  progress: number;
  due: string | null;
  updates: { at: string; status: string; progress: number }[];
}
interface RecordSpec {
  date: string;
  status: string;
  tlp: string;
  author: string;
  org: string;
  audience?: { organisations?: string[]; communities?: string[]; people?: string[] };
  concepts: string[];
  commitments: CommitmentSpec[];
}
interface ItemSpec {
  status: string;
  publishedAt: string | null;
  tlp: string;
  author: string;
  org: string;
  audience?: { organisations?: string[]; communities?: string[]; people?: string[] };
  concepts: string[];
}

async function putRecord(r: RecordSpec) {
  const id = newId();
  await t.db
    .insertInto('activity_records')
    .values({
      id,
      slug: `rm-${id}`,
      title: `Roadmap record ${id.slice(-6)}`,
      date: r.date,
      location: 'Santo Domingo',
      summary: 'A dialogue.',
      status: r.status,
      published_at: r.status === 'published' ? new Date() : null,
      tlp: r.tlp,
      pap: 'GREEN',
      author_id: r.author,
      author_org_id: r.org,
      audience_organisations: r.audience?.organisations ?? [],
      audience_communities: r.audience?.communities ?? [],
      audience_people: r.audience?.people ?? [],
      concepts: r.concepts,
    })
    .execute();
  for (const [position, c] of r.commitments.entries()) {
    const cid = newId();
    await t.db.insertInto('record_commitments').values({ id: cid, record_id: id, position, text: `Commitment ${position}`, due: c.due, status: c.status, progress: c.progress }).execute();
    for (const u of c.updates) await t.db.insertInto('commitment_updates').values({ id: newId(), commitment_id: cid, at: u.at, status: u.status, progress: u.progress }).execute();
  }
  return id;
}

async function putItem(k: ItemSpec) {
  const id = newId();
  await t.db
    .insertInto('knowledge_items')
    .values({
      id,
      slug: `rm-${id}`,
      type: 'good_practice',
      title: `Roadmap practice ${id.slice(-6)}`,
      language: 'en',
      status: k.status,
      published_at: k.publishedAt,
      tlp: k.tlp,
      pap: 'GREEN',
      author_id: k.author,
      author_org_id: k.org,
      audience_organisations: k.audience?.organisations ?? [],
      audience_communities: k.audience?.communities ?? [],
      audience_people: k.audience?.people ?? [],
      concepts: k.concepts,
    })
    .execute();
  return id;
}

// ------------------------------------------------------------------ reading the answers

interface Row {
  key: string;
  notation: string | null;
  label: string;
  lang: string;
  area: string | null;
  includes: string[];
  records: number;
  practices: number;
  commitments: { count: number; byStatus: Record<string, number>; overdue: number; meanProgress: number | null };
  series: { records: number[]; practices: number[]; commitments: number[]; meanProgress: (number | null)[] };
}
interface Roadmap {
  from: string;
  to: string;
  months: string[];
  today: string;
  lang: string;
  overall: Row;
  areas: Row[];
  takeaways: Row[];
}
const rowsOf = (r: Roadmap) => [r.overall, ...r.areas, ...r.takeaways];
const rowOf = (r: Roadmap, key: string) => rowsOf(r).find((x) => x.key === key)!;
const json = (res: LightMyRequestResponse) => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Roadmap;
};

/** Decode the text pdfkit writes uncompressed: TJ arrays of hex strings (WinAnsi) split by kerning. */
const pdfLines = (pdf: Buffer) =>
  [...pdf.toString('latin1').matchAll(/\[(.*?)\] TJ/g)].map((m) => [...m[1]!.matchAll(/<([0-9a-f]+)>/g)].map((h) => new TextDecoder('windows-1252').decode(Buffer.from(h[1]!, 'hex'))).join(''));

// ------------------------------------------------------------------ the oracle's vocabulary: the data files, read here on their own

const data = (name: string) =>
  JSON.parse(readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '../vocabularies/data', `${name}.json`), 'utf8')) as {
    concepts: { id: string; broader?: string; related?: string[] }[];
  };
/** Row key → the tags counted under it, from the shipped data: a takeaway with its sub-takeaways, an area with its takeaways, `all` with everything. */
function rowTags(): Map<string, Set<string>> {
  const takeaways = data('takeaways').concepts;
  const areas = data('action-areas').concepts;
  const parent = new Map(takeaways.map((c) => [c.id, c.broader ?? null]));
  const top = (id: string): string => (parent.get(id) ? top(parent.get(id)!) : id);
  const out = new Map<string, Set<string>>();
  for (const c of takeaways.filter((x) => !x.broader)) out.set(`takeaways/${c.id}`, new Set(takeaways.filter((x) => top(x.id) === c.id).map((x) => `takeaways/${x.id}`)));
  for (const a of areas) {
    const tags = new Set([`action-areas/${a.id}`]);
    for (const c of takeaways.filter((x) => !x.broader && (x.related ?? []).includes(`action-areas/${a.id}`))) for (const tag of out.get(`takeaways/${c.id}`)!) tags.add(tag);
    out.set(`action-areas/${a.id}`, tags);
  }
  out.set('all', new Set([...out.values()].flatMap((s) => [...s])));
  return out;
}
const ROW_TAGS = rowTags();

/** The figures written out from the specs of what one reader may see (published ones only, filtered by the caller). */
function expected(records: RecordSpec[], items: ItemSpec[], months: string[], today: string) {
  const next = (m: string) => {
    const [y, mo] = m.split('-').map(Number) as [number, number];
    return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  };
  const first = `${months[0]}-01`;
  const last = `${next(months[months.length - 1]!)}-01`;
  const inWindowR = records.filter((r) => r.status === 'published' && r.date >= first && r.date < last);
  const inWindowK = items.filter((k) => k.status === 'published' && k.publishedAt !== null && k.publishedAt.slice(0, 10) >= first && k.publishedAt.slice(0, 10) < last);
  const avg = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  const out = new Map<string, Omit<Row, 'key' | 'notation' | 'label' | 'lang' | 'area' | 'includes'>>();
  for (const [key, tags] of ROW_TAGS) {
    const recs = inWindowR.filter((r) => r.concepts.some((c) => tags.has(c)));
    const its = inWindowK.filter((k) => k.concepts.some((c) => tags.has(c)));
    const cs = recs.flatMap((r) => r.commitments.map((c) => ({ ...c, date: r.date })));
    const byStatus: Record<string, number> = { planned: 0, 'in progress': 0, done: 0, delayed: 0, dropped: 0 };
    for (const c of cs) byStatus[c.status]!++;
    const stateAt = (c: (typeof cs)[number], end: string) => {
      if (!c.updates.length) return { status: c.status, progress: c.progress };
      const before = c.updates.filter((u) => new Date(u.at).getTime() < new Date(`${end}T00:00:00Z`).getTime()).sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
      return before[before.length - 1] ?? { status: 'planned', progress: 0 };
    };
    out.set(key, {
      records: recs.length,
      practices: its.length,
      commitments: {
        count: cs.length,
        byStatus,
        overdue: cs.filter((c) => c.due !== null && c.due < today && c.status !== 'done' && c.status !== 'dropped').length,
        meanProgress: avg(cs.filter((c) => c.status !== 'dropped').map((c) => c.progress)),
      },
      series: {
        records: months.map((m) => recs.filter((r) => r.date.slice(0, 7) === m).length),
        practices: months.map((m) => its.filter((k) => k.publishedAt!.slice(0, 7) === m).length),
        commitments: months.map((m) => cs.filter((c) => c.date < `${next(m)}-01`).length),
        meanProgress: months.map((m) =>
          avg(
            cs
              .filter((c) => c.date < `${next(m)}-01`)
              .map((c) => stateAt(c, `${next(m)}-01`))
              .filter((s) => s.status !== 'dropped')
              .map((s) => s.progress),
          ),
        ),
      },
    });
  }
  return out;
}

const figures = (r: Row) => ({ records: r.records, practices: r.practices, commitments: r.commitments, series: r.series });

// ------------------------------------------------------------------ examples

describe('the roadmap dashboard', () => {
  const w = 'from=2030-01&to=2030-06';
  let records: RecordSpec[];
  let items: ItemSpec[];
  beforeAll(async () => {
    records = [
      // CLEAR, published, under takeaway 7 (policy level) by its sub-takeaway 7d; one commitment overdue, one done, one dropped.
      {
        date: '2030-02-10',
        status: 'published',
        tlp: 'CLEAR',
        author: authorA,
        org: orgA,
        concepts: ['takeaways/7d'],
        commitments: [
          { status: 'in progress', progress: 40, due: '2020-01-01', updates: [{ at: '2030-02-20T10:00:00Z', status: 'in progress', progress: 10 }, { at: '2030-04-10T10:00:00Z', status: 'in progress', progress: 40 }] },
          { status: 'done', progress: 100, due: null, updates: [] },
          { status: 'dropped', progress: 10, due: '2020-01-01', updates: [{ at: '2030-05-03T00:00:00Z', status: 'dropped', progress: 10 }] },
        ],
      },
      // GREEN, published: members only. Tagged with the takeaway and its area: counted once under the area.
      { date: '2030-03-05', status: 'published', tlp: 'GREEN', author: authorA, org: orgA, concepts: ['takeaways/7', 'action-areas/policy'], commitments: [{ status: 'planned', progress: 0, due: '2999-01-01', updates: [] }] },
      // A draft: never counted, not even by its own organisation.
      { date: '2030-02-01', status: 'draft', tlp: 'CLEAR', author: authorA, org: orgA, concepts: ['takeaways/7d'], commitments: [{ status: 'done', progress: 100, due: null, updates: [] }] },
      // AMBER for organisation B, by organisation C.
      { date: '2030-04-01', status: 'published', tlp: 'AMBER', author: authorC, org: orgC, audience: { organisations: [orgB] }, concepts: ['takeaways/1'], commitments: [{ status: 'delayed', progress: 20, due: '2020-06-01', updates: [] }] },
      // Outside the window.
      { date: '2029-12-31', status: 'published', tlp: 'CLEAR', author: authorA, org: orgA, concepts: ['takeaways/7'], commitments: [] },
    ];
    items = [
      { status: 'published', publishedAt: '2030-02-15T12:00:00Z', tlp: 'CLEAR', author: authorA, org: orgA, concepts: ['takeaways/7a'] },
      { status: 'published', publishedAt: '2030-05-01T00:00:00Z', tlp: 'AMBER', author: authorC, org: orgC, audience: { organisations: [orgA] }, concepts: ['takeaways/9'] },
      { status: 'draft', publishedAt: null, tlp: 'CLEAR', author: authorA, org: orgA, concepts: ['takeaways/7'] },
      { status: 'published', publishedAt: '2030-07-01T00:00:00Z', tlp: 'CLEAR', author: authorA, org: orgA, concepts: ['takeaways/7'] },
    ];
    for (const r of records) await putRecord(r);
    for (const k of items) await putItem(k);
  });

  it('counts for the public only what is CLEAR and published, under each takeaway and its action area, month by month', async () => {
    const r = json(await anonymous(`/api/v1/roadmap?${w}`));
    expect(r.months).toEqual(['2030-01', '2030-02', '2030-03', '2030-04', '2030-05', '2030-06']);
    expect(r.areas.map((a) => a.key)).toEqual(['action-areas/diplomatic', 'action-areas/policy', 'action-areas/technical']);
    expect(r.takeaways.map((a) => a.notation)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    expect(rowOf(r, 'takeaways/7')).toMatchObject({ area: 'action-areas/policy', includes: ['takeaways/7', 'takeaways/7a', 'takeaways/7b', 'takeaways/7c', 'takeaways/7d', 'takeaways/7e'] });
    const seven = figures(rowOf(r, 'takeaways/7'));
    expect(seven).toEqual({
      records: 1,
      practices: 1,
      commitments: { count: 3, byStatus: { planned: 0, 'in progress': 1, done: 1, delayed: 0, dropped: 1 }, overdue: 1, meanProgress: 70 },
      series: {
        records: [0, 1, 0, 0, 0, 0],
        practices: [0, 1, 0, 0, 0, 0],
        commitments: [0, 3, 3, 3, 3, 3],
        // February's end: 10 (its first update), 100 (no update: as it is), 0 (only a later update: planned); April: 40; from May the dropped one leaves.
        meanProgress: [null, 37, 37, 47, 70, 70],
      },
    });
    expect(figures(rowOf(r, 'action-areas/policy'))).toEqual(seven);
    expect(figures(rowOf(r, 'all'))).toEqual(seven);
    expect(figures(rowOf(r, 'takeaways/1'))).toMatchObject({ records: 0, commitments: { count: 0, meanProgress: null } });
    expect(rowOf(r, 'takeaways/9').practices).toBe(0);
    expect(r.overall.label).toBe('All action areas and takeaways');
  });

  it('counts for a member what their organisation may see: GREEN, and AMBER shared with it', async () => {
    const b = json(await memberB.get(`/api/v1/roadmap?${w}`));
    expect(figures(rowOf(b, 'takeaways/7'))).toMatchObject({ records: 2, practices: 1, commitments: { count: 4, byStatus: { planned: 1 }, overdue: 1, meanProgress: 47 } });
    // Tagged with takeaway 7 and with its area: once.
    expect(rowOf(b, 'action-areas/policy').records).toBe(2);
    expect(figures(rowOf(b, 'takeaways/1'))).toMatchObject({ records: 1, commitments: { count: 1, byStatus: { delayed: 1 }, overdue: 1, meanProgress: 20 } });
    expect(rowOf(b, 'action-areas/diplomatic').records).toBe(1);
    expect(rowOf(b, 'takeaways/9').practices).toBe(0);
    expect(b.overall.records).toBe(3);
    // Organisation A: not the AMBER record of C (not shared with it), but the AMBER practice shared with it; its own draft is still not counted.
    const a = json(await memberA.get(`/api/v1/roadmap?${w}`));
    expect(rowOf(a, 'takeaways/1').records).toBe(0);
    expect(rowOf(a, 'takeaways/9').practices).toBe(1);
    expect(rowOf(a, 'action-areas/technical').series.practices).toEqual([0, 0, 0, 0, 1, 0]);
    expect(rowOf(a, 'takeaways/7').records).toBe(2);
    expect(a.overall).toMatchObject({ records: 2, practices: 2 });
  });

  it('says the rows in the reader’s language and refuses a window that is not one', async () => {
    const es = json(await anonymous(`/api/v1/roadmap?${w}&lang=es`));
    expect(es.lang).toBe('es');
    expect(rowOf(es, 'action-areas/policy')).toMatchObject({ label: 'Nivel de políticas', lang: 'es' });
    expect(es.overall.label).toBe('Todas las áreas de acción y conclusiones');
    for (const q of ['from=2030-07&to=2030-06', 'from=2030-13', 'to=30-01', 'from=2000-01&to=2020-01', 'x=1'])
      expect({ q, status: (await anonymous(`/api/v1/roadmap?${q}`)).statusCode }).toEqual({ q, status: 400 });
    // The default: the last 24 months, this one included.
    const d = json(await anonymous('/api/v1/roadmap'));
    expect(d.months).toHaveLength(24);
    expect(d.to).toBe(new Date().toISOString().slice(0, 7));
  });

  it('exports the same figures as CSV, one line per row and measure, parsed back whole', async () => {
    const res = await memberB.get(`/api/v1/roadmap.csv?${w}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe('attachment; filename="roadmap-2030-01-2030-06.csv"');
    expect(res.body.charCodeAt(0)).not.toBe(0xfeff);
    const rows = parseCsv(res.body);
    expect(rows[0]).toEqual(['row', 'key', 'notation', 'label', 'measure', 'total', '2030-01', '2030-02', '2030-03', '2030-04', '2030-05', '2030-06']);
    // 1 + 3 + 12 rows × 10 measures.
    expect(rows).toHaveLength(1 + 16 * 10);
    const line = (key: string, measure: string) => rows.find((x) => x[1] === key && x[4] === measure)!;
    expect(line('takeaways/7', 'records')).toEqual(['takeaway', 'takeaways/7', '7', expect.any(String), 'records', '2', '0', '1', '1', '0', '0', '0']);
    expect(line('takeaways/7', 'mean_progress').slice(5)).toEqual(['47', '', '37', '28', '35', '47', '47']);
    expect(line('takeaways/7', 'commitments_in_progress').slice(5)).toEqual(['1', '', '', '', '', '', '']);
    expect(line('all', 'records')[0]).toBe('all');
    const j = json(await memberB.get(`/api/v1/roadmap?${w}`));
    for (const row of rowsOf(j)) {
      expect(line(row.key, 'practices').slice(5).map(Number)).toEqual([row.practices, ...row.series.practices]);
      expect(line(row.key, 'commitments_overdue')[5]).toBe(String(row.commitments.overdue));
    }
  });

  it('exports the same figures as a PDF in the reader’s language, for whom it was made', async () => {
    const res = await memberA.get(`/api/v1/roadmap.pdf?${w}&lang=es`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="roadmap-2030-01-2030-06.pdf"');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-8).toString()).toContain('%%EOF');
    const lines = pdfLines(pdf);
    expect(lines).toContain('Hoja de ruta hacia la cumbre UE-CELAC');
    expect(lines.join(' ')).toContain('Ana Muñoz (Ministerio de Relaciones Exteriores y Culto)');
    expect(lines).toContain('Periodo: de 2030-01 a 2030-06');
    expect(lines).toContain('Áreas de acción');
    expect(lines).toContain('Compromisos por estado, por conclusión');
    if (pdftotext) {
      // An independent reader of the file (poppler).
      const dir = mkdtempSync(path.join(os.tmpdir(), 'roadmap-pdf-'));
      writeFileSync(path.join(dir, 'r.pdf'), pdf);
      const out = spawnSync(pdftotext, ['-enc', 'UTF-8', path.join(dir, 'r.pdf'), '-']);
      expect(out.status, out.stderr.toString()).toBe(0);
      const text = out.stdout.toString('utf8');
      expect(text).toContain('Hoja de ruta hacia la cumbre UE-CELAC');
      expect(text).toContain('Ana Muñoz');
      expect(text).toContain('Nivel de políticas');
    }
    // The public's PDF says it was made for the public.
    const pub = await anonymous(`/api/v1/roadmap.pdf?${w}&lang=fr`);
    const publicLines = pdfLines(pub.rawPayload);
    expect(publicLines.join(' ')).toContain('le public (contenu CLEAR uniquement)');
    expect(publicLines).toContain('Feuille de route vers le sommet UE-CELAC');
  });
});

// ------------------------------------------------------------------ property

const CONCEPTS = ['takeaways/7', 'takeaways/7d', 'takeaways/2a', 'takeaways/9', 'action-areas/policy', 'action-areas/technical', 'un-norms-2015/c'];
const STATUSES = ['planned', 'in progress', 'done', 'delayed', 'dropped'];
const commitmentArb = fc.record({
  status: fc.constantFrom(...STATUSES),
  progress: fc.integer({ min: 0, max: 100 }),
  due: fc.constantFrom(null, '2001-01-01', '2999-01-01'),
  updates: fc.array(fc.record({ month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }), status: fc.constantFrom(...STATUSES), progress: fc.integer({ min: 0, max: 100 }) }), { maxLength: 3 }),
});
const conceptsArb = fc.subarray(CONCEPTS, { minLength: 0, maxLength: 3 });
/** Month 0 is the December before the window, 13 the January after it: the edges are drawn too. */
const whenArb = fc.record({ month: fc.integer({ min: 0, max: 13 }), day: fc.integer({ min: 1, max: 28 }) });

describe('the roadmap dashboard (property)', () => {
  it('every figure, for every reader, in the JSON and in the CSV, is what the oracle counts over what that reader may see', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    const worldArb = fc
      .record({
        society: societyArb({ maxOrgs: 3, maxPeople: 4, maxCommunities: 2 }),
        records: fc.array(fc.record({ author: fc.nat(), mark: markArb, status: fc.constantFrom('draft', 'proposed', 'published', 'published'), when: whenArb, concepts: conceptsArb, commitments: fc.array(commitmentArb, { maxLength: 3 }) }), {
          minLength: 1,
          maxLength: 5,
        }),
        items: fc.array(fc.record({ author: fc.nat(), mark: markArb, status: fc.constantFrom('draft', 'in_review', 'published', 'published'), when: whenArb, concepts: conceptsArb }), { maxLength: 5 }),
      })
      .map((w) => {
        const fit = fitTo(w.society);
        return {
          society: fit.society,
          records: w.records.map((r) => ({ ...r, author: fit.person(r.author), mark: fit.mark(r.mark) })),
          items: w.items.map((r) => ({ ...r, author: fit.person(r.author), mark: fit.mark(r.mark) })),
        };
      });
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: w, records, items }) => {
        run++;
        // Each world has a year of its own: what earlier worlds wrote stays out of its window.
        const year = 2100 + run * 2;
        const day = (m: { month: number; day: number }) =>
          m.month === 0 ? `${year - 1}-12-${String(m.day).padStart(2, '0')}` : m.month === 13 ? `${year + 1}-01-${String(m.day).padStart(2, '0')}` : `${year}-${String(m.month).padStart(2, '0')}-${String(m.day).padStart(2, '0')}`;
        const ids = await insertSociety(t.db, w, { country: 'PA', label: `rm${run}`, passwordHash: hash });
        const stored = (m: Mark): Mark => ({ tlp: m.tlp, orgs: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? m.orgs : [], comms: m.tlp === 'AMBER' ? m.comms : [], people: m.tlp === 'RED' ? m.people : [] });
        const audience = (m: Mark) => ({ organisations: m.orgs.map((o) => ids.orgIds[o]!), communities: m.comms.map((c) => ids.commIds[c]!), people: m.people.map((p) => ids.personIds[p]!) });
        const made: { spec: RecordSpec; mark: Mark; author: number }[] = [];
        for (const r of records) {
          const mark = stored(r.mark);
          const spec: RecordSpec = {
            date: day(r.when),
            status: r.status,
            tlp: mark.tlp,
            author: ids.personIds[r.author]!,
            org: ids.orgIds[w.people[r.author]!.org]!,
            audience: audience(mark),
            concepts: r.concepts,
            // Distinct times: the latest update of a month's end is one.
            commitments: r.commitments.map((c) => ({ ...c, updates: c.updates.map((u, i) => ({ at: `${day(u)}T00:00:0${i}Z`, status: u.status, progress: u.progress })) })),
          };
          await putRecord(spec);
          made.push({ spec, mark, author: r.author });
        }
        const madeItems: { spec: ItemSpec; mark: Mark; author: number }[] = [];
        for (const [n, k] of items.entries()) {
          const mark = stored(k.mark);
          const spec: ItemSpec = {
            status: k.status,
            // A draft may carry the time it was once published: the status decides.
            publishedAt: k.status === 'published' || n % 2 ? `${day(k.when)}T${n % 3 ? '23:59:59' : '00:00:00'}Z` : null,
            tlp: mark.tlp,
            author: ids.personIds[k.author]!,
            org: ids.orgIds[w.people[k.author]!.org]!,
            audience: audience(mark),
            concepts: k.concepts,
          };
          await putItem(spec);
          madeItems.push({ spec, mark, author: k.author });
        }
        const window = `from=${year}-01&to=${year}-12`;
        for (const v of [null, ...w.people.keys()]) {
          let get: (url: string) => Promise<LightMyRequestResponse>;
          if (v === null) get = anonymous;
          else {
            const s = await createSession(t.db, ids.personIds[v]!, t.deps.config.session, {});
            const client = clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
            get = (url) => client.get(url);
          }
          // Independent of the code under test: the TLP table, and "published" in words.
          const mayRecords = made.filter((m) => tlpOracle(w, v, m.author, m.mark)).map((m) => m.spec);
          const mayItems = madeItems.filter((m) => tlpOracle(w, v, m.author, m.mark)).map((m) => m.spec);
          const r = json(await get(`/api/v1/roadmap?${window}`));
          const want = expected(mayRecords, mayItems, r.months, r.today);
          expect(r.months).toHaveLength(12);
          expect(rowsOf(r).map((x) => x.key).sort()).toEqual([...want.keys()].sort());
          for (const row of rowsOf(r)) expect({ v, key: row.key, ...figures(row) }).toEqual({ v, key: row.key, ...want.get(row.key)! });
          seen += want.get('all')!.records + want.get('all')!.practices;
          // The CSV: the same numbers, line by line.
          const csv = parseCsv((await get(`/api/v1/roadmap.csv?${window}`)).body);
          const cell = (x: number | null) => (x === null ? '' : String(x));
          for (const [key, f] of want) {
            const line = (measure: string) => csv.find((x) => x[1] === key && x[4] === measure)?.slice(5);
            expect({ v, key, records: line('records') }).toEqual({ v, key, records: [f.records, ...f.series.records].map(cell) });
            expect({ v, key, practices: line('practices') }).toEqual({ v, key, practices: [f.practices, ...f.series.practices].map(cell) });
            expect({ v, key, commitments: line('commitments') }).toEqual({ v, key, commitments: [f.commitments.count, ...f.series.commitments].map(cell) });
            expect({ v, key, progress: line('mean_progress') }).toEqual({ v, key, progress: [f.commitments.meanProgress, ...f.series.meanProgress].map(cell) });
            expect({ v, key, overdue: line('commitments_overdue')?.[0] }).toEqual({ v, key, overdue: cell(f.commitments.overdue) });
            for (const s of STATUSES) expect({ v, key, s, n: line(`commitments_${s.replace(' ', '_')}`)?.[0] }).toEqual({ v, key, s, n: cell(f.commitments.byStatus[s]!) });
          }
        }
      }),
      { numRuns: 40 },
    );
    expect(seen).toBeGreaterThan(10);
  }, 400_000);
});
