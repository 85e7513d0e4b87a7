// Issue 12, "done when": a Dominican focal point asks for help setting up a sectoral CSIRT without
// the world seeing the gap; Puente shows them the fitting offers and experts and why; an EU agency
// and a Chilean CSIRT answer together; the Dominican analysts apply, attend, get their
// certificates; the annual meeting's delegations register and have it in their calendars; the
// dashboard and the IATI file show it all. Through the web app, as the demo people would: the
// Dominicans in Spanish, the Team Europe agency in French, the secretariat in English.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import applicationsEs from '../src/web/features/applications/locales/es.json';
import applicationsFr from '../src/web/features/applications/locales/fr.json';
import capacityEn from '../src/web/features/capacity/locales/en.json';
import capacityEs from '../src/web/features/capacity/locales/es.json';
import eventsEs from '../src/web/features/events/locales/es.json';
import offersFr from '../src/web/features/offers/locales/fr.json';
import requestsEn from '../src/web/features/requests/locales/en.json';
import requestsEs from '../src/web/features/requests/locales/es.json';
import requestsFr from '../src/web/features/requests/locales/fr.json';
import frMain from '../src/web/locales/fr.json';
import serverEs from '../src/server/locales/es.json';
import { expectNoSeriousViolations } from './support/axe';
import { label, pickOption } from './support/browser';
import { useCast, useServerAndBrowser } from './support/harness';
import { ROOT } from './support/server';

const e2e = useServerAndBrowser();
const WAIT = { timeout: 15_000 };
const STEP_TIMEOUT = 180_000;
const XSD = path.join(ROOT, 'src/server/test/fixtures/iati/iati-activities-schema.xsd');

const rEs = requestsEs.requests;
const rFr = requestsFr.requests;
const rEn = requestsEn.requests;
const aEs = applicationsEs.applications;
const aFr = applicationsFr.applications;
const ev = eventsEs.events;
const certPage = serverEs.applications.page;

const FOCAL = 'diplomat.do@demo.puente.test';
const ANALYST = 'analyst.do@demo.puente.test';
const AGENCY = 'provider.eu@demo.puente.test';
const SECRETARIAT = 'admin@demo.puente.test';
const OUTSIDER = 'ngo.gt@demo.puente.test';
const ANALYST_NAME = 'Luis Manuel Batista';
const AGENCY_ORG = 'Team Europe Cyber Resilience Facility';
const CHILE_ORG = 'Equipo Nacional de Respuesta a Incidentes de Chile';
const CSIRT_OFFER = /CSIRT sectoriales en Centroamérica y el Caribe|sectoral CSIRTs in Central America and the Caribbean/;
const MEETING = 'Reunión anual de ciberdiplomáticos de la UE y de América Latina y el Caribe 2027';
const SD = 'America/Santo_Domingo';

// ---------- dates ----------

const DAY = 86_400_000;
/** A calendar day (YYYY-MM-DD) in a time zone, `offset` days from today there. */
function dayIn(timeZone: string, offset = 0): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return new Date(Date.parse(`${today}T12:00:00Z`) + offset * DAY).toISOString().slice(0, 10);
}

// ---------- people, signed in once each and kept for the journey ----------

const as = useCast(e2e);

// ---------- form helpers ----------

/** Pick an option of a Mantine Select / MultiSelect found by its label, typing first (when searchable) to narrow the list. */
const pick = (page: Page, scope: Page | Locator, labelText: string, typed: string, option: string | RegExp) => pickOption(page, labelText, typed, option, { scope, keepOpen: true });

/** Click a controlled checkbox and wait until the page, reloaded from the server, shows it ticked. */
async function tick(box: Locator): Promise<void> {
  await box.click();
  await expect.poll(() => box.isChecked(), WAIT).toBe(true);
}

/** A figure of the dashboard's summary, by its name. */
async function summaryFigure(page: Page, name: string): Promise<string> {
  const term = page.getByTestId('capacity-summary').getByText(name, { exact: true });
  return (await term.locator('xpath=following-sibling::dd[1]').innerText()).trim();
}

/** The cells of the row a table (named by its caption) has for `rowName`. */
async function tableRow(page: Page, caption: string, rowName: string): Promise<string[]> {
  const row = page.getByRole('table', { name: caption }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: rowName, exact: true }) });
  await row.waitFor(WAIT);
  return (await row.getByRole('cell').allInnerTexts()).map((x) => x.trim());
}

/** Open the capacity dashboard for a window of days and wait for its figures. */
async function openDashboard(page: Page, from: string, to: string, title: string): Promise<void> {
  await page.goto(`/capacity?from=${from}&to=${to}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor(WAIT);
  await page.getByTestId('capacity-summary').waitFor(WAIT);
}

// ---------- what the journey carries from step to step ----------

const stamp = Date.now().toString(36);
const requestTitle = `Puesta en marcha de un CSIRT sectorial para el sector financiero (${stamp})`;
const place = `Santo Domingo, CNRIC (${stamp})`;
let requestPath = '';
let requestId = '';
let offerPath = '';
let sessionId = '';
let certificateUrl = '';
let eventId = '';

describe('the capacity-building journey, end to end', () => {
  it('1. the Dominican focal point asks for help in Spanish, confidential by default; neither a visitor nor an unrelated member finds it', { timeout: STEP_TIMEOUT }, async () => {
    const page = await as(FOCAL, 'es');
    await page.goto('/requests');
    await page.getByRole('heading', { level: 1, name: rEs.title }).waitFor(WAIT);
    await page.getByTestId('new-request').click();
    await page.getByRole('heading', { level: 1, name: rEs.form.title }).waitFor(WAIT);
    // A focal point asks for their country first.
    expect(await page.getByRole('radio', { name: rEs.form.forCountry.replace('{{country}}', 'República Dominicana') }).isChecked()).toBe(true);
    await page.getByTestId('request-title').fill(requestTitle);
    await page.getByLabel(label(rEs.form.description)).fill('Los bancos y las aseguradoras no tienen un equipo común de respuesta a incidentes ni procedimientos compartidos con el CSIRT nacional.');
    await page.getByLabel(label(rEs.form.wanted)).fill('Acompañamiento para definir el mandato y los servicios de un CSIRT del sector financiero, y formación práctica de su primer equipo.');
    await page.getByLabel(label(rEs.form.constraints)).fill('En español. Las carencias actuales no deben salir del círculo de proveedores nombrados.');
    await pick(page, page, rEs.form.concepts, 'CSIRT', '7c — Estrategias, agencias, SOC y CSIRT; transferencia de tecnología');
    await pick(page, page, rEs.form.concepts, 'incidentes', 'B — Gestión de incidentes y protección de infraestructuras críticas');
    await pick(page, page, rEs.form.concepts, 'Respondedor', 'Respondedor de incidentes cibernéticos');
    await page.keyboard.press('Escape');
    await pick(page, page, rEs.form.audiences, '', 'Personal de CSIRT');
    await page.keyboard.press('Escape');
    await pick(page, page, rEs.form.languages, 'ingl', 'inglés');
    await page.keyboard.press('Escape');
    await pick(page, page, rEs.form.urgency, '', rEs.urgency.high);
    await pick(page, page, rEs.form.format, '', 'Híbrido');
    await page.getByLabel(label(rEs.form.from)).fill(dayIn('UTC', 14));
    await page.getByLabel(label(rEs.form.to)).fill(dayIn('UTC', 200));
    // Confidential by default, said in plain words. Once open, the default reaches the whole
    // providers' community (the Guatemalan NGO is in it), so the ministry names its two providers.
    expect(await page.getByRole('radio', { name: /^TLP:AMBER —/ }).isChecked()).toBe(true);
    expect(await page.getByTestId('request-confidential').innerText()).toBe(rEs.form.markingHelp);
    await pick(page, page, rEs.form.providers, 'Team Europe', AGENCY_ORG);
    await pick(page, page, rEs.form.providers, 'Chile', CHILE_ORG);
    await page.keyboard.press('Escape');
    await page.getByTestId('request-submit').click();

    await page.getByRole('heading', { level: 1, name: requestTitle }).waitFor(WAIT);
    requestPath = new URL(page.url()).pathname;
    requestId = requestPath.split('/').pop()!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByTestId('request-status').getByText(rEs.status.submitted).waitFor(WAIT);
    const timeline = page.getByTestId('request-timeline');
    await timeline.getByText(rEs.status.submitted).first().waitFor(WAIT);
    expect(await timeline.innerText()).toContain('María Fernanda Peña');
    expect(await page.locator('.tlp-badge').first().innerText()).toBe('TLP:AMBER');
    expect(await page.getByTestId('request-audience').innerText()).toContain(CHILE_ORG);
    await expectNoSeriousViolations(page, 'a new request, for its requester');

    // A visitor: sent to sign in, and the API has nothing for them.
    const visitorContext = await e2e.newContext({ locale: 'es-ES' });
    try {
      const visitor = await visitorContext.newPage();
      await visitor.goto(requestPath);
      await visitor.locator('input[name="email"]').waitFor(WAIT);
      expect(await visitor.content()).not.toContain(requestTitle);
      expect([401, 404]).toContain((await visitor.request.get(`/api/v1/requests/${requestId}`)).status());
      const listed = (await (await visitor.request.get('/api/v1/requests?limit=100')).json()) as { items: { id: string }[] };
      expect(listed.items.map((x) => x.id)).not.toContain(requestId);
      await openDashboard(visitor, dayIn('UTC', -1), dayIn('UTC', 1), capacityEs.capacity.title);
      expect(await summaryFigure(visitor, capacityEs.capacity.figures.requests)).toBe('0');
    } finally {
      await visitorContext.close();
    }

    // An unrelated member (a Guatemalan NGO, itself a capacity-building provider): not in the list, not at its address, not counted.
    const outsider = await as(OUTSIDER, 'es');
    await outsider.goto('/requests');
    await outsider.getByRole('heading', { level: 1, name: rEs.title }).waitFor(WAIT);
    await outsider.getByTestId('request-row').first().waitFor(WAIT);
    expect(await outsider.getByRole('main').innerText()).not.toContain(requestTitle);
    await outsider.goto(requestPath);
    await outsider.getByRole('alert').waitFor(WAIT);
    expect(await outsider.getByRole('heading', { level: 1, name: requestTitle }).count()).toBe(0);
    expect((await outsider.request.get(`/api/v1/requests/${requestId}`)).status()).toBe(404);
    await openDashboard(outsider, dayIn('UTC', -1), dayIn('UTC', 1), capacityEs.capacity.title);
    expect(await summaryFigure(outsider, capacityEs.capacity.figures.requests)).toBe('0');
  });

  it('2. the secretariat triages the request and opens it to the providers', { timeout: STEP_TIMEOUT }, async () => {
    const page = await as(SECRETARIAT, 'en');
    await page.goto('/requests/triage');
    await page.getByRole('heading', { level: 1, name: rEn.triage.title }).waitFor(WAIT);
    await page.getByRole('link', { name: requestTitle }).click();
    await page.getByRole('heading', { level: 1, name: requestTitle }).waitFor(WAIT);
    await page.getByTestId('request-step-triaged').click();
    await page.getByTestId('request-status').getByText(rEn.status.triaged).waitFor(WAIT);
    await page.getByTestId('request-step-open').click();
    await page.getByTestId('request-status').getByText(rEn.status.open).waitFor(WAIT);
    const timeline = await page.getByTestId('request-timeline').innerText();
    expect(timeline).toContain(rEn.status.triaged);
    expect(timeline).toContain('Sofia Marchetti');
  });

  it('3. the focal point sees the fitting offers, providers and experts, each with its reasons in words', { timeout: STEP_TIMEOUT }, async () => {
    const page = await as(FOCAL, 'es');
    await page.goto(requestPath);
    await page.getByRole('heading', { level: 1, name: requestTitle }).waitFor(WAIT);
    await page.getByTestId('request-status').getByText(rEs.status.open).waitFor(WAIT);
    const matches = page.getByTestId('request-matches');
    await matches.getByRole('heading', { name: rEs.matches.title }).waitFor(WAIT);

    const offer = matches.getByTestId('match-offer').filter({ has: page.getByRole('link', { name: CSIRT_OFFER }) });
    await offer.waitFor(WAIT);
    const offerReasons = await offer.getByRole('listitem').allInnerTexts();
    expect(offerReasons.join('\n')).toMatch(/^Comparte \d+ conceptos? de la solicitud: .*Estrategias, agencias, SOC y CSIRT/m);
    expect(offerReasons).toContain('Abierta a República Dominicana');
    expect(await offer.getByLabel(new RegExp(`^${rEs.matches.scoreLabel}: \\d+$`)).count()).toBe(1);

    await matches.getByRole('tab', { name: new RegExp(`^${rEs.matches.providers}`) }).click();
    const provider = matches.getByTestId('match-provider').filter({ has: page.getByRole('link', { name: AGENCY_ORG }) });
    await provider.waitFor(WAIT);
    expect((await provider.getByRole('listitem').allInnerTexts()).join('\n')).toMatch(/^\d+ ofertas? corresponden?$/m);

    await matches.getByRole('tab', { name: new RegExp(`^${rEs.matches.experts}`) }).click();
    const expert = matches.getByTestId('match-expert').filter({ has: page.getByRole('link', { name: 'Camila Rojas Fuentes' }) });
    await expert.waitFor(WAIT);
    const expertReasons = (await expert.getByRole('listitem').allInnerTexts()).join('\n');
    expect(expertReasons).toContain('Respondedor de incidentes cibernéticos');
    expect(expertReasons).toMatch(/^Trabaja en .*español/m);
    await matches.getByTestId('match-expert').filter({ has: page.getByRole('link', { name: 'Claire Dubois' }) }).waitFor(WAIT);
    await expectNoSeriousViolations(page, 'a request with its matches');
  });

  it('4. the Team Europe agency answers in French together with the Chilean CSIRT; the focal point chooses that answer', { timeout: STEP_TIMEOUT }, async () => {
    const agency = await as(AGENCY, 'fr');
    // The request reaches the agency among those that fit its offers and experts.
    await agency.goto('/requests/suggested');
    await agency.getByRole('heading', { level: 1, name: rFr.suggested.title }).waitFor(WAIT);
    const suggestion = agency.getByTestId('suggested').getByRole('listitem').filter({ has: agency.getByRole('link', { name: requestTitle }) }).first();
    await suggestion.waitFor(WAIT);
    expect(await suggestion.innerText()).toContain(rFr.suggested.fits);
    await suggestion.getByRole('link', { name: requestTitle }).click();
    await agency.getByRole('heading', { level: 1, name: requestTitle }).waitFor(WAIT);

    const form = agency.getByTestId('interest-form');
    await form.getByLabel(label(rFr.interests.message)).fill('Le dispositif finance et le CSIRT national du Chili accompagne la création du CSIRT du secteur financier : mandat, services, procédures et formation de la première équipe.');
    await pick(agency, form, rFr.interests.partners, 'Chile', CHILE_ORG);
    await agency.keyboard.press('Escape');
    await pick(agency, form, rFr.interests.offers, 'CSIRT', CSIRT_OFFER);
    await agency.keyboard.press('Escape');
    await pick(agency, form, rFr.interests.experts, 'Claire', /^Claire Dubois — /);
    await agency.keyboard.press('Escape');
    await form.getByRole('button', { name: rFr.interests.send }).click();
    const answer = agency.getByTestId('interest').filter({ hasText: AGENCY_ORG });
    await answer.getByText(rFr.interests.status.proposed).waitFor(WAIT);
    expect(await answer.innerText()).toContain(rFr.interests.with.replace('{{names}}', `${CHILE_ORG} (Chili)`));
    await agency.getByText(rFr.interests.answered).waitFor(WAIT);

    const focal = await as(FOCAL, 'es');
    await focal.goto(requestPath);
    await focal.getByRole('heading', { level: 1, name: requestTitle }).waitFor(WAIT);
    const card = focal.getByTestId('interest').filter({ hasText: AGENCY_ORG });
    await card.waitFor(WAIT);
    const text = await card.innerText();
    expect(text).toContain(rEs.interests.with.replace('{{names}}', `${CHILE_ORG} (Chile)`));
    // The offer and the expert it proposes, by name (the focal point may see both).
    expect(text).toContain(rEs.interests.proposes);
    const proposed = card.getByTestId('interest-proposed');
    await proposed.getByRole('link', { name: CSIRT_OFFER }).waitFor(WAIT);
    await proposed.getByRole('link', { name: 'Claire Dubois', exact: true }).waitFor(WAIT);
    await card.getByTestId('interest-choose').click();
    await card.getByText(rEs.interests.chooseConfirm.replaceAll('{{organisation}}', AGENCY_ORG)).waitFor(WAIT);
    await card.getByTestId('interest-choose-confirm').click();
    await focal.getByTestId('request-status').getByText(rEs.status.matched).waitFor(WAIT);
    await card.getByText(rEs.interests.status.chosen).waitFor(WAIT);
    expect(await focal.getByTestId('request-timeline').innerText()).toContain(rEs.status.matched);
    // The chosen organisations now deliver it: the Chilean CSIRT stays in who it is shared with.
    expect(await focal.getByTestId('request-audience').innerText()).toContain(CHILE_ORG);

    // The agency starts the delivery.
    await agency.goto(requestPath);
    await agency.getByTestId('request-step-in-delivery').click();
    await agency.getByTestId('request-status').getByText(rFr.status['in-delivery']).waitFor(WAIT);
  });

  it('5. a Dominican analyst applies to a session; the agency selects, records attendance and completion; the certificate verifies for anyone; feedback is given', { timeout: STEP_TIMEOUT }, async () => {
    // The agency adds a session of the CSIRT set-up assistance in Santo Domingo, starting in two days.
    const agency = await as(AGENCY, 'fr');
    await agency.goto('/offers?q=CSIRT');
    await agency.getByRole('link', { name: CSIRT_OFFER }).first().click();
    await agency.getByRole('heading', { level: 1, name: CSIRT_OFFER }).waitFor(WAIT);
    offerPath = new URL(agency.url()).pathname;
    const s = offersFr.offers.session;
    await agency.getByTestId('add-session').click();
    const sessionForm = agency.getByTestId('session-form');
    await sessionForm.getByLabel(label(s.startsAt)).fill(`${dayIn(SD, 2)}T09:00`);
    await sessionForm.getByLabel(label(s.endsAt)).fill(`${dayIn(SD, 4)}T17:00`);
    await pick(agency, sessionForm, s.timeZone, 'Santo', /^America\/Santo Domingo /);
    await sessionForm.getByLabel(label(s.place)).fill(place);
    await sessionForm.getByLabel(label(s.seats)).fill('10');
    await sessionForm.getByRole('button', { name: s.add }).click();
    const row = agency.getByTestId('offer-session').filter({ hasText: place });
    await row.waitFor(WAIT);
    expect(await row.innerText()).toContain(s.seatsFree_other.replace('{{count}}', '10').replace('{{free}}', '10'));
    const offer = (await (await agency.request.get(`/api/v1/offers/${offerPath.split('/').pop()}`)).json()) as { id: string; sessions: { id: string; place: string }[] };
    sessionId = offer.sessions.find((x) => x.place === place)!.id;

    // The analyst applies, in Spanish.
    const analyst = await as(ANALYST, 'es');
    await analyst.goto(offerPath);
    await analyst.getByRole('heading', { level: 1, name: CSIRT_OFFER }).waitFor(WAIT);
    const mine = analyst.getByRole('row').filter({ hasText: aEs.session.seats_other.replace('{{count}}', '10').replace('{{free}}', '10') });
    await mine.getByTestId('apply-button').click();
    const dialog = analyst.getByRole('dialog');
    await dialog.getByLabel(label(aEs.apply.motivation)).fill('Coordino el equipo que prepara el CSIRT del sector financiero.');
    await dialog.getByTestId('apply-submit').click();
    await analyst.getByTestId('apply-done').getByText(aEs.apply.done.submitted).waitFor(WAIT);

    // The agency selects against the offer's criteria; attendance waits for the session to begin.
    const applications = `${offerPath}/applications?session=${sessionId}`;
    await agency.goto(applications);
    await agency.getByRole('heading', { level: 1, name: new RegExp(`^${aFr.provider.titleFor.replace('{{title}}', '')}`) }).waitFor(WAIT);
    const application = agency.getByTestId('provider-application').filter({ hasText: ANALYST_NAME });
    await application.getByText(aFr.status.submitted).waitFor(WAIT);
    await application.getByRole('button', { name: aFr.provider.selectOne.replace('{{name}}', ANALYST_NAME), exact: true }).click();
    const decision = agency.getByRole('dialog');
    await decision.getByText(aFr.provider.criteria).waitFor(WAIT);
    await decision.getByLabel(label(aFr.provider.reason)).fill('Équipe désignée et secteur prioritaire de la stratégie nationale.');
    await decision.getByRole('button', { name: aFr.provider.decisions.select, exact: true }).click();
    await decision.waitFor({ state: 'hidden', ...WAIT });
    await application.getByText(aFr.status.selected).waitFor(WAIT);
    await application.getByText(aFr.provider.notBegun).waitFor(WAIT);

    // The cohort is brought forward: it began yesterday and ends tomorrow (Puente's clock cannot be moved from a browser).
    await agency.goto(offerPath);
    const session = agency.getByTestId('offer-session').filter({ hasText: place });
    await session.getByRole('button', { name: /^Modifier la session du / }).click();
    const edit = agency.getByTestId('session-form');
    await edit.getByLabel(label(s.startsAt)).fill(`${dayIn(SD, -1)}T09:00`);
    await edit.getByLabel(label(s.endsAt)).fill(`${dayIn(SD, 1)}T17:00`);
    await edit.getByRole('button', { name: frMain.common.save }).click();
    await edit.waitFor({ state: 'detached', ...WAIT });

    await agency.goto(applications);
    await application.waitFor(WAIT);
    await tick(application.getByRole('checkbox', { name: aFr.provider.attendedOne.replace('{{name}}', ANALYST_NAME), exact: true }));
    await tick(application.getByRole('checkbox', { name: aFr.provider.completedOne.replace('{{name}}', ANALYST_NAME), exact: true }));
    const certificateLink = application.getByRole('link', { name: aFr.provider.certificate });
    await certificateLink.waitFor(WAIT);

    // The analyst downloads the certificate and gives feedback.
    await analyst.goto('/applications');
    await analyst.getByRole('heading', { level: 1, name: aEs.mine.title }).waitFor(WAIT);
    const verify = analyst.getByTestId('my-application').filter({ has: analyst.getByTestId('feedback-open') }).getByRole('link', { name: aEs.mine.verify });
    certificateUrl = (await verify.getAttribute('href'))!;
    expect(certificateUrl).toMatch(/\/certificates\/[A-Za-z0-9_-]{20,}$/);
    expect(await certificateLink.getAttribute('href')).toBe(certificateUrl);
    const card = analyst.getByTestId('my-application').filter({ has: analyst.locator(`a[href="${certificateUrl}"]`) });
    expect(await card.innerText()).toContain(aEs.mine.attended);
    const [download] = await Promise.all([analyst.waitForEvent('download', WAIT), card.getByTestId('certificate-download').click()]);
    const pdf = fs.readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdftotext = spawnSync('pdftotext', ['-v']);
    if (!pdftotext.error) {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'capacity-journey-')), 'certificate.pdf');
      fs.writeFileSync(file, pdf);
      const text = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-']).stdout.toString();
      expect(text).toContain(ANALYST_NAME);
      expect(text).toContain(certificateUrl.split('/').pop());
    }

    await card.getByTestId('feedback-open').click();
    const feedback = analyst.getByRole('dialog');
    await feedback.getByLabel(label(aEs.feedback.satisfaction)).fill('5');
    await feedback.getByLabel(label(aEs.feedback.usefulness)).fill('4');
    await feedback.getByLabel(label(aEs.feedback.comments)).fill('Los procedimientos del CSIRT de Chile nos sirven tal cual.');
    await feedback.getByLabel(label(aEs.feedback.followUp)).fill('Aprobar el mandato del CSIRT financiero antes de junio.');
    await feedback.getByTestId('feedback-submit').click();
    await feedback.waitFor({ state: 'hidden', ...WAIT });
    await card.getByText(aEs.mine.feedbackThanks).waitFor(WAIT);
    expect(await card.getByTestId('feedback-open').count()).toBe(0);

    // Anyone holding the address checks it; a forged code is not found.
    const visitorContext = await e2e.newContext({ locale: 'es-ES' });
    try {
      const visitor = await visitorContext.newPage();
      const res = await visitor.goto(new URL(certificateUrl).pathname);
      expect(res?.status()).toBe(200);
      await visitor.getByRole('heading', { level: 1, name: certPage.title }).waitFor(WAIT);
      const body = await visitor.locator('body').innerText();
      expect(body).toContain(certPage.valid);
      expect(body).toContain(ANALYST_NAME);
      expect(body).toMatch(CSIRT_OFFER);
      const forged = await visitor.goto(`/certificates/${'A'.repeat(22)}`);
      expect(forged?.status()).toBe(404);
      await visitor.getByRole('heading', { level: 1, name: certPage.notFoundTitle }).waitFor(WAIT);
      expect(await visitor.locator('body').innerText()).not.toContain(ANALYST_NAME);
    } finally {
      await visitorContext.close();
    }

    // Delivered: the focal point closes the delivery on the request's timeline.
    const focal = await as(FOCAL, 'es');
    await focal.goto(requestPath);
    await focal.getByTestId('request-step-completed').click();
    await focal.getByTestId('request-status').getByText(rEs.status.completed).waitFor(WAIT);
  });

  it('6. the annual meeting: the focal point fills the delegation within its quota and names its head; the delegate has it in their calendar feed', { timeout: STEP_TIMEOUT }, async () => {
    const focal = await as(FOCAL, 'es');
    await focal.goto('/events');
    await focal.getByRole('heading', { level: 1, name: ev.title }).waitFor(WAIT);
    await focal.getByRole('link', { name: MEETING }).first().click();
    await focal.getByRole('heading', { level: 1, name: MEETING }).waitFor(WAIT);
    eventId = new URL(focal.url()).pathname.split('/').pop()!;
    await focal.getByRole('heading', { name: ev.delegations.title }).waitFor(WAIT);
    const row = focal.getByTestId('delegation-row').filter({ hasText: 'República Dominicana' });
    const named = (n: number) => ev.delegations.named_other.replace('{{named}}', String(n)).replace('{{count}}', '4');
    await row.getByText(named(2)).waitFor(WAIT);

    // A colleague of the national CSIRT joins the delegation.
    await pick(focal, row, ev.delegations.nominate, 'Carolina', /^Carolina Méndez Rosario · /);
    await row.getByRole('button', { name: ev.delegations.add }).click();
    await row.getByText(named(3)).waitFor(WAIT);
    const carolina = row.getByText(/^Carolina Méndez Rosario · /).locator('xpath=..');
    await carolina.waitFor(WAIT);
    const letter = carolina.getByRole('link', { name: ev.delegations.letter });
    const letterPdf = await focal.request.get((await letter.getAttribute('href'))!);
    expect(letterPdf.status()).toBe(200);
    expect(letterPdf.headers()['content-type']).toMatch(/application\/pdf/);

    // The analyst who led the CSIRT work heads it.
    const luis = row.getByText(new RegExp(`^${ANALYST_NAME} · `)).locator('xpath=..');
    await luis.getByRole('button', { name: ev.delegations.makeHead }).click();
    await expect.poll(async () => (await row.getByRole('cell').last().innerText()).trim(), WAIT).toBe(ANALYST_NAME);

    // The last place: then the quota is full and nobody more can be named.
    await pick(focal, row, ev.delegations.nominate, 'José', /^José Alberto Féliz · /);
    await row.getByRole('button', { name: ev.delegations.add }).click();
    await row.getByText(named(4)).waitFor(WAIT);
    expect(await row.getByLabel(label(ev.delegations.nominate)).count()).toBe(0);

    // The delegate's own calendar, and a subscription to it.
    const analyst = await as(ANALYST, 'es');
    await analyst.goto('/calendar');
    await analyst.getByRole('heading', { level: 1, name: ev.calendar.title }).waitFor(WAIT);
    const meeting = analyst.getByRole('row').filter({ has: analyst.getByRole('link', { name: MEETING }) });
    await meeting.waitFor(WAIT);
    expect(await meeting.innerText()).toContain(ev.calendar.delegate);
    expect(await meeting.getByTestId('registration-status').textContent()).toBe(ev.registration.status.confirmed);
    await analyst.getByTestId('rotate-feed').click();
    const feed = await analyst.getByTestId('feed-url').inputValue();
    expect(feed).toMatch(/\/calendar\/[A-Za-z0-9_-]+\.ics$/);
    expect(await analyst.getByRole('link', { name: ev.calendar.webcal }).getAttribute('href')).toBe(feed.replace(/^https?:/, 'webcal:'));
    await expectNoSeriousViolations(analyst, 'my calendar, with a new subscription link');

    const res = await fetch(feed);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(await res.text()));
    const uids = calendar.getAllSubcomponents('vevent').map((v) => String(v.getFirstPropertyValue('uid')));
    // The meeting, and the CSIRT session they hold a seat at.
    expect(uids.some((u) => u.startsWith(`event-${eventId}@`))).toBe(true);
    expect(uids.some((u) => u.startsWith(`offer-session-${sessionId}@`))).toBe(true);
    const event = calendar.getAllSubcomponents('vevent').find((v) => String(v.getFirstPropertyValue('uid')).startsWith(`event-${eventId}@`))!;
    expect(String(event.getFirstPropertyValue('summary'))).toBe(MEETING);
    // A forged token answers 404.
    expect((await fetch(feed.replace(/\/calendar\/[^/]+\.ics$/, `/calendar/${'x'.repeat(43)}.ics`))).status).toBe(404);
  });

  it('7. the dashboard counts the request and the participant for the secretariat and not for an unrelated member; the IATI file carries the triangular assistance', { timeout: STEP_TIMEOUT }, async () => {
    const from = dayIn('UTC', -1);
    const to = dayIn('UTC', 1);
    const c = capacityEn.capacity;
    const secretariat = await as(SECRETARIAT, 'en');
    await openDashboard(secretariat, from, to, c.title);
    expect(await summaryFigure(secretariat, c.figures.requests)).toBe('1');
    expect(await summaryFigure(secretariat, c.figures.selected)).toBe('1');
    expect(await summaryFigure(secretariat, c.figures.completed)).toBe('1');
    expect(await tableRow(secretariat, c.requestsByStatus, c.status.completed)).toEqual(['1']);
    expect(await tableRow(secretariat, c.participantsByCountry, 'Dominican Republic')).toEqual(['1', '1']);
    expect((await tableRow(secretariat, c.times, c.toMatched))[0]).toBe('1');
    await expectNoSeriousViolations(secretariat, 'the capacity-building dashboard');

    const ce = capacityEs.capacity;
    const outsider = await as(OUTSIDER, 'es');
    await openDashboard(outsider, from, to, ce.title);
    expect(await summaryFigure(outsider, ce.figures.requests)).toBe('0');
    expect(await summaryFigure(outsider, ce.figures.selected)).toBe('0');
    expect(await tableRow(outsider, ce.requestsByStatus, ce.status.completed)).toEqual(['0']);

    // The IATI file, as the secretariat downloads it: valid against the schema, with the assistance as triangular cooperation.
    const res = await secretariat.request.get('/api/v1/offers/export.iati.xml?include=assistance');
    expect(res.status()).toBe(200);
    const xml = await res.text();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'capacity-journey-')), 'activities.xml');
    fs.writeFileSync(file, xml);
    const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, file]);
    expect(lint.error, 'xmllint is needed (libxml2-utils)').toBeUndefined();
    expect(lint.stderr.toString()).toMatch(/validates/);
    expect(lint.status).toBe(0);
    const activity = xml.split('<iati-activity ').find((a) => a.includes(`-${requestId}</iati-identifier>`));
    expect(activity, 'the assistance activity of the request').toBeDefined();
    expect(activity).toContain('<collaboration-type code="8"/>');
    expect(activity).toContain('<recipient-country code="DO"/>');
    expect(activity).toContain(requestTitle);
    expect(activity).toContain(`<narrative>${AGENCY_ORG}</narrative>`);
    expect(activity).toContain(`<narrative>${CHILE_ORG}</narrative>`);
  });
});
