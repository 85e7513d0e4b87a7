// What a report contains and which reports contain an object, as the object page gives them:
// only what the viewer may see, hidden members neither listed nor counted; ATT&CK-style
// descriptions as sanitised Markdown with their citations; the CVSS and CWE facts of a
// vulnerability, from the advisories of its CVE the viewer may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { TLP2_IDS } from './stix/tlp.js';
import { bundle, indicator } from './stix.test-helpers.js';

let t: TestApp;
let author: Client, member: Client, outsider: Client;

beforeAll(async () => {
  t = await createTestApp();
  const orgA = await makeOrganisation(t.db, { country: 'CL' });
  const orgB = await makeOrganisation(t.db, { country: 'PT' });
  const orgC = await makeOrganisation(t.db, { country: 'PE' });
  const [a, b, c] = await Promise.all([makePerson(t.db, orgA, { roles: ['member', 'org_admin'] }), makePerson(t.db, orgB), makePerson(t.db, orgC)]);
  await makeCommunity(t.db, { organisations: [orgA, orgB] });
  [author, member, outsider] = await Promise.all([a, b, c].map((p) => login(t.app, p.email)));
});
afterAll(async () => t?.close());

const T0 = '2026-02-01T00:00:00.000Z';
const T1 = '2026-02-02T00:00:00.000Z';
const T2 = '2026-02-03T00:00:00.000Z';
const marking = (tlp: keyof typeof TLP2_IDS) => ({ object_marking_refs: [TLP2_IDS[tlp]] });
const report = (id: string, refs: string[], over: Record<string, unknown> = {}) => ({
  type: 'report',
  spec_version: '2.1',
  id,
  created: T0,
  modified: T0,
  name: `Report ${id.slice(-6)}`,
  published: T0,
  object_refs: refs,
  ...over,
});
async function store(c: Client, objects: unknown[]) {
  const res = await c.post('/api/v1/intel/bundles', { bundle: bundle(objects) });
  expect(res.statusCode, res.body.slice(0, 500)).toBe(201);
  expect(res.json().rejected).toBe(0);
}
type Listed = { id: string; type: string; name: string | null; tlp: string; relationship: { relationshipType: string; sourceRef: string; targetRef: string } | null };
async function page(c: Client, id: string) {
  const res = await c.get(`/api/v1/intel/objects/${id}`);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return res.json() as { contains: Listed[]; containedIn: Listed[]; relationships: unknown[]; descriptionHtml: string | null; object: Record<string, unknown> };
}
const ids = (xs: Listed[]) => xs.map((x) => x.id).sort();
/** The answer without the stored STIX object, which is given back exactly as received (its object_refs too). */
const beyondObject = (p: Record<string, unknown>) => JSON.stringify({ ...p, object: undefined });

describe('report contents and the reports an object belongs to', () => {
  it('lists the members the viewer may see; a hidden member is neither listed nor counted', async () => {
    const shown = indicator({ name: 'Shown indicator', ...marking('GREEN') });
    const hidden = indicator({ name: 'Strictly our indicator', ...marking('AMBER+STRICT') });
    const malware = { type: 'malware', spec_version: '2.1', id: `malware--${crypto.randomUUID()}`, created: T0, modified: T0, name: 'ReportWorm', is_family: true, ...marking('GREEN') };
    const rel = { type: 'relationship', spec_version: '2.1', id: `relationship--${crypto.randomUUID()}`, created: T0, modified: T0, relationship_type: 'indicates', source_ref: shown.id, target_ref: malware.id, ...marking('GREEN') };
    const r = report(`report--${crypto.randomUUID()}`, [shown.id, hidden.id, malware.id, rel.id], marking('GREEN'));
    await store(author, [shown, hidden, malware, rel, r]);

    // The author's organisation sees all four members.
    expect(ids((await page(author, r.id)).contains)).toEqual([shown.id, hidden.id, malware.id, rel.id].sort());
    // Another organisation: three, and nothing beyond the stored object itself says there was a fourth.
    const seen = await page(member, r.id);
    expect(ids(seen.contains)).toEqual([shown.id, malware.id, rel.id].sort());
    expect(beyondObject(seen)).not.toContain(hidden.id);
    expect(beyondObject(seen)).not.toContain('Strictly our indicator');
    expect(Object.keys(seen).filter((k) => /count|total|hidden|more/i.test(k))).toEqual([]);
    // A relationship member says what it joins; names come with the members.
    expect(seen.contains.find((m) => m.id === rel.id)!.relationship).toEqual({ relationshipType: 'indicates', sourceRef: shown.id, targetRef: malware.id });
    expect(seen.contains.find((m) => m.id === malware.id)).toMatchObject({ type: 'malware', name: 'ReportWorm', tlp: 'GREEN', relationship: null });

    // Each member names its report; the hidden member's page is a 404 for the other organisation.
    expect(ids((await page(member, shown.id)).containedIn)).toEqual([r.id]);
    expect((await member.get(`/api/v1/intel/objects/${hidden.id}`)).statusCode).toBe(404);
    expect(ids((await page(author, hidden.id)).containedIn)).toEqual([r.id]);
  });

  it('an object lists only the reports and groupings the viewer may see, in their latest visible version', async () => {
    const ind = indicator({ name: 'Member of many', ...marking('GREEN') });
    const open = report(`report--${crypto.randomUUID()}`, [ind.id], marking('GREEN'));
    const strict = report(`report--${crypto.randomUUID()}`, [ind.id], { name: 'Our strict report', ...marking('AMBER+STRICT') });
    const grouping = { type: 'grouping', spec_version: '2.1', id: `grouping--${crypto.randomUUID()}`, created: T0, modified: T0, name: 'A grouping', context: 'suspicious-activity', object_refs: [ind.id], ...marking('GREEN') };
    // A note is not a report: it is not listed as a container.
    const note = { type: 'note', spec_version: '2.1', id: `note--${crypto.randomUUID()}`, created: T0, modified: T0, content: 'seen it', object_refs: [ind.id], ...marking('GREEN') };
    await store(author, [ind, open, strict, grouping, note]);

    expect(ids((await page(author, ind.id)).containedIn)).toEqual([open.id, strict.id, grouping.id].sort());
    const seen = await page(member, ind.id);
    expect(ids(seen.containedIn)).toEqual([open.id, grouping.id].sort());
    expect(beyondObject(seen)).not.toContain(strict.id);
    expect(beyondObject(seen)).not.toContain('Our strict report');
    // Outside the community and the organisation, GREEN is still seen by every member.
    expect(ids((await page(outsider, ind.id)).containedIn)).toEqual([open.id, grouping.id].sort());
    // Without signing in: CLEAR only, so the GREEN object is not found at all.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/intel/objects/${ind.id}` })).statusCode).toBe(404);

    // A newer version of the open report that the member may not see does not take its place for them;
    // one that no longer lists the indicator removes the report from the indicator's page.
    await store(author, [{ ...open, modified: T1, object_refs: [ind.id], description: 'narrower', ...marking('AMBER+STRICT') }]);
    expect(ids((await page(member, ind.id)).containedIn)).toEqual([open.id, grouping.id].sort());
    const other = indicator({ ...marking('GREEN') });
    await store(author, [other, { ...open, modified: T2, object_refs: [other.id], ...marking('GREEN') }]);
    expect(ids((await page(member, ind.id)).containedIn)).toEqual([grouping.id]);
    expect(ids((await page(member, other.id)).containedIn)).toEqual([open.id]);
    expect(ids((await page(member, open.id)).contains)).toEqual([other.id]);
  });
});

describe('descriptions', () => {
  it('renders Markdown sanitised and turns ATT&CK citations into links to the external references', async () => {
    const ap = {
      type: 'attack-pattern',
      spec_version: '2.1',
      id: `attack-pattern--${crypto.randomUUID()}`,
      created: T0,
      modified: T0,
      name: 'Spearphishing (test)',
      description:
        'Adversaries rely upon [User Execution](https://attack.mitre.org/techniques/T0863) and **attachments**. (Citation: Enterprise ATT&CK October 2019)\n\n<script>alert(1)</script> [bad](javascript:alert(2)) (Citation: Nowhere)',
      external_references: [
        { source_name: 'mitre-attack', external_id: 'T9999', url: 'https://attack.mitre.org/techniques/T9999' },
        { source_name: 'Enterprise ATT&CK October 2019', url: 'https://attack.mitre.org/techniques/T1193/' },
      ],
      ...marking('GREEN'),
    };
    await store(author, [ap]);
    const html = (await page(member, ap.id)).descriptionHtml!;
    expect(html).toContain('<a href="https://attack.mitre.org/techniques/T0863" rel="noopener noreferrer nofollow">User Execution</a>');
    expect(html).toContain('<strong>attachments</strong>');
    expect(html).toContain('<sup><a href="#ref-2" title="Enterprise ATT&amp;CK October 2019" rel="noopener noreferrer nofollow">[2]</a></sup>');
    expect(html).not.toContain('(Citation: Enterprise');
    // A citation of a name the object does not reference stays as written; no markup gets through.
    expect(html).toContain('(Citation: Nowhere)');
    expect(html).not.toMatch(/<script|href="javascript:/);
    expect(html).toContain('&lt;script&gt;');
    const plain = indicator({ ...marking('GREEN') });
    await store(author, [plain]);
    expect((await page(member, plain.id)).descriptionHtml).toBeNull();
  });
});

describe('vulnerability facts', () => {
  const advisory = (cve: string, tracking: string) => ({
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      title: `Advisory ${tracking}`,
      publisher: { category: 'vendor', name: 'Example Vendor', namespace: 'https://vendor.example' },
      tracking: {
        id: tracking,
        version: '1',
        status: 'final',
        initial_release_date: T0,
        current_release_date: T0,
        revision_history: [{ date: T0, number: '1', summary: 'Initial' }],
      },
    },
    product_tree: { full_product_names: [{ name: 'Example Gateway 1.0', product_id: 'GW-1.0' }] },
    vulnerabilities: [
      {
        cve,
        cwe: { id: 'CWE-502', name: 'Deserialization of Untrusted Data' },
        product_status: { known_affected: ['GW-1.0'] },
        scores: [
          { products: ['GW-1.0'], cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', baseScore: 10, baseSeverity: 'CRITICAL' } },
          { products: ['GW-1.0'], cvss_v2: { version: '2.0', vectorString: 'AV:N/AC:M/Au:N/C:C/I:C/A:C', baseScore: 9.3 } },
        ],
      },
    ],
  });

  it('gives CVSS and CWE from the advisories of the CVE the viewer may see, not from hidden ones', async () => {
    const cve = 'CVE-2026-12345';
    // A member's own STIX vulnerability of the CVE, naming a CWE in its external references.
    const own = {
      type: 'vulnerability',
      spec_version: '2.1',
      id: `vulnerability--${crypto.randomUUID()}`,
      created: T0,
      modified: T0,
      name: cve,
      external_references: [
        { source_name: 'cve', external_id: cve },
        { source_name: 'cwe', external_id: 'CWE-79' },
      ],
      ...marking('GREEN'),
    };
    await store(member, [own]);
    const before = (await member.get(`/api/v1/intel/vulnerabilities/${own.id}`)).json();
    expect(before.cwes).toEqual([{ id: 'CWE-79', name: null }]);
    expect(before.cvss).toEqual([]);

    // The advisory, shared with the author's organisation only: the member learns nothing from it.
    const res = await author.post('/api/v1/intel/vulnerabilities/csaf?tlp=AMBER%2BSTRICT', advisory(cve, 'EX-2026-0001'));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    const still = (await member.get(`/api/v1/intel/vulnerabilities/${own.id}`)).json();
    expect(still.cvss).toEqual([]);
    expect(still.cwes).toEqual([{ id: 'CWE-79', name: null }]);

    // The author sees their advisory's scores on the member's object (GREEN) and on their own.
    const seen = (await author.get(`/api/v1/intel/vulnerabilities/${own.id}`)).json();
    expect(seen.cvss).toEqual([
      { version: '3.1', baseScore: 10, severity: 'CRITICAL', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', products: ['Example Gateway 1.0'], source: { id: expect.stringMatching(/^vulnerability--/), publisher: 'Example Vendor' } },
      // CVSS v2 gives no severity: it comes from the score by the v2 scale.
      { version: '2.0', baseScore: 9.3, severity: 'HIGH', vector: 'AV:N/AC:M/Au:N/C:C/I:C/A:C', products: ['Example Gateway 1.0'], source: { id: expect.stringMatching(/^vulnerability--/), publisher: 'Example Vendor' } },
    ]);
    expect(seen.cwes).toEqual([
      { id: 'CWE-79', name: null },
      { id: 'CWE-502', name: 'Deserialization of Untrusted Data' },
    ]);

    // Shared GREEN, the member sees the scores with their source.
    const again = await author.post('/api/v1/intel/vulnerabilities/csaf?tlp=GREEN', advisory('CVE-2026-12346', 'EX-2026-0002'));
    expect(again.statusCode).toBe(201);
    const greenId = again.json().results.find((r: { type: string }) => r.type === 'vulnerability').id as string;
    const green = (await member.get(`/api/v1/intel/vulnerabilities/${greenId}`)).json();
    expect(green.cvss.map((c: { baseScore: number; source: { id: string } }) => [c.baseScore, c.source.id])).toEqual([
      [10, greenId],
      [9.3, greenId],
    ]);
    expect(green.cwes).toEqual([{ id: 'CWE-502', name: 'Deserialization of Untrusted Data' }]);
    // The advisory's report lists the vulnerability it carries.
    const reportId = again.json().reportId as string;
    expect(ids((await page(member, reportId)).contains)).toContain(greenId);
    expect(ids((await page(member, greenId)).containedIn)).toEqual([reportId]);
  });
});
