import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { forbidden, invalidState } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { audienceColumns, markingOf, type Pap, type Tlp } from '../../platform/access/policy.js';
import { requireVetted } from '../../platform/auth/principal.js';
import { asActor, mayManageContact } from '../../platform/access/abilities.js';
import { checkOrganisation, checkPerson, clean, type ContactInput, keyColumns, prepare, uniq, validUntilOk } from './input.js';
import { checkNominationMarking } from './nominations.js';
import { canSeeField, contactCan, entryOf, FIELDS, type Field, fieldMarkingsOf, loadVisible, needsApproval, powersOf, viewOne } from './service.js';
import '../checks/tables.js';

/** Changes to the directory, one entry at a time: create, update, confirm, remove (a whole file: import.ts). */

export async function createContact(p: Platform, actor: Actor, b: ContactInput) {
  const pr = requireVetted(actor);
  const org = await checkOrganisation(p.db, b.organisationId);
  const kinds = uniq(b.kinds);
  const powers = await powersOf(p.db, pr);
  const target = { kinds, organisationId: org.id, country: org.country_code };
  if (!mayManageContact(asActor(pr), powers, target))
    throw forbidden('Diplomatic and crisis-management contacts are nominated by the national focal points; other kinds by the organisation’s admins');
  await checkPerson(p.db, b.personId, org.id);
  validUntilOk(b.validUntil);
  const prep = await prepare(p.db, org.id, { tlp: b.tlp ?? 'GREEN', pap: b.pap ?? 'GREEN', audience: b.audience }, {}, b.fieldMarkings, b.openpgpKey);
  const id = newId();
  const status = needsApproval(kinds) ? 'nominated' : 'active';
  checkNominationMarking(status, prep.tlp);
  await change(p, async (c) => {
    await c.trx
      .insertInto('contacts')
      .values({
        id,
        organisation_id: org.id,
        country_code: org.country_code,
        person_id: b.personId ?? null,
        kinds,
        full_name: b.fullName.trim(),
        is_team_mailbox: b.isTeamMailbox ?? false,
        position: b.position?.trim() ?? '',
        languages: uniq(b.languages ?? []),
        time_zone: clean(b.timeZone) ?? null,
        emails: uniq((b.emails ?? []).map((e) => e.trim())),
        phone: clean(b.phone) ?? null,
        emergency_phone: clean(b.emergencyPhone) ?? null,
        availability: clean(b.availability) ?? null,
        secure_channels: JSON.stringify(b.secureChannels ?? []),
        ...keyColumns(prep.key),
        field_markings: JSON.stringify(prep.fieldMarkings),
        valid_until: b.validUntil ?? null,
        website: clean(b.website) ?? null,
        last_confirmed_by: pr.person.id,
        status,
        nominated_by: pr.person.id,
        tlp: prep.tlp,
        pap: prep.pap,
        author_id: pr.person.id,
        author_org_id: org.id,
        ...audienceColumns(prep.audience),
      })
      .execute();
    await c.audit({
      action: status === 'nominated' ? 'contact.nominated' : 'contact.created',
      ...auditActor(actor),
      organisationId: org.id,
      targetType: 'contact',
      targetId: id,
      details: { kinds, country: org.country_code, tlp: prep.tlp, fieldMarkings: Object.fromEntries(Object.entries(prep.fieldMarkings).map(([k, v]) => [k, v.tlp])) },
    });
  });
  return viewOne(p.db, pr, powers, await loadVisible(p.db, pr.viewer, id));
}

export type ContactPatch = Partial<Omit<ContactInput, 'organisationId'>>;

const FIELD_OF_INPUT: Record<Field, keyof ContactPatch> = {
  emails: 'emails',
  phone: 'phone',
  emergencyPhone: 'emergencyPhone',
  availability: 'availability',
  secureChannels: 'secureChannels',
  openpgpKey: 'openpgpKey',
};

export async function updateContact(p: Platform, actor: Actor, id: string, b: ContactPatch) {
  const pr = requireVetted(actor);
  const before = await loadVisible(p.db, pr.viewer, id);
  const powers = await powersOf(p.db, pr);
  if (before.status === 'removed' || before.status === 'rejected') throw invalidState(`A ${before.status} entry cannot be changed`);
  const can = contactCan(pr, powers, before);
  const remarks = b.tlp !== undefined || b.pap !== undefined || b.audience !== undefined || b.fieldMarkings !== undefined;
  if (!can.edit || (remarks && !can.changeMarking)) throw forbidden('Only the focal points or organisation admins responsible for this entry change it');
  const kinds = b.kinds ? uniq(b.kinds) : before.kinds;
  if (b.kinds && !mayManageContact(asActor(pr), powers, { kinds, organisationId: before.organisation_id, country: before.country_code }))
    throw forbidden('You may not give this entry these kinds');
  // An editor changes only what they can see.
  for (const f of FIELDS) {
    const touched = b[FIELD_OF_INPUT[f]] !== undefined || b.fieldMarkings?.[f] !== undefined;
    if (touched && !canSeeField(pr.viewer, before, f)) throw forbidden(`The field ${f} is not shared with you; you cannot change it`);
  }
  await checkPerson(p.db, b.personId, before.organisation_id);
  validUntilOk(b.validUntil);
  const prep = await prepare(
    p.db,
    before.organisation_id,
    { tlp: b.tlp ?? (before.tlp as Tlp), pap: b.pap ?? (before.pap as Pap), audience: b.audience ?? (b.tlp ? undefined : markingOf(before).audience) },
    fieldMarkingsOf(before),
    b.fieldMarkings,
    b.openpgpKey,
  );
  // Gaining a country-level kind turns an active entry back into a nomination.
  const status = before.status === 'active' && needsApproval(kinds) && !needsApproval(before.kinds) ? 'nominated' : before.status;
  checkNominationMarking(status, prep.tlp);
  const changed = Object.keys(b).sort();
  await change(p, async (c) => {
    await c.trx
      .updateTable('contacts')
      .set({
        kinds,
        ...(b.fullName !== undefined && { full_name: b.fullName.trim() }),
        ...(b.position !== undefined && { position: b.position.trim() }),
        ...(b.isTeamMailbox !== undefined && { is_team_mailbox: b.isTeamMailbox }),
        ...(b.personId !== undefined && { person_id: b.personId }),
        ...(b.languages !== undefined && { languages: uniq(b.languages) }),
        ...(b.timeZone !== undefined && { time_zone: clean(b.timeZone) }),
        ...(b.emails !== undefined && { emails: uniq(b.emails.map((e) => e.trim())) }),
        ...(b.phone !== undefined && { phone: clean(b.phone) }),
        ...(b.emergencyPhone !== undefined && { emergency_phone: clean(b.emergencyPhone) }),
        ...(b.availability !== undefined && { availability: clean(b.availability) }),
        ...(b.secureChannels !== undefined && { secure_channels: JSON.stringify(b.secureChannels) }),
        ...keyColumns(prep.key),
        ...(b.validUntil !== undefined && { valid_until: b.validUntil }),
        ...(b.website !== undefined && { website: clean(b.website) }),
        field_markings: JSON.stringify(prep.fieldMarkings),
        status,
        tlp: prep.tlp,
        pap: prep.pap,
        ...audienceColumns(prep.audience),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await c.audit({
      action: 'contact.updated',
      ...auditActor(actor),
      organisationId: before.organisation_id,
      targetType: 'contact',
      targetId: id,
      // Names of what changed and the markings, never the values of fields.
      details: { changed, status, tlp: prep.tlp, fieldMarkings: Object.fromEntries(Object.entries(prep.fieldMarkings).map(([k, v]) => [k, v.tlp])) },
    });
  });
  return viewOne(p.db, pr, powers, await loadVisible(p.db, pr.viewer, id));
}

export async function confirmContact(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const before = await loadVisible(p.db, pr.viewer, id);
  const powers = await powersOf(p.db, pr);
  if (!contactCan(pr, powers, before).confirm) throw before.status !== 'active' ? invalidState('Only active entries are confirmed') : forbidden('Only those responsible for this entry, or the person it names, confirm it');
  await change(p, async (c) => {
    await c.trx.updateTable('contacts').set({ last_confirmed_at: new Date(), last_confirmed_by: pr.person.id, last_reminded_at: null }).where('id', '=', id).execute();
    // Those responsible vouched for the details: a flag from missed communication checks ends here.
    await c.trx.deleteFrom('contact_check_flags').where('contact_id', '=', id).execute();
    await c.audit({ action: 'contact.confirmed', ...auditActor(actor), organisationId: before.organisation_id, targetType: 'contact', targetId: id, details: { ageDays: Number(before.age_days) } });
  });
  return viewOne(p.db, pr, powers, await loadVisible(p.db, pr.viewer, id));
}

export async function removeContact(p: Platform, actor: Actor, id: string, reason?: string) {
  const pr = requireVetted(actor);
  const before = await loadVisible(p.db, pr.viewer, id);
  const powers = await powersOf(p.db, pr);
  if (!contactCan(pr, powers, before).delete)
    throw before.status === 'removed' && mayManageContact(asActor(pr), powers, entryOf(before))
      ? invalidState('The entry is already removed')
      : forbidden('Only the focal points or organisation admins responsible for this entry remove it');
  await change(p, async (c) => {
    await c.trx.updateTable('contacts').set({ status: 'removed', status_reason: reason?.trim() || null, updated_at: new Date() }).where('id', '=', id).execute();
    await c.audit({ action: 'contact.removed', ...auditActor(actor), organisationId: before.organisation_id, targetType: 'contact', targetId: id, details: { from: before.status, reasonGiven: !!reason?.trim() } });
  });
}
