import type { Platform } from '../../platform/deps.js';
import { change, type Change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { newId, sha256 } from '../../platform/ids.js';
import { type Audience, audienceColumns, canSee, type Marking, markingOf, normaliseAudience, type Pap, type Tlp, type Viewer } from '../../platform/access/policy.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { requireVetted, type Principal } from '../../platform/auth/principal.js';
import { asActor, replyAbilities, topicAbilities, type CommunityPowers, type TopicAbilities } from '../../platform/access/abilities.js';
import { communityPowers } from '../communities/service.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { visibleAttachment, visibleTopics, type TopicRow } from './repository.js';
import { loadViewers, notifyPost } from './notify.js';
import { detectType } from '../../platform/filetypes.js';

export type TopicTlp = Exclude<Tlp, 'CLEAR'>;

export interface TopicInput {
  title: string;
  body: string;
  language?: string;
  tlp?: TopicTlp;
  pap?: Pap;
  audience?: Partial<Audience>;
  mentions?: string[];
}

async function approvedCommunity(p: Platform, id: string) {
  const c = await p.db.selectFrom('communities').select(['id', 'name', 'status']).where('id', '=', id).executeTakeFirst();
  if (!c || c.status !== 'approved') throw notFound('Community');
  return c;
}

/** Only members of the community (directly or through their organisation) post in it. The secretariat too, only if a member. */
function requireMember(pr: Principal, communityId: string) {
  if (!pr.viewer.communityIds.includes(communityId)) throw new AppError('FORBIDDEN', 'Only members of this community post in it');
}

const checkAudience = (p: Platform, a: Audience) => checkAudienceExists(p.db, a);

/**
 * The marking an event about a topic carries. In a members-only community the
 * topic's own marking would reach every vetted member on the live stream (a
 * GREEN topic's title, say); there the event is addressed, by name, to the
 * members the topic's marking lets see it.
 */
async function eventMarking(c: Change, communityId: string, marking: Marking): Promise<Marking> {
  const com = await c.trx.selectFrom('communities').select('visibility').where('id', '=', communityId).executeTakeFirst();
  if (com?.visibility !== 'members') return marking;
  const members = await c.trx
    .selectFrom('people as pe')
    .select('pe.id')
    .where('pe.status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('community_people as cp').select('cp.person_id').whereRef('cp.person_id', '=', 'pe.id').where('cp.community_id', '=', communityId)),
        eb.exists(eb.selectFrom('community_organisations as co').select('co.organisation_id').whereRef('co.organisation_id', '=', 'pe.organisation_id').where('co.community_id', '=', communityId)),
      ]),
    )
    .execute();
  const viewers = await loadViewers(c.trx, members.map((m) => m.id));
  const people = [...viewers.values()].filter((v) => canSee(v.viewer, marking)).map((v) => v.person.id);
  return { tlp: 'RED', authorId: marking.authorId, authorOrgId: marking.authorOrgId, audience: { organisations: [], communities: [], people } };
}

/** Mentions name members of the community; anything else is refused. */
async function checkMentions(p: Platform, communityId: string, ids: string[] | undefined): Promise<string[]> {
  const wanted = [...new Set(ids ?? [])];
  if (!wanted.length) return [];
  const found = await p.db
    .selectFrom('people as pe')
    .select('pe.id')
    .where('pe.id', 'in', wanted)
    .where('pe.status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('community_people as cp').select('cp.person_id').whereRef('cp.person_id', '=', 'pe.id').where('cp.community_id', '=', communityId)),
        eb.exists(eb.selectFrom('community_organisations as co').select('co.organisation_id').whereRef('co.organisation_id', '=', 'pe.organisation_id').where('co.community_id', '=', communityId)),
      ]),
    )
    .execute();
  const unknown = wanted.filter((id) => !found.some((f) => f.id === id));
  if (unknown.length) throw new AppError('VALIDATION_FAILED', 'Mentions must name members of this community', { field: 'mentions', unknown });
  return wanted;
}

const powersIn = (p: Platform, pr: Principal, communityId: string) => communityPowers(p.db, pr, communityId);
const topicCan = (pr: Principal, t: TopicRow, powers: CommunityPowers) =>
  topicAbilities(asActor(pr), { authorId: t.author_id, authorOrgId: t.author_org_id, communityId: t.community_id }, powers);
const replyCan = async (p: Platform, pr: Principal, r: { author_id: string | null }, t: TopicRow) =>
  replyAbilities(asActor(pr), { authorId: r.author_id }, { communityId: t.community_id }, await powersIn(p, pr, t.community_id));

export function topicSummary(t: TopicRow & { reply_count?: number | string | null }, can: TopicAbilities) {
  return {
    id: t.id,
    communityId: t.community_id,
    communityName: t.community_name,
    title: t.title,
    language: t.language,
    tlp: t.tlp as Tlp,
    pap: t.pap as Pap,
    author: { id: t.author_id!, name: t.author_name },
    organisation: { id: t.author_org_id!, name: t.org_name, country: t.org_country },
    audience: { organisations: t.audience_organisations, communities: t.audience_communities, people: t.audience_people },
    replyCount: Number(t.reply_count ?? 0),
    createdAt: t.created_at.toISOString(),
    lastActivityAt: t.last_activity_at.toISOString(),
    can,
  };
}

export async function listTopics(p: Platform, actor: Actor, communityId: string) {
  const pr = requireVetted(actor);
  await approvedCommunity(p, communityId);
  const powers = await powersIn(p, pr, communityId);
  const rows = await visibleTopics(p.db, pr.viewer)
    .select((eb) => eb.selectFrom('discussion_replies as r').select(eb.fn.countAll<string>().as('n')).whereRef('r.topic_id', '=', 't.id').as('reply_count'))
    .where('t.community_id', '=', communityId)
    .orderBy('t.last_activity_at', 'desc')
    .limit(200)
    .execute();
  return { items: rows.map((t) => topicSummary(t, topicCan(pr, t, powers))) };
}

export async function getVisibleTopic(p: Platform, viewer: Viewer, id: string) {
  const t = await visibleTopics(p.db, viewer).where('t.id', '=', id).executeTakeFirst();
  // Hidden and missing answer the same.
  if (!t) throw notFound('Topic');
  return t;
}

export async function topicView(p: Platform, pr: Principal, t: TopicRow) {
  const replies = await p.db
    .selectFrom('discussion_replies as r')
    .innerJoin('people as a', 'a.id', 'r.author_id')
    .innerJoin('organisations as o', 'o.id', 'r.author_org_id')
    .select(['r.id', 'r.body_md', 'r.body_html', 'r.mentions', 'r.created_at', 'r.edited_at', 'a.id as author_id', 'a.name as author_name', 'o.name as org_name'])
    .where('r.topic_id', '=', t.id)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  const attachments = await p.db
    .selectFrom('discussion_attachments')
    .select(['id', 'reply_id', 'file_name', 'content_type', 'size_bytes', 'sha256', 'created_at'])
    .where('topic_id', '=', t.id)
    .orderBy('created_at')
    .execute();
  const mentionIds = [...new Set([...t.mentions, ...replies.flatMap((r) => r.mentions)])];
  const names = mentionIds.length ? await p.db.selectFrom('people').select(['id', 'name']).where('id', 'in', mentionIds).execute() : [];
  const mention = (ids: string[]) => ids.map((id) => ({ id, name: names.find((n) => n.id === id)?.name ?? '' }));
  const att = (a: (typeof attachments)[number]) => ({ id: a.id, fileName: a.file_name, contentType: a.content_type, sizeBytes: a.size_bytes, sha256: a.sha256, createdAt: a.created_at.toISOString() });
  const sub = await p.db.selectFrom('discussion_subscriptions').select('mode').where('person_id', '=', pr.person.id).where('topic_id', '=', t.id).executeTakeFirst();
  const powers = await powersIn(p, pr, t.community_id);
  const can = topicCan(pr, t, powers);
  return {
    ...topicSummary({ ...t, reply_count: replies.length }, can),
    bodyMarkdown: t.body_md,
    bodyHtml: t.body_html,
    mentions: mention(t.mentions),
    attachments: attachments.filter((a) => !a.reply_id).map(att),
    replies: replies.map((r) => {
      const rc = replyAbilities(asActor(pr), { authorId: r.author_id }, { communityId: t.community_id }, powers);
      return {
        id: r.id,
        bodyMarkdown: r.body_md,
        bodyHtml: r.body_html,
        author: { id: r.author_id, name: r.author_name },
        organisation: r.org_name,
        mentions: mention(r.mentions),
        attachments: attachments.filter((a) => a.reply_id === r.id).map(att),
        createdAt: r.created_at.toISOString(),
        editedAt: r.edited_at?.toISOString() ?? null,
        canEdit: rc.edit,
        canDelete: rc.delete,
        can: rc,
      };
    }),
    editedAt: t.edited_at?.toISOString() ?? null,
    canEdit: can.edit,
    canDelete: can.delete,
    canChangeMarking: can.changeMarking,
    canPost: can.reply,
    canAttach: can.attach,
    subscription: sub?.mode ?? null,
  };
}

export async function createTopic(p: Platform, actor: Actor, communityId: string, b: TopicInput) {
  const pr = requireVetted(actor);
  const com = await approvedCommunity(p, communityId);
  requireMember(pr, com.id);
  const tlp: TopicTlp = b.tlp ?? 'AMBER';
  // The default audience of an AMBER topic is its community.
  const audience = normaliseAudience(tlp, b.audience ?? (tlp === 'AMBER' ? { communities: [com.id] } : undefined));
  await checkAudience(p, audience);
  const mentions = await checkMentions(p, com.id, b.mentions);
  const html = renderMarkdown(b.body);
  const id = newId();
  const pap = b.pap ?? 'AMBER';
  const marking = { tlp, authorId: pr.person.id, authorOrgId: pr.organisation.id, audience };
  await change(p, async (c) => {
    await c.trx
      .insertInto('discussion_topics')
      .values({
        id,
        community_id: com.id,
        title: b.title.trim(),
        body_md: b.body,
        body_html: html,
        language: b.language ?? pr.person.uiLanguage ?? 'en',
        mentions,
        tlp,
        pap,
        author_id: pr.person.id,
        author_org_id: pr.organisation.id,
        ...audienceColumns(audience),
      })
      .execute();
    await c.audit({ action: 'discussion.topic_created', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'discussion_topic', targetId: id, details: { community: com.id, tlp, pap, audience } });
    await c.event({ type: 'discussion.topic_created', subjectType: 'discussion_topic', subjectId: id, payload: { title: b.title.trim(), communityId: com.id, tlp }, marking: await eventMarking(c, com.id, marking), pap });
    await notifyPost(c, p.config.baseUrl, { kind: 'topic', topicId: id, communityId: com.id, communityName: com.name, title: b.title.trim(), authorId: pr.person.id, authorName: pr.person.name, marking, mentions });
  });
  return topicView(p, pr, await getVisibleTopic(p, pr.viewer, id));
}

export async function createReply(p: Platform, actor: Actor, topicId: string, b: { body: string; mentions?: string[] }) {
  const pr = requireVetted(actor);
  const t = await getVisibleTopic(p, pr.viewer, topicId);
  if (!topicCan(pr, t, await powersIn(p, pr, t.community_id)).reply) throw forbidden('Only members of this community post in it');
  const mentions = await checkMentions(p, t.community_id, b.mentions);
  const id = newId();
  const marking = markingOf(t);
  await change(p, async (c) => {
    await c.trx
      .insertInto('discussion_replies')
      .values({ id, topic_id: t.id, body_md: b.body, body_html: renderMarkdown(b.body), mentions, author_id: pr.person.id, author_org_id: pr.organisation.id })
      .execute();
    await c.trx.updateTable('discussion_topics').set({ last_activity_at: new Date() }).where('id', '=', t.id).execute();
    await c.audit({ action: 'discussion.reply_created', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'discussion_topic', targetId: t.id, details: { reply: id } });
    // The reply's event carries the topic's marking: replies inherit it.
    await c.event({ type: 'discussion.reply_created', subjectType: 'discussion_topic', subjectId: t.id, payload: { title: t.title, communityId: t.community_id, replyId: id }, marking: await eventMarking(c, t.community_id, marking), pap: t.pap });
    await notifyPost(c, p.config.baseUrl, { kind: 'reply', topicId: t.id, communityId: t.community_id, communityName: t.community_name, title: t.title, authorId: pr.person.id, authorName: pr.person.name, marking, mentions });
  });
  return { ...(await topicView(p, pr, await getVisibleTopic(p, pr.viewer, t.id))), replyId: id };
}

export async function uploadAttachment(p: Platform, actor: Actor, topicId: string, q: { name: string; replyId?: string }, body: Buffer) {
  const pr = requireVetted(actor);
  const t = await getVisibleTopic(p, pr.viewer, topicId);
  requireMember(pr, t.community_id);
  const powers = await powersIn(p, pr, t.community_id);
  if (q.replyId) {
    const r = await p.db.selectFrom('discussion_replies').select(['id', 'author_id']).where('id', '=', q.replyId).where('topic_id', '=', t.id).executeTakeFirst();
    if (!r) throw notFound('Reply');
    if (!replyAbilities(asActor(pr), { authorId: r.author_id }, { communityId: t.community_id }, powers).attach) throw forbidden('Only the author of a reply attaches files to it');
  } else if (!topicCan(pr, t, powers).attach) throw forbidden('Only the author of a topic attaches files to it');
  const name = q.name.trim().replace(/[\\/\r\n"]/g, '_');
  if (!body.length) throw new AppError('VALIDATION_FAILED', 'The file is empty', { field: 'body' });
  const type = detectType(body, name);
  if (!type)
    throw new AppError('ATTACHMENT_TYPE_REFUSED', 'This kind of file is not accepted, or its content does not match its name', {
      allowed: ['PDF', 'PNG', 'JPEG', 'WebP', 'GIF', 'text (.txt, .csv, .json, STIX JSON)', 'DOCX', 'XLSX', 'PPTX', 'ODT'],
    });
  const id = newId();
  const digest = sha256(body);
  await change(p, async (c) => {
    await c.trx
      .insertInto('discussion_attachments')
      .values({ id, topic_id: t.id, reply_id: q.replyId ?? null, file_name: name, content_type: type.contentType, size_bytes: body.length, sha256: digest, content: body, uploaded_by: pr.person.id })
      .execute();
    await c.audit({ action: 'discussion.attachment_uploaded', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'discussion_topic', targetId: t.id, details: { attachment: id, contentType: type.contentType, size: body.length } });
  });
  return { id, fileName: name, contentType: type.contentType, sizeBytes: body.length, sha256: digest, createdAt: new Date().toISOString() };
}

/** An attachment's bytes, only through a topic the viewer may see. */
export async function readAttachment(p: Platform, viewer: Viewer, id: string) {
  const a = await visibleAttachment(p.db, viewer, id);
  if (!a) throw notFound('Attachment');
  return a;
}

export async function setSubscription(p: Platform, actor: Actor, target: { communityId?: string; topicId?: string }, mode: 'immediate' | 'daily' | null) {
  const pr = requireVetted(actor);
  let communityId: string;
  if (target.topicId) communityId = (await getVisibleTopic(p, pr.viewer, target.topicId)).community_id;
  else communityId = (await approvedCommunity(p, target.communityId!)).id;
  if (mode && !pr.viewer.communityIds.includes(communityId)) throw forbidden('Only members of this community subscribe to it');
  await change(p, async (c) => {
    let del = c.trx.deleteFrom('discussion_subscriptions').where('person_id', '=', pr.person.id);
    del = target.topicId ? del.where('topic_id', '=', target.topicId) : del.where('community_id', '=', communityId);
    await del.execute();
    if (mode)
      await c.trx
        .insertInto('discussion_subscriptions')
        .values({ id: newId(), person_id: pr.person.id, community_id: target.topicId ? null : communityId, topic_id: target.topicId ?? null, mode })
        .execute();
  });
  return { mode };
}

// ---------- editing, deleting, re-marking ----------

export interface TopicEdit {
  title?: string;
  body?: string;
  language?: string;
  mentions?: string[];
}

/** The author edits a topic: the Markdown is rendered and sanitised again; newly mentioned people who may see it are told. */
export async function editTopic(p: Platform, actor: Actor, id: string, b: TopicEdit) {
  const pr = requireVetted(actor);
  const t = await getVisibleTopic(p, pr.viewer, id);
  if (!topicCan(pr, t, await powersIn(p, pr, t.community_id)).edit) throw forbidden('Only the author edits a topic');
  const mentions = b.mentions === undefined ? t.mentions : await checkMentions(p, t.community_id, b.mentions);
  const changed = (['title', 'body', 'language', 'mentions'] as const).filter((k) => b[k] !== undefined);
  const marking = markingOf(t);
  const title = b.title?.trim() ?? t.title;
  await change(p, async (c) => {
    await c.trx
      .updateTable('discussion_topics')
      .set({
        ...(b.title !== undefined && { title }),
        ...(b.body !== undefined && { body_md: b.body, body_html: renderMarkdown(b.body) }),
        ...(b.language !== undefined && { language: b.language }),
        mentions,
        edited_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', t.id)
      .execute();
    await c.audit({ action: 'discussion.topic_edited', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'discussion_topic', targetId: t.id, details: { changed } });
    await c.event({ type: 'discussion.topic_edited', subjectType: 'discussion_topic', subjectId: t.id, payload: { title, communityId: t.community_id }, marking: await eventMarking(c, t.community_id, marking), pap: t.pap });
    const added = mentions.filter((m) => !t.mentions.includes(m));
    if (added.length)
      await notifyPost(c, p.config.baseUrl, { kind: 'topic', topicId: t.id, communityId: t.community_id, communityName: t.community_name, title, authorId: pr.person.id, authorName: pr.person.name, marking, mentions: added }, { subscribers: false });
  });
  return topicView(p, pr, await getVisibleTopic(p, pr.viewer, t.id));
}

/** The author or a community admin deletes a topic, with its replies and attachments. */
export async function deleteTopic(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const t = await getVisibleTopic(p, pr.viewer, id);
  const asAuthor = t.author_id === pr.person.id;
  if (!topicCan(pr, t, await powersIn(p, pr, t.community_id)).delete) throw forbidden('Only the author or an admin of the community deletes a topic');
  await change(p, async (c) => {
    const replies = await c.trx.selectFrom('discussion_replies').select((eb) => eb.fn.countAll<string>().as('n')).where('topic_id', '=', t.id).executeTakeFirstOrThrow();
    await c.trx.deleteFrom('discussion_topics').where('id', '=', t.id).execute();
    await c.audit({
      action: 'discussion.topic_deleted',
      ...auditActor(actor),
      organisationId: pr.organisation.id,
      targetType: 'discussion_topic',
      targetId: t.id,
      details: { community: t.community_id, as: asAuthor ? 'author' : 'community_admin', author: t.author_id, replies: Number(replies.n), tlp: t.tlp },
    });
    await c.event({ type: 'discussion.topic_deleted', subjectType: 'discussion_topic', subjectId: t.id, payload: { communityId: t.community_id }, marking: await eventMarking(c, t.community_id, markingOf(t)), pap: t.pap });
  });
}

async function loadReply(p: Platform, pr: Principal, replyId: string) {
  const r = await p.db.selectFrom('discussion_replies').select(['id', 'topic_id', 'author_id', 'mentions']).where('id', '=', replyId).executeTakeFirst();
  if (!r) throw notFound('Reply');
  // Through a topic the viewer may see, or not at all (hidden and missing look the same).
  let t: TopicRow;
  try {
    t = await getVisibleTopic(p, pr.viewer, r.topic_id);
  } catch {
    throw notFound('Reply');
  }
  return { r, t };
}

export async function editReply(p: Platform, actor: Actor, replyId: string, b: { body: string; mentions?: string[] }) {
  const pr = requireVetted(actor);
  const { r, t } = await loadReply(p, pr, replyId);
  if (!(await replyCan(p, pr, r, t)).edit) throw forbidden('Only the author edits a reply');
  const mentions = b.mentions === undefined ? r.mentions : await checkMentions(p, t.community_id, b.mentions);
  const marking = markingOf(t);
  await change(p, async (c) => {
    await c.trx.updateTable('discussion_replies').set({ body_md: b.body, body_html: renderMarkdown(b.body), mentions, edited_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({ action: 'discussion.reply_edited', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'discussion_topic', targetId: t.id, details: { reply: r.id } });
    await c.event({ type: 'discussion.reply_edited', subjectType: 'discussion_topic', subjectId: t.id, payload: { title: t.title, communityId: t.community_id, replyId: r.id }, marking: await eventMarking(c, t.community_id, marking), pap: t.pap });
    const added = mentions.filter((m) => !r.mentions.includes(m));
    if (added.length)
      await notifyPost(c, p.config.baseUrl, { kind: 'reply', topicId: t.id, communityId: t.community_id, communityName: t.community_name, title: t.title, authorId: pr.person.id, authorName: pr.person.name, marking, mentions: added }, { subscribers: false });
  });
  return topicView(p, pr, await getVisibleTopic(p, pr.viewer, t.id));
}

export async function deleteReply(p: Platform, actor: Actor, replyId: string) {
  const pr = requireVetted(actor);
  const { r, t } = await loadReply(p, pr, replyId);
  const asAuthor = r.author_id === pr.person.id;
  if (!(await replyCan(p, pr, r, t)).delete) throw forbidden('Only the author or an admin of the community deletes a reply');
  await change(p, async (c) => {
    await c.trx.deleteFrom('discussion_replies').where('id', '=', r.id).execute();
    await c.audit({
      action: 'discussion.reply_deleted',
      ...auditActor(actor),
      organisationId: pr.organisation.id,
      targetType: 'discussion_topic',
      targetId: t.id,
      details: { reply: r.id, as: asAuthor ? 'author' : 'community_admin', author: r.author_id },
    });
    await c.event({ type: 'discussion.reply_deleted', subjectType: 'discussion_topic', subjectId: t.id, payload: { communityId: t.community_id, replyId: r.id }, marking: await eventMarking(c, t.community_id, markingOf(t)), pap: t.pap });
  });
  return topicView(p, pr, await getVisibleTopic(p, pr.viewer, t.id));
}

const subset = (a: string[], b: string[]) => a.every((x) => b.includes(x));

/**
 * Does the new marking reach only people the old one reached (same author and
 * organisation)? Used once others have replied: they wrote for the old audience.
 */
async function reachesNoMore(p: Platform, before: Marking, after: Marking): Promise<boolean> {
  if (before.tlp === 'CLEAR' || before.tlp === 'GREEN') return true;
  if (after.tlp === 'CLEAR' || after.tlp === 'GREEN') return false;
  if (after.tlp === 'RED') {
    // Each person named must be someone the old marking reached.
    const viewers = await loadViewers(p.db, after.audience.people);
    return after.audience.people.every((id) => {
      const v = viewers.get(id);
      return !!v && canSee(v.viewer, before);
    });
  }
  if (before.tlp === 'RED') return false;
  // The author's organisation always sees AMBER and AMBER+STRICT: naming it widens nothing.
  const named = after.audience.organisations.filter((o) => o !== after.authorOrgId);
  if (after.tlp === 'AMBER') return before.tlp === 'AMBER' && subset(named, before.audience.organisations) && subset(after.audience.communities, before.audience.communities);
  // AMBER+STRICT: the author's organisation and the organisations named.
  return subset(named, before.audience.organisations);
}

/**
 * The author or their organisation's admins change a topic's marking, as with
 * notes (any level but CLEAR; a topic belongs to a community). Replies carry the
 * topic's marking, so once others have replied the marking may only narrow:
 * they wrote for the audience they saw. The change is audited; the event carries
 * the new marking, so only those who may see the topic now hear of it.
 */
export async function changeTopicMarking(p: Platform, actor: Actor, id: string, m: { tlp: TopicTlp; pap?: Pap; audience?: Partial<Audience> }) {
  const pr = requireVetted(actor);
  const t = await getVisibleTopic(p, pr.viewer, id);
  if (!topicCan(pr, t, await powersIn(p, pr, t.community_id)).changeMarking) throw forbidden('Only the author or their organisation admins change a marking');
  const audience = normaliseAudience(m.tlp, m.audience ?? (m.tlp === 'AMBER' ? { communities: [t.community_id] } : undefined));
  await checkAudience(p, audience);
  const before = markingOf(t);
  const after: Marking = { tlp: m.tlp, authorId: t.author_id, authorOrgId: t.author_org_id, audience };
  const others = await p.db
    .selectFrom('discussion_replies')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('topic_id', '=', t.id)
    .where('author_id', '!=', t.author_id!)
    .executeTakeFirstOrThrow();
  if (Number(others.n) > 0 && !(await reachesNoMore(p, before, after)))
    throw new AppError('INVALID_MARKING', 'Others have replied under the current marking: it may only be narrowed, not widened', { field: 'tlp' });
  const pap = m.pap ?? (t.pap as Pap);
  await change(p, async (c) => {
    await c.trx
      .updateTable('discussion_topics')
      .set({ tlp: m.tlp, pap, ...audienceColumns(audience), updated_at: new Date() })
      .where('id', '=', t.id)
      .execute();
    await c.audit({
      action: 'discussion.topic_marking_changed',
      ...auditActor(actor),
      organisationId: t.author_org_id,
      targetType: 'discussion_topic',
      targetId: t.id,
      details: { from: { tlp: before.tlp, pap: t.pap, audience: before.audience }, to: { tlp: m.tlp, pap, audience } },
    });
    await c.event({ type: 'discussion.topic_marking_changed', subjectType: 'discussion_topic', subjectId: t.id, payload: { title: t.title, communityId: t.community_id, tlp: m.tlp }, marking: await eventMarking(c, t.community_id, after), pap });
  });
  return topicView(p, pr, await getVisibleTopic(p, pr.viewer, t.id));
}
