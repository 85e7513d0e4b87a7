// Crisis rooms (issue 13 §3–§5): the secretariat declares a crisis over three countries; the crisis
// contacts of the countries in scope (added through the person picker when the directory did not
// bring them) find the room and report — the Chilean CSIRT in Spanish, the Brazilian one in
// Portuguese; an outsider gets no room and no trace of it in the list; the coordinator closes it
// and drafts the lesson learned. Each screen passes axe without serious violations.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import en from '../src/web/features/crises/locales/en.json';
import es from '../src/web/features/crises/locales/es.json';
import pt from '../src/web/features/crises/locales/pt.json';
import { expectNoSeriousViolations } from './support/axe';
import { label, pickOption } from './support/browser';
import { useCast, useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();
const WAIT = { timeout: 15_000 };
const STEP = 180_000;
const cEn = en.crises;
const cEs = es.crises;
const cPt = pt.crises;

const SECRETARIAT = 'admin@demo.puente.test';
const CHILE = 'analyst.cl@demo.puente.test';
const BRAZIL = 'analyst.br@demo.puente.test';
const BRAZIL_NAME = 'Rafael Oliveira Santos';
const CHILE_NAME = 'Camila Rojas Fuentes';
const OUTSIDER = 'diplomat.es@demo.puente.test';
const TITLE = `Ransomware against grid operators ${Date.now().toString(36)}`;

const as = useCast(e2e);

const pick = (page: Page, labelText: string, typed: string, option: string | RegExp) => pickOption(page, labelText, typed, option);

/** Write a situation report in the room open on `page`, in the UI's language (the form's default). */
async function report(page: Page, c: typeof cEs, summary: string) {
  await page.getByTestId('write-sitrep').click();
  await page.getByLabel(label(c.sitreps.summary)).fill(summary);
  await expectNoSeriousViolations(page, 'the sitrep form');
  await page.getByRole('button', { name: c.sitreps.submit }).click();
  await page.getByTestId('sitrep').filter({ hasText: summary }).waitFor(WAIT);
}

let roomPath = '';

describe('a crisis room, from declaration to lesson learned', () => {
  it(
    'the secretariat declares a crisis over Colombia, Chile and Brazil',
    async () => {
      const page = await as(SECRETARIAT, 'en');
      await page.goto('/crises/new');
      await page.getByRole('heading', { level: 1, name: cEn.declare.title }).waitFor(WAIT);
      await page.getByLabel(label(cEn.declare.name)).fill(TITLE);
      for (const country of ['Colombia', 'Chile', 'Brazil']) await pick(page, cEn.declare.countries, country, country);
      await expectNoSeriousViolations(page, 'the declaration form');
      await page.getByRole('button', { name: cEn.declare.submit }).click();
      await page.getByRole('heading', { level: 1, name: TITLE }).waitFor({ timeout: 60_000 });
      roomPath = new URL(page.url()).pathname;
      expect(roomPath).toMatch(/^\/crises\/[0-9a-f-]{36}$/);
      // The CSIRTs of Chile and Brazil join through the person picker when the directory did not put them in the room.
      const roster = page.getByTestId('roster-row');
      await roster.first().waitFor(WAIT);
      for (const name of [CHILE_NAME, BRAZIL_NAME]) {
        if ((await roster.filter({ hasText: name }).count()) > 0) continue;
        await pick(page, cEn.room.roster.addPerson, name.split(' ')[0]!, new RegExp(`^${name} — `));
        await page.getByRole('button', { name: cEn.room.roster.addPersonSubmit }).click();
        await roster.filter({ hasText: name }).waitFor(WAIT);
      }
      await page.getByRole('link', { name: cEn.room.exports.pdf }).waitFor(WAIT);
      await expectNoSeriousViolations(page, 'the room');
    },
    STEP,
  );

  it(
    'a Chilean crisis contact reports in Spanish, the Brazilian one in Portuguese',
    async () => {
      const cl = await as(CHILE, 'es');
      await cl.goto('/crises');
      // The room is in the list, and in the alert of its declaration: either link opens it.
      await cl.getByRole('link', { name: TITLE }).first().click();
      await cl.getByRole('heading', { level: 1, name: TITLE }).waitFor(WAIT);
      await report(cl, cEs, 'Dos operadores de transmisión cifrados; redes OT aisladas.');

      const br = await as(BRAZIL, 'pt');
      await br.goto(roomPath);
      await br.getByRole('heading', { level: 1, name: TITLE }).waitFor(WAIT);
      await report(br, cPt, 'Um distribuidor afetado; backups íntegros, restauração em curso.');
      // Each report keeps the language it was written in.
      const sitreps = await (await br.request.get(`/api/v1${roomPath}/sitreps.csv`)).text();
      expect(sitreps).toContain(',es,');
      expect(sitreps).toContain(',pt,');
    },
    STEP,
  );

  it(
    'an outsider gets no room and finds no trace of it in the list',
    async () => {
      const page = await as(OUTSIDER, 'es');
      expect((await page.request.get(`/api/v1${roomPath}`)).status()).toBe(404);
      expect((await page.request.get(`/api/v1${roomPath}/report.pdf`)).status()).toBe(404);
      await page.goto('/crises');
      await page.getByRole('heading', { level: 1, name: cEs.title }).waitFor(WAIT);
      await page.goto(roomPath);
      await page.getByRole('alert').first().waitFor(WAIT);
      expect(await page.getByText(TITLE).count()).toBe(0);
      const list = await (await page.request.get('/api/v1/crises')).json();
      expect(list.items.some((x: { title: string }) => x.title === TITLE)).toBe(false);
    },
    STEP,
  );

  it(
    'the coordinator closes the room and drafts the lesson learned',
    async () => {
      const page = await as(SECRETARIAT, 'en');
      await page.goto(roomPath);
      await page.getByRole('heading', { level: 1, name: TITLE }).waitFor(WAIT);
      await page.getByRole('radio', { name: cEn.close.yes }).check();
      await page.getByRole('button', { name: cEn.close.submit }).click();
      await page.getByRole('button', { name: cEn.aar.publish }).click();
      await page.getByRole('link', { name: cEn.aar.lesson }).waitFor(WAIT);
      await expectNoSeriousViolations(page, 'the closed room');
    },
    STEP,
  );
});
