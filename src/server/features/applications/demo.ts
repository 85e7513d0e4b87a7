import type { Insertable, Transaction } from 'kysely';
import type { FeatureDemo } from '../../demo/context.js';
import type { DB } from '../../db/schema.js';
import { newId, randomToken } from '../../platform/ids.js';
import { instantOf } from '../offers/zones.js';
import { demoOfferByTitle } from './repository.js';

const CSIRT_OFFER = 'Asistencia para crear CSIRT sectoriales en Centroamérica y el Caribe';
const SUMMER_SCHOOL = 'Summer School of Cyber Diplomacy 2027';

/** Colleagues of the Dominican national CSIRT's analyst (they do not sign in to the demo). */
const DO_ANALYSTS = [
  { key: 'carolina', name: 'Carolina Méndez Rosario', gender: 'woman' },
  { key: 'jose', name: 'José Alberto Féliz', gender: 'man' },
  { key: 'yanira', name: 'Yanira Santana Cruz', gender: null },
] as const;

/** The summer school's selected participants: fictitious officials of member organisations. */
const FIRST = ['Ana', 'Bruno', 'Carmen', 'Diego', 'Elena', 'Felipe', 'Gabriela', 'Hugo', 'Isabel', 'Jorge', 'Laura', 'Mateus', 'Nadia', 'Óscar', 'Paula', 'Ricardo', 'Sofía', 'Tomás', 'Valeria', 'Xavier'];
const LAST = ['Alves', 'Barrios', 'Castro', 'Duarte', 'Espinoza', 'Ferreira', 'Guzmán', 'Herrera', 'Ibáñez', 'Jiménez', 'Klein', 'Lopes', 'Molina', 'Navarro', 'Ortiz', 'Pereira', 'Quispe', 'Ramos', 'Silva', 'Torres'];
const SUMMER_ORGS = ['ar-mfa', 'bb-mfa', 'lt-mfa', 'es-mfa', 'co-agency', 'cr-csirt', 'jm-csirt', 'uy-csirt', 'pe-fin-csirt', 'ec-gov', 'mx-uni', 'br-csirt', 'cl-csirt', 'hn-gov', 'sr-gov', 'pl-gov', 'fr-agency', 'pt-agency', 'gt-ngo', 'tt-uni'];
const SUMMER_GENDERS = ['woman', 'man', 'woman', 'man', 'non-binary', null, 'woman', 'man', 'prefer-not-to-say', 'woman'] as const;

async function addPerson(trx: Transaction<DB>, orgId: string, name: string, email: string) {
  const id = newId();
  await trx.insertInto('people').values({ id, organisation_id: orgId, email, name, password_hash: null, languages: ['es', 'en'], ui_language: 'es', time_zone: 'America/Santo_Domingo', roles: ['member'], status: 'active' }).execute();
  return id;
}

/**
 * The done-when story's end: the Dominican analysts went to the first cohort of the triangular
 * CSIRT set-up assistance in Santo Domingo (October 2026) — attended, most completed, got their
 * certificates and gave feedback — and applied again, with the summer school, for 2027: the
 * school's forty seats are taken and two of them wait on its waitlist, a third for an endorsement.
 */
export const applicationsDemo: FeatureDemo = async ({ trx, orgIds, personIds }) => {
  const csirt = await demoOfferByTitle(trx, CSIRT_OFFER);
  const school = await demoOfferByTitle(trx, SUMMER_SCHOOL);
  if (!csirt || !school) return;
  const doCsirt = orgIds.get('do-csirt')!;
  const analyst = personIds.get('analyst.do@demo.puente.test')!;
  const gtPerson = personIds.get('ngo.gt@demo.puente.test')!;
  const colleagues = new Map<string, string>();
  for (const c of DO_ANALYSTS) colleagues.set(c.key, await addPerson(trx, doCsirt, c.name, `${c.key}@cnric-do.demo.puente.test`));

  // The first cohort, delivered: a session before the one the catalogue shows for 2027.
  const tz = 'America/Santo_Domingo';
  const past = { id: newId(), starts: instantOf('2026-10-19T09:00', tz, 'startsAt'), ends: instantOf('2026-10-21T17:00', tz, 'endsAt') };
  await trx
    .insertInto('offer_sessions')
    .values({ id: past.id, offer_id: csirt.id, starts_at: past.starts, ends_at: past.ends, time_zone: tz, place: 'Santo Domingo', country: 'DO', seats: 12, confirmed: 0, application_deadline: instantOf('2026-09-30T23:59', tz, 'applicationDeadline') })
    .execute();
  const cohort = [
    { person: analyst, org: doCsirt, country: 'DO', gender: 'man', completed: true, days: ['2026-10-19', '2026-10-20', '2026-10-21'], feedback: { satisfaction: 5, usefulness: 5, comments: 'Los ejercicios con el CSIRT de Chile fueron lo más útil.', followUp: 'Redactar el procedimiento de gestión de incidentes del CSIRT del sector eléctrico antes de marzo.' } },
    { person: colleagues.get('carolina')!, org: doCsirt, country: 'DO', gender: 'woman', completed: true, days: ['2026-10-19', '2026-10-20', '2026-10-21'], feedback: { satisfaction: 4, usefulness: 5, comments: 'Más tiempo para la parte legal.', followUp: 'Proponer el acuerdo de intercambio de información con las distribuidoras.' } },
    { person: colleagues.get('jose')!, org: doCsirt, country: 'DO', gender: 'man', completed: true, days: ['2026-10-19', '2026-10-20', '2026-10-21'], feedback: { satisfaction: 4, usefulness: 4, comments: '', followUp: 'Montar el inventario de activos OT del operador de transmisión.' } },
    { person: colleagues.get('yanira')!, org: doCsirt, country: 'DO', gender: null, completed: true, days: ['2026-10-19', '2026-10-20', '2026-10-21'], feedback: null },
    { person: gtPerson, org: orgIds.get('gt-ngo')!, country: 'GT', gender: 'woman', completed: false, days: ['2026-10-19', '2026-10-20'], feedback: null },
  ];
  const provider = personIds.get('provider.eu@demo.puente.test')!;
  for (const [i, c] of cohort.entries()) {
    const id = newId();
    const code = c.completed ? randomToken(16) : null;
    await trx
      .insertInto('applications')
      .values({
        id,
        offer_id: csirt.id,
        session_id: past.id,
        person_id: c.person,
        organisation_id: c.org,
        country: c.country,
        status: 'selected',
        ticket: i + 1,
        motivation: 'Preparamos un CSIRT sectorial y necesitamos los procedimientos y la experiencia de otros equipos.',
        gender: c.gender,
        decided_by: provider,
        decided_at: new Date('2026-10-02T14:00:00Z'),
        decision_reason: 'Equipo encargado de un CSIRT sectorial en preparación.',
        attended: true,
        attended_days: c.days,
        completed: c.completed,
        completed_at: c.completed ? past.ends : null,
        certificate_code: code,
        certificate_issued_at: code ? new Date('2026-10-22T12:00:00Z') : null,
        applied_at: new Date(`2026-09-${String(10 + i).padStart(2, '0')}T15:00:00Z`),
      })
      .execute();
    if (c.feedback) await trx.insertInto('application_feedback').values({ application_id: id, offer_id: csirt.id, satisfaction: c.feedback.satisfaction, usefulness: c.feedback.usefulness, comments: c.feedback.comments, follow_up: c.feedback.followUp }).execute();
  }
  await trx.updateTable('offer_sessions').set({ confirmed: cohort.length, last_ticket: cohort.length }).where('id', '=', past.id).execute();

  // The 2027 session: one seat given, one application waiting for the provider.
  const next = await trx.selectFrom('offer_sessions').select('id').where('offer_id', '=', csirt.id).where('id', '<>', past.id).orderBy('starts_at').executeTakeFirst();
  if (next) {
    await trx
      .insertInto('applications')
      .values([
        { id: newId(), offer_id: csirt.id, session_id: next.id, person_id: colleagues.get('carolina')!, organisation_id: doCsirt, country: 'DO', status: 'selected', ticket: 1, motivation: 'Segunda fase: el CSIRT del sector eléctrico entra en operación.', gender: 'woman', decided_by: provider, decided_at: new Date('2026-11-20T10:00:00Z') },
        { id: newId(), offer_id: csirt.id, session_id: next.id, person_id: colleagues.get('jose')!, organisation_id: doCsirt, country: 'DO', status: 'submitted', ticket: 2, motivation: 'Responsable de la monitorización OT del nuevo CSIRT.', gender: 'man' },
      ])
      .execute();
    await trx.updateTable('offer_sessions').set({ confirmed: 1, last_ticket: 2 }).where('id', '=', next.id).execute();
  }

  // The summer school: forty seats taken, a waitlist, an endorsement pending.
  const summer = await trx.selectFrom('offer_sessions').select(['id', 'seats']).where('offer_id', '=', school.id).orderBy('starts_at').executeTakeFirst();
  if (!summer) return;
  const focal = personIds.get('diplomat.do@demo.puente.test')!;
  let ticket = 0;
  const rows: Insertable<DB['applications']>[] = [];
  for (let i = 0; i < summer.seats; i++) {
    const orgKey = SUMMER_ORGS[i % SUMMER_ORGS.length]!;
    const orgId = orgIds.get(orgKey);
    if (!orgId) continue;
    const country = (await trx.selectFrom('organisations').select('country_code').where('id', '=', orgId).executeTakeFirstOrThrow()).country_code;
    const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
    const person = await addPerson(trx, orgId, name, `participant-${String(i + 1).padStart(2, '0')}@summer-school.demo.puente.test`);
    rows.push({
      id: newId(),
      offer_id: school.id,
      session_id: summer.id,
      person_id: person,
      organisation_id: orgId,
      country,
      status: 'selected',
      needs_endorsement: true,
      ticket: ++ticket,
      motivation: 'Point of contact for cyber confidence-building measures.',
      gender: SUMMER_GENDERS[i % SUMMER_GENDERS.length],
      endorsed_at: new Date('2026-11-05T10:00:00Z'),
      decided_at: new Date('2026-11-25T10:00:00Z'),
      decision_reason: 'Point of contact; regional and gender balance.',
    });
  }
  const selected = rows.length;
  const waiting = [
    { person: analyst, gender: 'man' },
    { person: colleagues.get('carolina')!, gender: 'woman' },
  ];
  for (const w of waiting) {
    ticket++;
    rows.push({
      id: newId(),
      offer_id: school.id,
      session_id: summer.id,
      person_id: w.person,
      organisation_id: doCsirt,
      country: 'DO',
      status: 'waitlisted',
      needs_endorsement: true,
      ticket,
      waitlist_ticket: ticket,
      motivation: 'El CSIRT nacional participa en el grupo de trabajo de la OEA sobre medidas de fomento de la confianza.',
      gender: w.gender,
      endorsed_by: focal,
      endorsed_at: new Date('2026-11-10T10:00:00Z'),
      endorsement_note: 'Respaldado por el punto focal nacional.',
      decided_at: new Date('2026-11-25T10:00:00Z'),
    });
  }
  rows.push({
    id: newId(),
    offer_id: school.id,
    session_id: summer.id,
    person_id: colleagues.get('yanira')!,
    organisation_id: doCsirt,
    country: 'DO',
    status: 'endorsement-pending',
    needs_endorsement: true,
    ticket: ++ticket,
    motivation: 'Coordino la cooperación internacional del CSIRT nacional.',
    gender: null,
  });
  await trx.insertInto('applications').values(rows).execute();
  await trx.updateTable('offer_sessions').set({ confirmed: selected, last_ticket: ticket }).where('id', '=', summer.id).execute();
  await trx.updateTable('offers').set({ selection: 'by-criteria', waitlist: true }).where('id', '=', school.id).execute();
};
