import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES, type Situation } from '#shared/incidents';
import { TLP_LEVELS } from '#shared/tlp';
import { createSession } from '../../platform/auth/sessions.js';
import { parseCsv } from '../../platform/csv.js';
import { platformOf } from '../../platform/deps.js';
import { newId } from '../../platform/ids.js';
import { clientFor, createTestApp, testPasswordHash, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark, type Society } from '../../test/worlds.js';
import { ingestObjects } from '../intel/store.js';
import { withPuente } from '../intel/stix/puente-extension.js';

/**
 * Random worlds of incident reports (some exercises), intel objects they link to and sightings,
 * each marked at every level, seen by every person and the public: every figure of the picture —
 * per country, the matrix, the trends, the leading classes, techniques and vulnerabilities, the
 * sightings, the marking — its CSV and its PDF (read back by poppler) must be exactly what an oracle
 * computes from the world with the TLP table of worlds.ts, never from the code under test.
 * Sightings are counted from the day roll-up (migrations/0037, kept by triggers: the world's
 * sightings are inserted, moved and withdrawn after it exists) and, when a sector is asked, from
 * intel_sightings itself; both are held to the same oracle.
 */

const pdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).stdout.toString().trim();

const COUNTRIES = ['CO', 'CL', 'ES'] as const;
const SECTORS = ['energy', 'health'] as const;
const CLASSES = ['intrusions/system-compromise', 'malicious-code/infected-system', 'availability/ddos'] as const;
const SEVERITIES = [null, 'red', 'yellow', 'green', 'white'] as const;
const SEVERITY_ORDER = ['red', 'yellow', 'green', 'white'];
/** The last day of every window asked; reports are dated back from its noon. */
const TO = '2027-03-31';
const NOON = Date.parse(`${TO}T12:00:00Z`);
const DAY = 86_400_000;

interface ReportSpec {
  author: number;
  mark: Mark;
  exercise: boolean;
  countries: string[];
  sectors: string[];
  status: (typeof INCIDENT_STATUSES)[number];
  severity: (typeof SEVERITIES)[number];
  rsit: string;
  /** Days before TO's noon the organisation became aware. */
  ago: number;
  /** Days after that it was closed (when closed). */
  closedAfter: number;
  links: number[];
  word: 'alpha' | 'beta';
  shared: boolean;
}
interface ObjectSpec {
  type: 'attack-pattern' | 'vulnerability';
  author: number;
  mark: Mark;
  kev: boolean;
}
interface SightingSpec {
  reporter: number;
  mark: Mark;
  of: number;
  count: number;
  ago: number;
  country: (typeof COUNTRIES)[number] | 'INT';
  sector: (typeof SECTORS)[number];
  /** After all are written: left as is, moved a day back with one more time seen (an update), or withdrawn (a delete). */
  then: 'kept' | 'moved' | 'withdrawn';
}

let t: TestApp;
let states: string[];
beforeAll(async () => {
  t = await createTestApp();
  states = (await t.db.selectFrom('countries').select(['code', 'region']).where('kind', '=', 'state').orderBy('code').execute()).filter((r) => r.region === 'EU' || r.region === 'LAC').map((r) => r.code);
});
afterAll(async () => t?.close());

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('the situational picture (property)', () => {
  it('every figure, the CSV and the PDF are exactly what the oracle allows each reader, and exercises never count', async () => {
    const hash = await testPasswordHash();
    const p = platformOf(t.deps);
    let run = 0;
    let counted = 0;
    const worldArb = fc
      .record({
        society: societyArb({ maxOrgs: 3, minPeople: 2, maxPeople: 4, maxCommunities: 2 }),
        objects: fc.array(fc.record({ type: fc.constantFrom('attack-pattern' as const, 'vulnerability' as const), author: fc.nat(), mark: markArb, kev: fc.boolean() }), { minLength: 1, maxLength: 4 }),
        reports: fc.array(
          fc.record({
            author: fc.nat(),
            mark: markArb,
            exercise: fc.constantFrom(false, false, false, true),
            countries: fc.subarray([...COUNTRIES], { minLength: 1 }),
            sectors: fc.subarray([...SECTORS]),
            status: fc.constantFrom(...INCIDENT_STATUSES),
            severity: fc.constantFrom(...SEVERITIES),
            rsit: fc.constantFrom(...CLASSES),
            ago: fc.oneof(fc.nat({ max: 29 }), fc.nat({ max: 130 })),
            closedAfter: fc.nat({ max: 10 }),
            links: fc.array(fc.nat(), { maxLength: 2 }),
            word: fc.constantFrom('alpha' as const, 'beta' as const),
            shared: fc.boolean(),
          }),
          { minLength: 1, maxLength: 7 },
        ),
        sightings: fc.array(
          fc.record({
            reporter: fc.nat(),
            mark: markArb,
            of: fc.nat(),
            count: fc.integer({ min: 1, max: 9 }),
            ago: fc.nat({ max: 40 }),
            // INT: a sighting may name the directory's international bodies, which are no region code.
            country: fc.constantFrom(...COUNTRIES, 'INT' as const),
            sector: fc.constantFrom(...SECTORS),
            then: fc.constantFrom('kept' as const, 'kept' as const, 'moved' as const, 'withdrawn' as const),
          }),
          { maxLength: 4 },
        ),
      })
      .map((w) => {
        const fit = fitTo(w.society);
        return {
          society: fit.society as Society,
          objects: w.objects.map((o): ObjectSpec => ({ ...o, author: fit.person(o.author), mark: fit.mark(o.mark) })),
          reports: w.reports.map((r): ReportSpec => ({ ...r, author: fit.person(r.author), mark: fit.mark(r.mark), links: [...new Set(r.links.map((l) => l % w.objects.length))] })),
          sightings: w.sightings.map((s): SightingSpec => ({ ...s, reporter: fit.person(s.reporter), mark: fit.mark(s.mark), of: s.of % w.objects.length })),
        };
      });

    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        run++;
        const w = world.society;
        // Each world alone among incident reports and sightings: the picture counts everything the reader may see.
        await t.db.deleteFrom('incident_reports').execute();
        await t.db.deleteFrom('intel_sightings').execute();
        const ids = await insertSociety(t.db, w, { country: 'PA', label: `sit${run}`, passwordHash: hash });
        const orgOf = (person: number) => w.people[person]!.org;
        const stored = (m: Mark): Mark => ({ tlp: m.tlp, orgs: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? m.orgs : [], comms: m.tlp === 'AMBER' ? m.comms : [], people: m.tlp === 'RED' ? m.people : [] });
        const aud = (m: Mark) => ({ organisations: m.orgs.map((o) => ids.orgIds[o]!), communities: m.comms.map((c) => ids.commIds[c]!), people: m.people.map((x) => ids.personIds[x]!) });

        // ---- the world in the database
        const stixIds = world.objects.map((o) => `${o.type}--${crypto.randomUUID()}`);
        for (const [i, o] of world.objects.entries()) {
          const body: Record<string, unknown> = {
            type: o.type,
            spec_version: '2.1',
            id: stixIds[i],
            created: '2026-01-01T00:00:00.000Z',
            modified: '2026-01-01T00:00:00.000Z',
            name: o.type === 'vulnerability' ? `CVE-2026-${1000 + i}` : `technique ${run}-${i}`,
            ...(o.type === 'attack-pattern' ? { external_references: [{ source_name: 'mitre-attack', external_id: `T${1000 + i}` }] } : {}),
            ...(o.type === 'vulnerability' && o.kev ? withPuente({ kev: { date_added: '2026-01-01', due_date: '2026-01-21', known_ransomware_campaign_use: 'Known', vendor_project: 'V', product: 'P' } } as never) : {}),
          };
          const r = await ingestObjects(p, [body], { source: 'test', actor: { personId: ids.personIds[o.author]!, organisationId: ids.orgIds[orgOf(o.author)]!, viewer: null }, defaultTlp: o.mark.tlp, audience: aud(o.mark) });
          expect(r.results[0]!.status).toBe('accepted');
        }
        const seqs = new Map((await t.db.selectFrom('intel_objects').select(['stix_id', 'seq']).where('stix_id', 'in', stixIds).execute()).map((r) => [r.stix_id, r.seq]));
        const reports = world.reports.map((r) => {
          const aware = NOON - r.ago * DAY;
          return { spec: r, id: newId(), aware, closed: r.status === 'closed' ? aware + r.closedAfter * DAY : null };
        });
        // A report shared with the first community has it in its audience.
        const markOf = (r: ReportSpec): Mark => (stored(r.mark).tlp === 'AMBER' && r.shared && ids.commIds[0] ? { ...r.mark, comms: [...new Set([...r.mark.comms, 0])] } : r.mark);
        for (const r of reports) {
          const m = stored(markOf(r.spec));
          await t.db
            .insertInto('incident_reports')
            .values({
              id: r.id,
              stix_id: `incident--${crypto.randomUUID()}`,
              title: `Incident ${r.spec.word} ${run}`,
              description: 'A report.',
              language: 'en',
              rsit_class: r.spec.rsit,
              impact_severity: r.spec.severity,
              countries: r.spec.countries,
              sectors: r.spec.sectors,
              aware_at: new Date(r.aware),
              status: r.spec.status,
              outcome: r.closed === null ? null : 'blocked',
              closed_at: r.closed === null ? null : new Date(r.closed),
              owner_org_id: ids.orgIds[orgOf(r.spec.author)]!,
              exercise: r.spec.exercise,
              tlp: m.tlp,
              pap: 'AMBER',
              author_id: ids.personIds[r.spec.author]!,
              author_org_id: ids.orgIds[orgOf(r.spec.author)]!,
              audience_organisations: aud(m).organisations,
              audience_communities: aud(m).communities,
              audience_people: aud(m).people,
            })
            .execute();
          if (r.spec.links.length) await t.db.insertInto('incident_links').values(r.spec.links.map((l) => ({ incident_id: r.id, stix_id: stixIds[l]! }))).execute();
        }
        // Written after the roll-up of migrations/0037 exists, so its triggers keep it: inserted
        // one by one, then some moved (updated) and some withdrawn (deleted).
        const sightingIds = world.sightings.map(() => newId());
        for (const [i, s] of world.sightings.entries()) {
          const m = stored(s.mark);
          const at = new Date(NOON - s.ago * DAY);
          await t.db
            .insertInto('intel_sightings')
            .values({
              id: sightingIds[i]!,
              object_seq: seqs.get(stixIds[s.of]!)!,
              sighting_of: stixIds[s.of]!,
              count: s.count,
              first_seen: at,
              last_seen: at,
              country: s.country,
              sector: s.sector,
              reporter_id: ids.personIds[s.reporter]!,
              reporter_org_id: ids.orgIds[orgOf(s.reporter)]!,
              tlp: m.tlp,
              pap: 'CLEAR',
              author_id: ids.personIds[s.reporter]!,
              author_org_id: ids.orgIds[orgOf(s.reporter)]!,
              ...(({ organisations, communities, people }) => ({ audience_organisations: organisations, audience_communities: communities, audience_people: people }))(aud(m)),
            })
            .execute();
        }
        const moved = sightingIds.filter((_, i) => world.sightings[i]!.then === 'moved');
        if (moved.length)
          await t.db
            .updateTable('intel_sightings')
            .set((eb) => ({ count: eb('count', '+', 1), first_seen: sql<Date>`first_seen - interval '1 day'`, last_seen: sql<Date>`last_seen - interval '1 day'` }))
            .where('id', 'in', moved)
            .execute();
        const withdrawn = sightingIds.filter((_, i) => world.sightings[i]!.then === 'withdrawn');
        if (withdrawn.length) await t.db.deleteFrom('intel_sightings').where('id', 'in', withdrawn).execute();
        const sightingsNow = world.sightings.filter((s) => s.then !== 'withdrawn').map((s) => (s.then === 'moved' ? { ...s, ago: s.ago + 1, count: s.count + 1 } : s));

        // ---- the oracle, from the rules in words
        const inCommunity0 = (r: ReportSpec) => !!ids.commIds[0] && stored(markOf(r)).comms.includes(0);
        interface Q {
          from: string;
          country?: string[];
          sector?: string[];
          status?: string[];
          rsit?: string[];
          severity?: string[];
          community?: boolean;
          word?: string;
        }
        const expected = (v: number | null, q: Q): Omit<Situation, 'countries'> & { countries: { code: string; severity: string | null; open: number; reports: number }[] } => {
          const start = Date.parse(`${q.from}T00:00:00Z`);
          const end = Date.parse(`${TO}T00:00:00Z`) + DAY;
          const days = Math.round((end - start) / DAY);
          const bucketDays = days > 62 ? 7 : 1;
          const buckets = Math.ceil(days / bucketDays);
          const seen = reports.filter((r) => tlpOracle(w, v, r.spec.author, markOf(r.spec)));
          const rs = seen
            .filter((r) => !r.spec.exercise && r.aware >= start && r.aware < end)
            .filter((r) => !q.country || r.spec.countries.some((c) => q.country!.includes(c)))
            .filter((r) => !q.sector || r.spec.sectors.some((c) => q.sector!.includes(c)))
            .filter((r) => !q.status || q.status.includes(r.spec.status))
            .filter((r) => !q.rsit || q.rsit.some((x) => r.spec.rsit === x || r.spec.rsit.startsWith(`${x}/`)))
            .filter((r) => !q.severity || (r.spec.severity !== null && q.severity.includes(r.spec.severity)))
            .filter((r) => !q.community || inCommunity0(r.spec))
            .filter((r) => !q.word || r.spec.word === q.word);
          const objectSeen = (i: number) => tlpOracle(w, v, world.objects[i]!.author, world.objects[i]!.mark);
          const ss = sightingsNow
            .map((s) => ({ ...s, at: NOON - s.ago * DAY }))
            .filter((s) => tlpOracle(w, v, s.reporter, s.mark) && objectSeen(s.of) && s.at >= start && s.at < end)
            .filter((s) => !q.country || q.country.includes(s.country))
            .filter((s) => !q.sector || q.sector.includes(s.sector));
          const open = (r: (typeof rs)[number]) => r.spec.status !== 'closed';
          const ranks = [...rs.map((r) => r.spec.mark.tlp), ...ss.map((s) => s.mark.tlp)].map((x) => TLP_LEVELS.indexOf(x));
          const bucketOf = (ms: number) => Math.floor((ms - start) / (bucketDays * DAY));
          const leading = (type: ObjectSpec['type']) =>
            world.objects
              .map((o, i) => ({ o, i, n: rs.filter((r) => r.spec.links.includes(i)).length }))
              .filter((x) => x.o.type === type && x.n > 0 && objectSeen(x.i))
              .sort((a, b) => b.n - a.n || (stixIds[a.i]! < stixIds[b.i]! ? -1 : 1));
          const byCountrySightings = new Map<string, number>();
          for (const s of ss) byCountrySightings.set(s.country, (byCountrySightings.get(s.country) ?? 0) + s.count);
          return {
            from: q.from,
            to: TO,
            bucket: bucketDays === 1 ? 'day' : 'week',
            reports: rs.length,
            open: rs.filter(open).length,
            marking: ranks.length ? TLP_LEVELS[Math.max(...ranks)]! : null,
            countries: states.map((code) => {
              const here = rs.filter((r) => r.spec.countries.includes(code));
              const severities = here.filter(open).flatMap((r) => (r.spec.severity === null ? [] : [r.spec.severity as string])).sort((a, b) => SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b));
              return { code, severity: severities[0] ?? null, open: here.filter(open).length, reports: here.length };
            }),
            matrix: [...COUNTRIES]
              .sort()
              .flatMap((country) => [...SECTORS].sort().map((sector) => ({ country, sector, reports: rs.filter((r) => r.spec.countries.includes(country) && r.spec.sectors.includes(sector)).length })))
              .filter((x) => x.reports > 0),
            trends: Array.from({ length: buckets }, (_, i) => ({
              start: dayOf(start + i * bucketDays * DAY),
              reported: rs.filter((r) => bucketOf(r.aware) === i).length,
              closed: rs.filter((r) => r.closed !== null && r.closed < end && bucketOf(r.closed) === i).length,
              sightings: ss.filter((s) => bucketOf(s.at) === i).reduce((a, s) => a + s.count, 0),
            })),
            rsit: [...CLASSES]
              .map((rsitClass) => ({ rsitClass, reports: rs.filter((r) => r.spec.rsit === rsitClass).length }))
              .filter((x) => x.reports > 0)
              .sort((a, b) => b.reports - a.reports || (a.rsitClass < b.rsitClass ? -1 : 1)),
            techniques: leading('attack-pattern').map((x) => ({ stixId: stixIds[x.i]!, externalId: `T${1000 + x.i}`, name: `technique ${run}-${x.i}`, reports: x.n })),
            vulnerabilities: leading('vulnerability').map((x) => ({ stixId: stixIds[x.i]!, name: `CVE-2026-${1000 + x.i}`, kev: x.o.kev, ransomware: x.o.kev, reports: x.n })),
            sightings: {
              reports: ss.length,
              count: ss.reduce((a, s) => a + s.count, 0),
              byCountry: [...byCountrySightings].map(([country, count]) => ({ country, count })).sort((a, b) => b.count - a.count || (a.country < b.country ? -1 : 1)),
            },
          };
        };
        const figures = (d: Situation) => ({ ...d, countries: d.countries.map((c) => ({ code: c.code, severity: c.severity, open: c.open, reports: c.reports })) });

        const month = '2027-03-02';
        const variants: [string, Q][] = [
          [`from=${month}&to=${TO}`, { from: month }],
          [`from=${month}&to=${TO}&country=CO`, { from: month, country: ['CO'] }],
          // Sightings with a sector asked are counted from intel_sightings, without from the day roll-up: every sector asked is the same world both ways.
          [`from=${month}&to=${TO}&sector=energy,health`, { from: month, sector: ['energy', 'health'] }],
          [`from=${month}&to=${TO}&sector=energy&status=new,triage,investigating`, { from: month, sector: ['energy'], status: ['new', 'triage', 'investigating'] }],
          [`from=${month}&to=${TO}&rsit=intrusions,availability/ddos&impactSeverity=red,yellow`, { from: month, rsit: ['intrusions', 'availability/ddos'], severity: ['red', 'yellow'] }],
          [`from=2026-12-01&to=${TO}&q=alpha`, { from: '2026-12-01', word: 'alpha' }],
          ...(ids.commIds[0] ? ([[`from=${month}&to=${TO}&community=${ids.commIds[0]}`, { from: month, community: true }]] as [string, Q][]) : []),
        ];

        for (const v of [null, ...w.people.keys()]) {
          let get: (url: string) => Promise<{ statusCode: number; body: string; rawPayload: Buffer; json: () => unknown }>;
          if (v === null) get = (url) => t.app.inject({ method: 'GET', url });
          else {
            const s = await createSession(t.db, ids.personIds[v]!, t.deps.config.session, {});
            const client = clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
            get = (url) => client.get(url);
          }
          for (const [query, q] of variants) {
            const res = await get(`/api/v1/situation?${query}`);
            expect(res.statusCode, res.body).toBe(200);
            const want = expected(v, q);
            expect({ v, query, got: figures(res.json() as Situation) }).toEqual({ v, query, got: want });
            counted += want.reports + want.sightings.reports;
          }
          const all = expected(v, { from: month });

          // The CSV: the matrix, line by line, with the marking.
          const csv = await get(`/api/v1/situation.csv?from=${month}&to=${TO}`);
          expect(csv.statusCode).toBe(200);
          const lines = parseCsv(csv.body.replace(/^\uFEFF/, '')).slice(1);
          expect({ v, lines: lines.map((l) => [l[0], l[2], Number(l[4]), l[5]]) }).toEqual({ v, lines: all.matrix.map((x) => [x.country, x.sector, x.reports, all.marking ?? '']) });

          // The PDF, read back by an independent reader (poppler): the banner and the per-country table.
          if (pdftotext) {
            const pdf = await get(`/api/v1/situation.pdf?from=${month}&to=${TO}&lang=en`);
            expect(pdf.statusCode).toBe(200);
            const dir = mkdtempSync(path.join(os.tmpdir(), 'situation-pdf-'));
            writeFileSync(path.join(dir, 's.pdf'), pdf.rawPayload);
            const text = spawnSync(pdftotext, ['-layout', '-enc', 'UTF-8', path.join(dir, 's.pdf'), '-']).stdout.toString('utf8');
            expect({ v, banner: text.includes(all.marking ? `TLP:${all.marking}` : 'NOTHING COUNTED') }).toEqual({ v, banner: true });
            for (const level of TLP_LEVELS) if (level !== all.marking && !(all.marking === 'AMBER+STRICT' && level === 'AMBER')) expect({ v, level, shown: text.includes(`TLP:${level}`) }).toEqual({ v, level, shown: false });
            const section = text.slice(text.indexOf('By country'), text.indexOf('Country × sector'));
            const rows = new Map(section.split('\n').map((l) => l.trim().split(/\s{2,}/)).filter((c) => c.length > 1).map((c) => [c[0]!, c.slice(1)]));
            const names = new Intl.DisplayNames(['en'], { type: 'region' });
            for (const c of all.countries) {
              const words: Record<string, string> = { red: 'Red — major impact', yellow: 'Yellow — significant impact', green: 'Green — minor impact', white: 'White — no impact' };
              expect({ v, c: c.code, shown: rows.get(names.of(c.code)!) }).toEqual({ v, c: c.code, shown: c.reports ? [c.severity ? words[c.severity] : '—', String(c.open), String(c.reports)] : undefined });
            }
            const total = text.split('\n').find((l) => /^Reports\s{2,}\d/.test(l.trim()))?.trim().split(/\s{2,}/)[1];
            expect({ v, total }).toEqual({ v, total: String(all.reports) });
          }
        }
      }),
      { numRuns: 12 },
    );
    expect(counted).toBeGreaterThan(20);
  }, 900_000);
});
