import { sql } from 'kysely';
import type { FeatureDemo } from '../../demo/context.js';
import { newId, randomToken } from '../../platform/ids.js';
import { hashToken, languageOf } from './mail.js';
import './tables.js';
import '../contacts/tables.js';

/**
 * One completed communication check to the demo's active contacts (those every
 * member may see): launched by the secretariat 30 days ago with a 7-day
 * deadline; about three in four acknowledged, most within hours, a few late.
 */
export const checksDemo: FeatureDemo = async ({ trx, orgIds, personIds }) => {
  const admin = personIds.get('admin@demo.puente.test');
  const secretariat = orgIds.get('secretariat');
  if (!admin || !secretariat) return;
  const contacts = await trx
    .selectFrom('contacts')
    .select(['id', 'organisation_id', 'country_code', 'emails', 'languages', 'person_id'])
    .where('status', '=', 'active')
    .where('tlp', 'in', ['CLEAR', 'GREEN'])
    .where(sql<boolean>`cardinality(emails) > 0`)
    .where(sql<boolean>`NOT (field_markings ? 'emails')`)
    .orderBy('country_code')
    .orderBy('full_name')
    .execute();
  if (!contacts.length) return;
  const start = new Date(Date.now() - 30 * 86_400_000);
  start.setUTCHours(9, 0, 0, 0);
  const deadline = new Date(start.getTime() + 7 * 86_400_000);
  const id = newId();
  await trx
    .insertInto('communication_checks')
    .values({
      id,
      title: 'Quarterly communication check',
      message: 'Routine check of the Puente directory: please confirm that this point of contact is reachable.',
      launched_by: admin,
      launched_by_org: secretariat,
      filters: JSON.stringify({}),
      deadline,
      reminder_at: [new Date(start.getTime() + 3.5 * 86_400_000), new Date(start.getTime() + 5.6 * 86_400_000)],
      reminders_sent: 2,
      status: 'closed',
      excluded: JSON.stringify({ emailWithheld: 0, noEmail: 0 }),
      created_at: start,
      closed_at: deadline,
    })
    .execute();
  // Answer delays in minutes, cycled: most the same day, some after a reminder; every fourth never answers.
  const delays = [12, 45, null, 95, 240, 30, 1500, null, 8, 380, 5200, 60, 20, null, 720, 150];
  for (const [i, c] of contacts.entries()) {
    const d = delays[i % delays.length];
    const at = d === null ? null : new Date(start.getTime() + d * 60_000);
    await trx
      .insertInto('communication_check_targets')
      .values({
        check_id: id,
        contact_id: c.id,
        organisation_id: c.organisation_id,
        country_code: c.country_code,
        email: c.emails[0],
        language: languageOf(c.languages),
        token_hash: hashToken(randomToken(32)),
        // The check is closed: its links are dead and no reminder will be sent.
        token_sealed: 'closed',
        acknowledged_at: at,
        channel: at ? (c.person_id && i % 2 === 0 ? 'in_app' : 'link') : null,
        reminders_sent: d === null || d > 3.5 * 24 * 60 ? (d !== null && d < 5.6 * 24 * 60 ? 1 : 2) : 0,
      })
      .execute();
  }
};
