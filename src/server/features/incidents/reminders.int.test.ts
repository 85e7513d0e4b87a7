import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentReport } from '#shared/incidents';
import { platformOf } from '../../platform/deps.js';
import { createTestApp, login, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { startSink, waitFor } from '../../test/smtp.js';
import { sendReportReminders } from './reminders.js';

/** NIS2 report reminders through a real SMTP server (src/server/test/smtp-sink.ts). */
let sink: Awaited<ReturnType<typeof startSink>>;
let t: TestApp;
let analyst: Client;
let org: string;
const people: Record<string, { id: string; email: string }> = {};

beforeAll(async () => {
  sink = await startSink();
  t = await createTestApp({ env: { PUENTE_SMTP_URL: `smtp://127.0.0.1:${sink.port}`, PUENTE_MAIL_FROM: 'Puente Test <no-reply@puente.test>' } });
  org = await makeOrganisation(t.db, { country: 'CO' });
  const other = await makeOrganisation(t.db, { country: 'CL' });
  people.analyst = await makePerson(t.db, org, { name: 'Ana Analyst' });
  people.colleague = await makePerson(t.db, org, { name: 'Carla Colleague' });
  people.away = await makePerson(t.db, org, { name: 'Disabled Dora', status: 'disabled' });
  people.outsider = await makePerson(t.db, other, { name: 'Otto Outsider' });
  await t.db.updateTable('people').set({ ui_language: 'es' }).where('id', '=', people.colleague.id).execute();
  analyst = await login(t.app, people.analyst.email);
});
afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

/**
 * Run the reminders at `now`, then deliver what they queued. The app runs without its job queue here, so
 * that the reminders' own schedule cannot run beside the test with the real clock; the mailer delivers directly.
 */
const remind = async (now: Date) => {
  const mailer = platformOf(t.deps).mailer;
  const queued = await sendReportReminders({ db: t.db, mailer, baseUrl: 'https://puente.example', now });
  for (const m of await t.db.selectFrom('mail_outbox').select('id').where('purpose', '=', 'incident_report_due').where('sent_at', 'is', null).execute()) await mailer.deliver(m.id);
  return queued;
};
const report = async (over: Record<string, unknown>) => {
  const res = await analyst.post('/api/v1/incidents', { title: 'Wiper at the grid operator', language: 'en', rsitClass: 'availability/sabotage', awareAt: new Date(Date.now() - 20 * 3_600_000).toISOString(), ...over });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as IncidentReport;
};
/** The reminders queued since `since`, as the outbox keeps them (bodies are purged once delivered). */
const outbox = async (before: Set<string>) =>
  (await t.db.selectFrom('mail_outbox').select(['id', 'to_address as recipient', 'subject', 'tlp']).where('purpose', '=', 'incident_report_due').orderBy('id').execute()).filter((m) => !before.has(m.id));
/** The reminders in the outbox now, to tell the next ones apart. */
const queuedSoFar = async () => new Set((await t.db.selectFrom('mail_outbox').select('id').where('purpose', '=', 'incident_report_due').execute()).map((m) => m.id));
/** The mails delivered to the sink that mention this incident (its link), soft line breaks undone. */
const delivered = (id: string) => sink.mails.map((m) => ({ to: m.to, raw: m.raw.replace(/=\r?\n/g, '') })).filter((m) => m.raw.includes(id));

describe('NIS2 report reminders', () => {
  it('tell the owner’s members who may read the report, once within six hours of the due time and once when overdue, in their language', async () => {
    const r = await report({ tlp: 'AMBER' });
    const ew = r.clocks.find((c) => c.kind === 'early-warning')!;
    const due = new Date(ew.dueAt);
    const since = await queuedSoFar();
    // Aware 20 hours ago: the early warning is due within six hours.
    const first = await remind(new Date(due.getTime() - 4 * 3_600_000));
    expect(first).toBe(2);
    const soon = await outbox(since);
    expect(soon.map((m) => m.recipient).sort()).toEqual([people.analyst!.email, people.colleague!.email].sort());
    expect(soon.every((m) => m.tlp === 'AMBER')).toBe(true);
    expect(soon.find((m) => m.recipient === people.analyst!.email)!.subject).toMatch(/^NIS2 early warning due .*: Wiper at the grid operator$/);
    expect(soon.find((m) => m.recipient === people.colleague!.email)!.subject).toMatch(/^NIS2: alerta temprana vence el .*: Wiper at the grid operator$/);
    // Delivered over SMTP, with the link to the report.
    await waitFor('the reminders at the sink', () => delivered(`https://puente.example/incidents/${r.id}`).length >= 2);
    // Once per threshold: nothing more until it falls due, then the overdue one, then nothing.
    expect(await remind(new Date(due.getTime() - 3_600_000))).toBe(0);
    expect(await remind(new Date(due.getTime() + 60_000))).toBe(2);
    const all = await outbox(since);
    expect(all.length).toBe(4);
    expect(all.filter((m) => /overdue|vencida/.test(m.subject)).length).toBe(2);
    expect(await remind(new Date(due.getTime() + 2 * 3_600_000))).toBe(0);
    // A report given stops its clock; a closed incident is reminded of nothing.
    await analyst.post(`/api/v1/incidents/${r.id}/reports`, { kind: 'notification', text: 'Notified' });
    const closed = await report({ tlp: 'AMBER' });
    await analyst.post(`/api/v1/incidents/${closed.id}/status`, { status: 'closed', outcome: 'false-positive' });
    expect(await remind(new Date(Date.parse(closed.clocks[0]!.dueAt) + 60_000))).toBe(0);
  });

  it('keep a RED report to the people it names, and its title out of the subject; mark exercise reports as such', async () => {
    const red = await report({ tlp: 'RED', title: 'Secret wiper' });
    const due = new Date(red.clocks.find((c) => c.kind === 'early-warning')!.dueAt);
    const since = await queuedSoFar();
    // Only the author reads a RED report naming nobody else.
    expect(await remind(new Date(due.getTime() - 3_600_000))).toBe(1);
    const mine = await outbox(since);
    expect(mine.map((m) => [m.recipient, m.tlp])).toEqual([[people.analyst!.email, 'RED']]);
    expect(mine[0]!.subject).not.toContain('Secret wiper');
    expect(mine[0]!.subject).toContain('TLP:RED');
    const sunk = await waitFor('the RED reminder at the sink', () => delivered(red.id)[0]);
    expect(sunk.to).toEqual([people.analyst!.email]);
    expect(/^Subject: .*$/m.exec(sunk.raw)![0]).not.toContain('Secret wiper');
    const drill = await report({ exercise: true, title: 'Drill scenario' });
    await remind(new Date(Date.parse(drill.clocks.find((c) => c.kind === 'early-warning')!.dueAt) - 3_600_000));
    const ex = await waitFor('the exercise reminder at the sink', () => delivered(drill.id)[0]);
    expect(/^Subject: \[EXERCISE\] NIS2 early warning due/m.test(ex.raw)).toBe(true);
  });
});
