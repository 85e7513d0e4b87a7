// Issue 13, "done when", as one journey: the Colombian energy CSIRT reports a ransomware incident at
// AMBER to its national CSIRT and the CSIRTs-of-the-Americas community; the clocks run; the
// community's situation picture counts it and an outsider's does not; the secretariat declares a
// crisis over three countries, their crisis contacts meet in the room, sitreps arrive on time in
// Spanish and Portuguese, a request for assistance goes out, and the after-action report becomes a
// lesson learned; then a table-top exercise runs the same way, marked as such, and stays out of the
// picture. Through the web app, as the demo people would; the API only to check what is hidden.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import crisesEn from '../src/web/features/crises/locales/en.json';
import crisesEs from '../src/web/features/crises/locales/es.json';
import crisesPt from '../src/web/features/crises/locales/pt.json';
import knowledgeEn from '../src/web/features/knowledge/locales/en.json';
import knowledgePt from '../src/web/features/knowledge/locales/pt.json';
import incidentsEn from '../src/web/features/incidents/locales/en.json';
import requestsEn from '../src/web/features/requests/locales/en.json';
import situationEn from '../src/web/features/situation/locales/en.json';
import situationEs from '../src/web/features/situation/locales/es.json';
import mainEn from '../src/web/locales/en.json';
import serverEn from '../src/server/locales/en.json';
import { expectNoSeriousViolations } from './support/axe';
import { label, pickOption } from './support/browser';
import { useCast, useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();
const WAIT = { timeout: 15_000 };
const STEP = 180_000;
const HOUR = 3_600_000;
const i = incidentsEn.incidents;
const cEn = crisesEn.crises;
const cEs = crisesEs.crises;
const cPt = crisesPt.crises;
const kEn = knowledgeEn.practices;
const kPt = knowledgePt.practices;

const REPORTER = 'analyst.co@demo.puente.test';
const REPORTER_NAME = 'Valentina Ríos Cárdenas';
const NATIONAL_CSIRT = 'Equipo de Respuesta a Emergencias Cibernéticas de Colombia (Colombia)';
const COMMUNITY = 'CSIRTs of the Americas';
// A member of the community (the Chilean national CSIRT), in Spanish.
const CHILE = 'analyst.cl@demo.puente.test';
const CHILE_NAME = 'Camila Rojas Fuentes';
const BRAZIL = 'analyst.br@demo.puente.test';
const BRAZIL_NAME = 'Rafael Oliveira Santos';
// Outside the audience although Colombian and in the energy sector: an operator, not a CSIRT.
const OUTSIDER = 'energy.co@demo.puente.test';
const SECRETARIAT = 'admin@demo.puente.test';

const stamp = Date.now().toString(36);
const INCIDENT = `Ransomware at a Colombian transmission operator ${stamp}`;
const DRILL_INCIDENT = `Drill: ransomware at a substation ${stamp}`;
const CRISIS = `Ransomware against Andean grid operators ${stamp}`;
const ASSISTANCE = `Forensic support for the Colombian grid operator ${stamp}`;
const EXERCISE = `Table-top: grid blackout ${stamp}`;
const INJECT = `Inject 1: ransom note at the control centre ${stamp}`;

// ---------- people, signed in once each and kept for the journey ----------

const as = useCast(e2e);

// ---------- helpers ----------

const pick = (page: Page, labelText: string, typed: string, option: string | RegExp) => pickOption(page, labelText, typed, option);

/** The "Incident reports" figure of the situation picture, filtered to the Colombian energy sector, as the page shows it. */
async function colombianEnergyReports(page: Page, s: { title: string; figures: { reports: string } }): Promise<number> {
  await page.goto('/situation?country=CO&sector=energy');
  await page.getByRole('heading', { level: 1, name: s.title }).waitFor(WAIT);
  const summary = page.getByTestId('situation-summary');
  await summary.waitFor(WAIT);
  const figure = summary.getByText(s.figures.reports, { exact: true }).locator('xpath=following-sibling::dd[1]');
  return Number((await figure.innerText()).replace(/\D/g, ''));
}

/** Fill and send the incident form as the Colombian energy CSIRT: AMBER to the national CSIRT and the community. */
async function reportIncident(page: Page, title: string, exercise: boolean): Promise<string> {
  await page.goto('/incidents');
  await page.getByRole('heading', { level: 1, name: i.title }).waitFor(WAIT);
  await page.getByRole('link', { name: i.report }).click();
  await page.getByRole('heading', { level: 1, name: i.form.newTitle }).waitFor(WAIT);
  await page.getByLabel(label(i.form.title)).fill(title);
  await page.getByLabel(label(i.form.description)).fill('Corporate servers and two engineering workstations of the control centre encrypted; the grid runs in manual mode.');
  await pick(page, i.form.rsitCategory, 'Malicious', i.rsit.categories['malicious-code']);
  await pick(page, i.form.rsitType, 'Infected', i.rsit.types['infected-system']);
  await pick(page, i.form.impactSeverity, '', i.severity.red);
  await pick(page, i.form.countries, 'Colombia', 'Colombia');
  await pick(page, i.form.sectors, 'Energy', i.sectors.energy);
  if (exercise) await page.getByTestId('incident-exercise').check();
  expect(await page.getByRole('radio', { name: /TLP:AMBER —/ }).first().isChecked()).toBe(true);
  await pick(page, mainEn.notes.audienceOrganisations, 'Emergencias', NATIONAL_CSIRT);
  await pick(page, mainEn.notes.audienceCommunities, 'Americas', COMMUNITY);
  await expectNoSeriousViolations(page, 'the report form');
  await page.getByRole('button', { name: i.form.submit }).click();
  // The first report of a fresh server also warms its caches: more time than a page needs.
  await page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: 60_000 });
  const path = new URL(page.url()).pathname;
  expect(path).toMatch(/^\/incidents\/[0-9a-f-]{36}$/);
  return path;
}

/** The people of a room's roster, added through the person picker when the directory did not bring them. */
async function bringIntoRoom(page: Page, names: string[]): Promise<void> {
  const roster = page.getByTestId('roster-row');
  await roster.first().waitFor(WAIT);
  for (const name of names) {
    if ((await roster.filter({ hasText: name }).count()) > 0) continue;
    await pick(page, cEn.room.roster.addPerson, name.split(' ')[0]!, new RegExp(`^${name} — `));
    await page.getByRole('button', { name: cEn.room.roster.addPersonSubmit }).click();
    await roster.filter({ hasText: name }).waitFor(WAIT);
  }
}

/** Write a situation report in the room open on `page`, in the UI's language (the form's default). */
async function sitrep(page: Page, c: { sitreps: { summary: string; submit: string } }, summary: string): Promise<void> {
  await page.getByTestId('write-sitrep').click();
  await page.getByLabel(label(c.sitreps.summary)).fill(summary);
  await expectNoSeriousViolations(page, 'the sitrep form');
  await page.getByRole('button', { name: c.sitreps.submit }).click();
  await page.getByTestId('sitrep').filter({ hasText: summary }).waitFor(WAIT);
}

/** The room's next sitrep, as its API gives it to this person. */
async function nextSitrep(page: Page, path: string): Promise<{ dueAt: string; overdue: boolean } | null> {
  const room = (await (await page.request.get(`/api/v1${path}`)).json()) as { nextSitrep: { dueAt: string; overdue: boolean } | null };
  return room.nextSitrep;
}

/** "due {{at}}" / "overdue since {{at}}" of a locale, as patterns. */
const dueWords = (c: { sitreps: { due: string; overdue: string } }) => ({ due: new RegExp(`^${c.sitreps.due.split('{{at}}')[0]}`), overdue: new RegExp(`^${c.sitreps.overdue.split('{{at}}')[0]}`) });

/** A datetime-local value a few hours from now (the controller's own zone does not matter for a plan). */
function localInput(offsetMs: number): string {
  return new Date(Date.now() + offsetMs).toISOString().slice(0, 16);
}

// ---------- what the journey carries from step to step ----------

let incidentPath = '';
let memberBefore = 0;
let outsiderBefore = 0;
let roomPath = '';
let exercisePath = '';

describe('incidents and crises, end to end', () => {
  it(
    '1. the Colombian energy CSIRT reports ransomware at AMBER to its national CSIRT and the community; the clocks run; the early warning goes out',
    async () => {
      // The pictures before: the community member's and the outsider's.
      const member = await as(CHILE, 'es');
      memberBefore = await colombianEnergyReports(member, situationEs.situation);
      await expectNoSeriousViolations(member, 'the situation picture');
      const outsider = await as(OUTSIDER, 'en');
      outsiderBefore = await colombianEnergyReports(outsider, situationEn.situation);

      const page = await as(REPORTER, 'en');
      const reportedAt = Date.now();
      incidentPath = await reportIncident(page, INCIDENT, false);
      await page.getByTestId('incident-severity').getByText(i.severity.red).waitFor(WAIT);

      // The clocks run from the moment of awareness (the form's default: now): early warning in 24 h, notification in 72 h.
      const due = async (kind: string) => Date.parse((await page.locator(`[data-testid="incident-clock"][data-kind="${kind}"] time`).getAttribute('datetime'))!);
      const early = page.locator('[data-testid="incident-clock"][data-kind="early-warning"]');
      await early.getByText(i.view.clocks.pending).waitFor(WAIT);
      // The form's time has minutes only: allow the minute it was read in.
      expect(Math.abs((await due('early-warning')) - reportedAt - 24 * HOUR)).toBeLessThan(3 * 60_000);
      expect(Math.abs((await due('notification')) - reportedAt - 72 * HOUR)).toBeLessThan(3 * 60_000);
      await page.locator('[data-testid="incident-clock"][data-kind="final"]').waitFor(WAIT);
      await expectNoSeriousViolations(page, 'the report page');

      await page.getByRole('button', { name: i.view.clocks.submitLabel.replace('{{kind}}', i.reports['early-warning']) }).click();
      await page.getByLabel(label(i.view.clocks.text)).fill('Early warning: ransomware at one transmission operator; no cross-border effect known yet.');
      await page.getByRole('button', { name: i.view.clocks.send }).click();
      await early.getByText(/^Submitted /).waitFor(WAIT);

      // The marking as sent: AMBER, to the national CSIRT and the community.
      const stored = (await (await page.request.get(`/api/v1${incidentPath}`)).json()) as { marking: { tlp: string; audience: { organisations: string[]; communities: string[] } } };
      expect(stored.marking.tlp).toBe('AMBER');
      expect(stored.marking.audience.communities).toHaveLength(1);
      expect(stored.marking.audience.organisations.length).toBeGreaterThanOrEqual(1);
    },
    STEP,
  );

  it(
    "2. the community's situation picture counts it; the outsider's does not change and the report is not there for them",
    async () => {
      const member = await as(CHILE, 'es');
      expect(await colombianEnergyReports(member, situationEs.situation)).toBe(memberBefore + 1);
      // The member reads the report itself too.
      expect((await member.request.get(`/api/v1${incidentPath}`)).status()).toBe(200);

      const outsider = await as(OUTSIDER, 'en');
      expect(await colombianEnergyReports(outsider, situationEn.situation)).toBe(outsiderBefore);
      await expectNoSeriousViolations(outsider, "the outsider's situation picture");
      expect((await outsider.request.get(`/api/v1${incidentPath}`)).status()).toBe(404);
      await outsider.goto(incidentPath);
      await outsider.getByRole('heading', { level: 1, name: i.view.notFoundTitle }).waitFor(WAIT);
      expect(await outsider.getByText(INCIDENT).count()).toBe(0);
    },
    STEP,
  );

  it(
    '3. the secretariat declares a crisis over Colombia, Chile and Brazil; the crisis contacts of the three countries are in the room',
    async () => {
      const page = await as(SECRETARIAT, 'en');
      await page.goto('/crises');
      await page.getByRole('heading', { level: 1, name: cEn.title }).waitFor(WAIT);
      await page.getByTestId('declare-crisis').click();
      await page.getByRole('heading', { level: 1, name: cEn.declare.title }).waitFor(WAIT);
      await page.getByLabel(label(cEn.declare.name)).fill(CRISIS);
      await page.getByLabel(label(cEn.declare.description)).fill(`Ransomware against energy operators, starting with the report ${INCIDENT}.`);
      for (const country of ['Colombia', 'Chile', 'Brazil']) await pick(page, cEn.declare.countries, country, country);
      await pick(page, cEn.declare.sectors, 'Energy', i.sectors.energy);
      await expectNoSeriousViolations(page, 'the declaration form');
      await page.getByRole('button', { name: cEn.declare.submit }).click();
      await page.getByRole('heading', { level: 1, name: CRISIS }).waitFor({ timeout: 60_000 });
      roomPath = new URL(page.url()).pathname;
      expect(roomPath).toMatch(/^\/crises\/[0-9a-f-]{36}$/);
      expect(await page.getByTestId('exercise-badge').count()).toBe(0);

      // The people on call of the three countries come into the room from the directory (their 24/7 entries), by nobody's hand.
      const roster = page.getByTestId('roster-row');
      for (const name of [REPORTER_NAME, CHILE_NAME, BRAZIL_NAME]) await roster.filter({ hasText: name }).first().waitFor(WAIT);
      for (const country of ['Colombia', 'Chile', 'Brazil']) await roster.filter({ hasText: `(${country})` }).first().waitFor(WAIT);
      // Elevated (the form's default): the first report is due within a day, not overdue.
      await page.getByText(dueWords(cEn).due).first().waitFor(WAIT);
      await expectNoSeriousViolations(page, 'the room');
    },
    STEP,
  );

  it(
    '4. sitreps arrive on time in Spanish (Chile) and Portuguese (Brazil); the next one is due later and nothing is overdue',
    async () => {
      const coordinator = await as(SECRETARIAT, 'en');
      const first = await nextSitrep(coordinator, roomPath);
      expect(first?.overdue).toBe(false);

      const cl = await as(CHILE, 'es');
      await cl.goto('/crises');
      // The room is in the list, and in the alert of its declaration when that has arrived: either link opens it.
      await cl.getByRole('link', { name: CRISIS }).first().click();
      await cl.getByRole('heading', { level: 1, name: CRISIS }).waitFor(WAIT);
      await sitrep(cl, cEs, 'Dos operadores de transmisión afectados en Colombia; redes OT aisladas en Chile por precaución.');
      await cl.getByText(dueWords(cEs).due).first().waitFor(WAIT);

      const br = await as(BRAZIL, 'pt');
      await br.goto(roomPath);
      await br.getByRole('heading', { level: 1, name: CRISIS }).waitFor(WAIT);
      await sitrep(br, cPt, 'Nenhum operador brasileiro afetado; monitoramento reforçado nas distribuidoras.');
      await br.getByText(dueWords(cPt).due).first().waitFor(WAIT);
      expect(await br.getByText(dueWords(cPt).overdue).count()).toBe(0);
      await expectNoSeriousViolations(br, 'the room in Portuguese');

      const after = await nextSitrep(coordinator, roomPath);
      expect(after?.overdue).toBe(false);
      expect(Date.parse(after!.dueAt)).toBeGreaterThan(Date.parse(first!.dueAt));
      // Each report keeps the language it was written in.
      const csv = await (await br.request.get(`/api/v1${roomPath}/sitreps.csv`)).text();
      expect(csv).toContain(',es,');
      expect(csv).toContain(',pt,');
    },
    STEP,
  );

  it(
    '5. a request for assistance goes out from the room and becomes a capacity-building request',
    async () => {
      const page = await as(REPORTER, 'en');
      await page.goto(roomPath);
      await page.getByRole('heading', { level: 1, name: CRISIS }).waitFor(WAIT);
      await page.getByLabel(label(cEn.assistance.what)).fill(ASSISTANCE);
      await page.getByLabel(label(cEn.assistance.details)).fill('Two forensic analysts for a week, with experience of OT networks.');
      await page.getByRole('button', { name: cEn.assistance.submit }).click();
      const link = page.getByRole('link', { name: ASSISTANCE });
      await link.waitFor(WAIT);
      await link.click();
      await page.getByRole('heading', { level: 1, name: ASSISTANCE }).waitFor(WAIT);
      expect(new URL(page.url()).pathname).toMatch(/^\/requests\/[0-9a-f-]{36}$/);
      await page.getByTestId('request-status').waitFor(WAIT);
      await expectNoSeriousViolations(page, 'the request for assistance');
      // It is among the organisation's capacity-building requests.
      await page.goto('/requests');
      await page.getByRole('heading', { level: 1, name: requestsEn.requests.title }).waitFor(WAIT);
      await page.getByTestId('request-row').filter({ hasText: ASSISTANCE }).waitFor(WAIT);
      // And the coordinator sees it in the room.
      const coordinator = await as(SECRETARIAT, 'en');
      await coordinator.goto(roomPath);
      await coordinator.getByRole('link', { name: ASSISTANCE }).waitFor(WAIT);
    },
    STEP,
  );

  it(
    '6. the coordinator closes the room; the after-action report is published as a lesson learned and opens in the library',
    async () => {
      const page = await as(SECRETARIAT, 'en');
      await page.goto(roomPath);
      await page.getByRole('heading', { level: 1, name: CRISIS }).waitFor(WAIT);
      await page.getByLabel(label(cEn.close.note)).fill('Operators restored from backups; the VPN without a second factor is closed.');
      await page.getByRole('radio', { name: cEn.close.yes }).check();
      await page.getByRole('button', { name: cEn.close.submit }).click();
      await page.getByRole('heading', { name: cEn.aar.title }).waitFor(WAIT);
      await page.getByRole('button', { name: cEn.aar.publish }).click();
      const lesson = page.getByRole('link', { name: cEn.aar.lesson });
      await lesson.waitFor(WAIT);
      await expectNoSeriousViolations(page, 'the closed room');
      await lesson.click();
      const lessonTitle = serverEn.crises.afterAction.lessonTitle.replace('{{title}}', CRISIS);
      await page.getByRole('heading', { level: 1, name: lessonTitle }).waitFor(WAIT);
      expect(new URL(page.url()).pathname).toMatch(/^\/practices\//);
      await expectNoSeriousViolations(page, 'the lesson learned');
      // A draft at first, for the secretariat alone: the library's review publishes it to the room.
      const slug = new URL(page.url()).pathname.split('/').pop()!;
      const status = page.getByTestId('practice-status');
      await status.getByText(kEn.status.draft).waitFor(WAIT);
      const br = await as(BRAZIL, 'pt');
      expect((await br.request.get(`/api/v1/knowledge/${slug}`)).status()).toBe(404);
      await page.getByRole('button', { name: kEn.review.request }).click();
      const picker = page.getByRole('combobox', { name: kEn.review.reviewers });
      await picker.click();
      await picker.fill('Rafael');
      await page.getByRole('option', { name: new RegExp(BRAZIL_NAME) }).first().click(WAIT);
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: kEn.review.send }).click();
      await status.getByText(kEn.status.in_review).waitFor(WAIT);
      await br.goto(`/practices/${slug}`);
      await br.getByRole('heading', { level: 1, name: lessonTitle }).waitFor(WAIT);
      await br.getByRole('button', { name: kPt.review.approve, exact: true }).click();
      await br.getByTestId('review-panel').getByText(kPt.review.approvedNow).waitFor(WAIT);
      await page.reload();
      await page.getByText(kEn.review.allApproved).waitFor(WAIT);
      await page.getByRole('button', { name: kEn.review.publish, exact: true }).click();
      await expect.poll(() => status.count(), WAIT).toBe(0);

      // Published: another member of the room reads it in the library; the outsider does not.
      const cl = await as(CHILE, 'es');
      await cl.goto(`/practices/${slug}`);
      await cl.getByRole('heading', { level: 1, name: lessonTitle }).waitFor(WAIT);
      await expectNoSeriousViolations(cl, 'the lesson learned, for a member of the room');
      const outsider = await as(OUTSIDER, 'en');
      expect((await outsider.request.get(`/api/v1/knowledge/${slug}`)).status()).toBe(404);
    },
    STEP,
  );

  it(
    '7. a table-top exercise runs the same way, labelled EXERCISE: an inject released and seen, an evaluation sent, nothing of it in the picture',
    async () => {
      const controller = await as(SECRETARIAT, 'en');
      await controller.goto('/crises/new');
      await controller.getByRole('heading', { level: 1, name: cEn.declare.title }).waitFor(WAIT);
      await controller.getByLabel(label(cEn.declare.name)).fill(EXERCISE);
      for (const country of ['Colombia', 'Chile']) await pick(controller, cEn.declare.countries, country, country);
      await controller.getByRole('switch', { name: cEn.declare.exercise }).check();
      await controller.getByRole('button', { name: cEn.declare.submitExercise }).click();
      await controller.getByRole('heading', { level: 1, name: `${cEn.exercise} — ${EXERCISE}` }).waitFor({ timeout: 60_000 });
      exercisePath = new URL(controller.url()).pathname;
      await controller.getByTestId('exercise-badge').first().waitFor(WAIT);
      await controller.getByText(cEn.room.exerciseNotice).waitFor(WAIT);
      // Its export says so too.
      await controller.getByRole('link', { name: cEn.room.exports.pdfExercise }).waitFor(WAIT);
      expect(await controller.getByRole('link', { name: cEn.room.exports.pdf, exact: true }).count()).toBe(0);
      await bringIntoRoom(controller, [REPORTER_NAME, CHILE_NAME]);

      // The controller writes an inject into the scenario and releases it.
      await controller.getByLabel(label(cEn.exerciseControl.injectTitle)).fill(INJECT);
      await controller.getByLabel(label(cEn.exerciseControl.injectBody)).fill('The control centre finds a ransom note on the historian. What do you tell the national CSIRT?');
      await controller.getByLabel(label(cEn.exerciseControl.plannedAt)).fill(localInput(HOUR));
      await controller.getByRole('button', { name: cEn.exerciseControl.addInject }).click();
      const release = controller.getByRole('button', { name: cEn.exerciseControl.releaseLabel.replace('{{title}}', INJECT) });
      await release.waitFor(WAIT);
      await expectNoSeriousViolations(controller, 'the exercise room, for its controller');
      await release.click();
      await controller.getByTestId('inject').filter({ hasText: INJECT }).getByText(new RegExp(`^${cEn.exerciseControl.released.split('{{at}}')[0]}`)).waitFor(WAIT);

      // A participant: EXERCISE in the list and in the room, the released inject in front of them.
      const cl = await as(CHILE, 'es');
      await cl.goto('/crises');
      const row = cl.getByTestId('crisis-row').filter({ hasText: EXERCISE });
      await row.getByTestId('exercise-badge').waitFor(WAIT);
      await expectNoSeriousViolations(cl, 'the list of rooms with an exercise');
      await row.getByRole('link', { name: EXERCISE }).click();
      await cl.getByRole('heading', { level: 1, name: `${cEs.exercise} — ${EXERCISE}` }).waitFor(WAIT);
      await cl.getByText(cEs.room.exerciseNotice).waitFor(WAIT);
      await cl.getByTestId('inject').filter({ hasText: INJECT }).waitFor(WAIT);
      await sitrep(cl, cEs, 'EJERCICIO: nota de rescate en el histórico; se avisa al CSIRT nacional.');
      await cl.getByTestId('sitrep').filter({ hasText: 'EJERCICIO' }).getByText(`${cEs.exercise} — `, { exact: false }).first().waitFor(WAIT);

      // The Colombian energy CSIRT reports its part of the drill as an exercise report.
      const reporter = await as(REPORTER, 'en');
      const drillPath = await reportIncident(reporter, DRILL_INCIDENT, true);

      // The controller ends the exercise; the participant evaluates it.
      await controller.goto(exercisePath);
      await controller.getByRole('heading', { level: 1, name: `${cEn.exercise} — ${EXERCISE}` }).waitFor(WAIT);
      await controller.getByRole('radio', { name: cEn.close.yes }).check();
      await controller.getByRole('button', { name: cEn.close.submit }).click();
      await controller.getByRole('heading', { name: cEn.aar.title }).waitFor(WAIT);

      await cl.goto(exercisePath);
      await cl.getByRole('heading', { level: 1, name: `${cEs.exercise} — ${EXERCISE}` }).waitFor(WAIT);
      await cl.getByLabel(label(cEs.evaluation.strengths)).fill('Las alertas llegaron a tiempo y en español.');
      await cl.getByLabel(label(cEs.evaluation.improvements)).fill('Ensayar el contacto 24/7 del operador.');
      await expectNoSeriousViolations(cl, 'the evaluation form');
      await cl.getByRole('button', { name: cEs.evaluation.submit }).click();
      await cl.getByTestId('evaluation-averages').waitFor(WAIT);
      expect(await cl.getByRole('button', { name: cEs.evaluation.submit }).count()).toBe(0);

      // Nothing of the exercise in the real picture: the member's count is what it was after the real report.
      expect((await cl.request.get(`/api/v1${drillPath}`)).status()).toBe(200);
      expect(await colombianEnergyReports(cl, situationEs.situation)).toBe(memberBefore + 1);
      const picture = (await (await cl.request.get('/api/v1/situation?country=CO&sector=energy')).json()) as { reports: number };
      expect(picture.reports).toBe(memberBefore + 1);
    },
    STEP,
  );
});
