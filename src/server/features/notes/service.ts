import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { ANONYMOUS, type Audience, audienceColumns, markingOf, normaliseAudience, type Pap, type Tlp, type Viewer } from '../../platform/access/policy.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { requireVetted, type Principal } from '../../platform/auth/principal.js';
import { asActor, noteAbilities } from '../../platform/access/abilities.js';
import { searchTerm, visibleNotes, type NoteRow } from './repository.js';
import { sameLanguage, showFor, withoutTranslation, withTranslation } from '../../platform/translations.js';

export interface MarkingInput {
  tlp: Tlp;
  pap: Pap;
  audience?: Partial<Audience>;
}

const abilities = (pr: Principal | null, n: { author_id: string | null; author_org_id: string | null }) => noteAbilities(asActor(pr), { authorId: n.author_id, authorOrgId: n.author_org_id });

/** A note as the API gives it: in the first of `langs` it exists in, else as written (see platform/translations.ts). */
export function noteView(pr: Principal | null, n: NoteRow, langs: readonly string[] = []) {
  const can = abilities(pr, n);
  const shown = showFor({ language: n.language, source_rev: n.source_rev, translations: n.translations, source: { title: n.title, body: n.body } }, langs);
  return {
    id: n.id,
    title: shown.fields.title,
    body: shown.fields.body,
    language: shown.info.shown,
    translation: shown.info,
    tlp: n.tlp as Tlp,
    pap: n.pap as Pap,
    author: { id: n.author_id!, name: n.author_name },
    organisation: { id: n.author_org_id!, name: n.org_name, country: n.org_country },
    audience: { organisations: n.audience_organisations, communities: n.audience_communities, people: n.audience_people },
    createdAt: n.created_at.toISOString(),
    updatedAt: n.updated_at.toISOString(),
    // Kept for clients that read it: "may change the marking or delete".
    canEdit: can.changeMarking || can.delete,
    can,
  };
}

const checkAudience = (p: Platform, a: Audience) => checkAudienceExists(p.db, a);

/**
 * Anyone may list: the public and people of organisations that are not
 * (or no longer) approved get what the policy gives them, which is CLEAR only.
 */
export async function listNotes(p: Platform, actor: Actor, q: { q?: string; tlp?: Tlp; limit?: number; lang?: string }) {
  const pr = actor.principal;
  let query = visibleNotes(p.db, pr?.viewer ?? ANONYMOUS);
  if (q.tlp) query = query.where('n.tlp', '=', q.tlp);
  if (q.q?.trim()) query = query.where(searchTerm(q.q.trim()));
  const rows = await query.orderBy('n.created_at', 'desc').limit(q.limit ?? 100).execute();
  const langs = actor.readerLanguages;
  return { items: rows.map((n) => noteView(pr, n, langs)) };
}

export async function getNote(p: Platform, viewer: Viewer, id: string) {
  const n = await visibleNotes(p.db, viewer).where('n.id', '=', id).executeTakeFirst();
  // Not visible and not there look the same: the answer must not confirm that a record exists.
  if (!n) throw notFound('Note');
  return n;
}

export async function createNote(p: Platform, actor: Actor, b: { title: string; body: string; language: string } & MarkingInput) {
  const pr = requireVetted(actor);
  const audience = normaliseAudience(b.tlp, b.audience);
  await checkAudience(p, audience);
  const id = newId();
  const marking = { tlp: b.tlp, authorId: pr.person.id, authorOrgId: pr.organisation.id, audience };
  await change(p, async (c) => {
    await c.trx
      .insertInto('notes')
      .values({
        id,
        title: b.title.trim(),
        body: b.body,
        language: b.language,
        tlp: b.tlp,
        pap: b.pap,
        author_id: pr.person.id,
        author_org_id: pr.organisation.id,
        ...audienceColumns(audience),
      })
      .execute();
    await c.audit({ action: 'note.created', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'note', targetId: id, details: { tlp: b.tlp, pap: b.pap, audience } });
    await c.event({ type: 'note.created', subjectType: 'note', subjectId: id, payload: { title: b.title.trim(), tlp: b.tlp, authorId: pr.person.id }, marking, pap: b.pap });
  });
  return noteView(pr, await getNote(p, pr.viewer, id), actor.readerLanguages);
}

export async function changeMarking(p: Platform, actor: Actor, id: string, m: MarkingInput) {
  const pr = requireVetted(actor);
  const before = await getNote(p, pr.viewer, id);
  if (!abilities(pr, before).changeMarking) throw forbidden('Only the author or their organisation admins change a marking');
  const audience = normaliseAudience(m.tlp, m.audience);
  await checkAudience(p, audience);
  await change(p, async (c) => {
    await c.trx
      .updateTable('notes')
      .set({ tlp: m.tlp, pap: m.pap, ...audienceColumns(audience), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    const from = markingOf(before);
    await c.audit({
      action: 'note.marking_changed',
      ...auditActor(actor),
      organisationId: before.author_org_id,
      targetType: 'note',
      targetId: id,
      details: { from: { tlp: from.tlp, pap: before.pap, audience: from.audience }, to: { tlp: m.tlp, pap: m.pap, audience } },
    });
    await c.event({
      type: 'note.marking_changed',
      subjectType: 'note',
      subjectId: id,
      payload: { title: before.title, tlp: m.tlp },
      marking: { tlp: m.tlp, authorId: before.author_id, authorOrgId: before.author_org_id, audience },
      pap: m.pap,
    });
  });
  return noteView(pr, await getNote(p, pr.viewer, id), actor.readerLanguages);
}

export async function deleteNote(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const n = await getNote(p, pr.viewer, id);
  if (!abilities(pr, n).delete) throw forbidden('Only the author or their organisation admins delete a note');
  await change(p, async (c) => {
    await c.trx.deleteFrom('notes').where('id', '=', id).execute();
    await c.audit({ action: 'note.deleted', ...auditActor(actor), organisationId: n.author_org_id, targetType: 'note', targetId: id, details: { tlp: n.tlp } });
    await c.event({ type: 'note.deleted', subjectType: 'note', subjectId: id, payload: {}, marking: markingOf(n) });
  });
}

/**
 * Add or replace a note's version in another language (the author or their organisation's
 * admins). The translation records which revision of the note it was made from.
 */
export async function translateNote(p: Platform, actor: Actor, id: string, lang: string, b: { title: string; body: string; machine?: boolean; basedOn?: number }) {
  const pr = requireVetted(actor);
  const n = await getNote(p, pr.viewer, id);
  if (!abilities(pr, n).translate) throw forbidden('Only the author, their organisation admins and its translators translate a note');
  const translations = withTranslation(n.translations, n, lang, { title: b.title.trim(), body: b.body }, { machine: b.machine, by: pr.person.id, basedOn: b.basedOn });
  const tag = Object.keys(translations).find((l) => sameLanguage(l, lang))!;
  await change(p, async (c) => {
    await c.trx.updateTable('notes').set({ translations: JSON.stringify(translations), updated_at: new Date() }).where('id', '=', id).execute();
    await c.audit({ action: 'note.translated', ...auditActor(actor), organisationId: n.author_org_id, targetType: 'note', targetId: id, details: { language: tag, machine: !!b.machine } });
  });
  return noteView(pr, await getNote(p, pr.viewer, id), [tag]);
}

export async function removeNoteTranslation(p: Platform, actor: Actor, id: string, lang: string) {
  const pr = requireVetted(actor);
  const n = await getNote(p, pr.viewer, id);
  if (!abilities(pr, n).translate) throw forbidden('Only the author, their organisation admins and its translators translate a note');
  const translations = withoutTranslation(n.translations, lang);
  await change(p, async (c) => {
    await c.trx.updateTable('notes').set({ translations: JSON.stringify(translations), updated_at: new Date() }).where('id', '=', id).execute();
    await c.audit({ action: 'note.translation_removed', ...auditActor(actor), organisationId: n.author_org_id, targetType: 'note', targetId: id, details: { language: lang } });
  });
}
