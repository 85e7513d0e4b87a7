import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Situation } from '#shared/incidents';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { filtersOf } from './service.js';

const pdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).stdout.toString().trim();

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('the situational picture', () => {
  it('defaults to the last 30 days by day, and to weeks past 62 days', async () => {
    const f = filtersOf({}, new Date('2027-03-31T18:00:00Z'));
    expect({ from: f.from, to: f.to, days: f.days }).toEqual({ from: '2027-03-02', to: '2027-03-31', days: 30 });
    expect(filtersOf({ window: 7, to: '2027-01-07' })).toMatchObject({ from: '2027-01-01', to: '2027-01-07' });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/situation?from=2026-01-01&to=2026-03-31' });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json() as Situation;
    expect(s.bucket).toBe('week');
    expect(s.trends.length).toBe(13);
    expect(s.trends[0]!.start).toBe('2026-01-01');
    // Every member state is on the map, with nothing counted in an empty world.
    const states = await t.db.selectFrom('countries').select('code').where('kind', '=', 'state').where('region', 'in', ['EU', 'LAC']).execute();
    expect(s.countries.map((c) => c.code).sort()).toEqual(states.map((c) => c.code).sort());
    expect(s.countries.every((c) => c.reports === 0 && c.severity === null)).toBe(true);
    expect(s.marking).toBeNull();
  });

  it.each([
    ['status=done', 'status'],
    ['sector=energy,space-tourism', 'sector'],
    ['rsit=intrusions/teleport', 'rsit'],
    ['impactSeverity=purple', 'impactSeverity'],
    ['country=Colombia', 'country'],
    ['from=2026-02-30', 'from'],
    ['from=2026-03-10&to=2026-03-01', 'to'],
    ['from=2020-01-01&to=2026-03-01', 'from'],
    ['community=not-an-id', 'community'],
  ])('refuses %s with a 400 naming the field', async (query, field) => {
    for (const path of ['/api/v1/situation', '/api/v1/situation.csv', '/api/v1/situation.pdf']) {
      const res = await t.app.inject({ method: 'GET', url: `${path}?${query}` });
      expect({ path, status: res.statusCode }).toEqual({ path, status: 400 });
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(res.json().error)).toContain(field);
    }
  });

  it('refuses a window of no days or of more than two years', async () => {
    for (const w of [0, 800]) expect((await t.app.inject({ method: 'GET', url: `/api/v1/situation?window=${w}` })).statusCode).toBe(400);
  });

  it('writes the PDF in the reader’s language and the CSV with its header', async () => {
    const pdf = await t.app.inject({ method: 'GET', url: '/api/v1/situation.pdf?lang=es' });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    if (pdftotext) {
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'situation-pdf-')), 's.pdf');
      writeFileSync(file, pdf.rawPayload);
      const text = spawnSync(pdftotext, ['-enc', 'UTF-8', file, '-']).stdout.toString('utf8');
      expect(text).toContain('Panorama de situación');
      expect(text).toContain('NADA CONTADO');
    }
    const csv = await t.app.inject({ method: 'GET', url: '/api/v1/situation.csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('country,country_name,sector,sector_name,reports,tlp');
  });
});
