import crypto from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Change } from '../../platform/deps.js';
import { canSee, visibleSql, type Marking } from '../../platform/access/policy.js';
import { principalParts, principalQuery, type PrincipalParts } from '../../platform/auth/principal.js';
import { isUiLanguage, t, type UiLanguage } from '../../platform/i18n.js';
import { renderMail, type Mailer } from '../../platform/mail.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** People as the policy sees them (person, organisation, communities), loaded by id. */
export async function loadViewers(db: Db, ids: string[]): Promise<Map<string, PrincipalParts>> {
  const out = new Map<string, PrincipalParts>();
  if (!ids.length) return out;
  const rows = await principalQuery(db as Kysely<DB>).where('p.id', 'in', [...new Set(ids)]).execute();
  for (const r of rows) {
    const parts = principalParts(r);
    if (parts && parts.viewer.vetted) out.set(parts.person.id, parts);
  }
  return out;
}

const langOf = (pp: PrincipalParts): UiLanguage => (isUiLanguage(pp.person.uiLanguage) ? pp.person.uiLanguage : 'en');

export interface PostInfo {
  kind: 'topic' | 'reply';
  topicId: string;
  communityId: string;
  communityName: string;
  title: string;
  authorId: string;
  authorName: string;
  marking: Marking;
  mentions: string[];
}

export function topicLink(baseUrl: string, communityId: string, topicId: string) {
  return `${baseUrl}/communities/${communityId}/topics/${topicId}`;
}

/**
 * After a new topic or reply: mentioned people and immediate subscribers who
 * may see the topic get an event and/or an e-mail. Nobody hears of a topic the
 * policy hides from them: the check is canSee on the topic's marking, for each
 * recipient, with their current memberships.
 */
export async function notifyPost(c: Change, baseUrl: string, post: PostInfo) {
  const link = topicLink(baseUrl, post.communityId, post.topicId);
  const mentioned = post.mentions.filter((id) => id !== post.authorId);
  const subs = await c.trx
    .selectFrom('discussion_subscriptions')
    .select('person_id')
    .where('mode', '=', 'immediate')
    .where((eb) => eb.or([eb('community_id', '=', post.communityId), ...(post.kind === 'reply' ? [eb('topic_id', '=', post.topicId)] : [])]))
    .execute();
  const subscribers = subs.map((s) => s.person_id).filter((id) => id !== post.authorId && !mentioned.includes(id));
  const viewers = await loadViewers(c.trx, [...mentioned, ...subscribers]);
  let notified = 0;
  for (const id of mentioned) {
    const v = viewers.get(id);
    if (!v || !canSee(v.viewer, post.marking)) continue;
    await c.event({
      type: 'discussion.mentioned',
      subjectType: 'discussion_topic',
      subjectId: post.topicId,
      payload: { title: post.title, by: post.authorName, communityId: post.communityId },
      marking: { tlp: 'RED', authorId: null, authorOrgId: null, audience: { organisations: [], communities: [], people: [id] } },
    });
    const m = renderMail(langOf(v), 'discussion_mention', { name: v.person.name, author: post.authorName, title: post.title, community: post.communityName, tlp: post.marking.tlp, link });
    await c.mail({ to: v.person.email, subject: m.subject, text: m.text, purpose: 'discussion_mention' });
    notified++;
  }
  for (const id of new Set(subscribers)) {
    const v = viewers.get(id);
    if (!v || !canSee(v.viewer, post.marking)) continue;
    const lang = langOf(v);
    const m = renderMail(lang, 'discussion_notice', {
      name: v.person.name,
      what: t(lang, post.kind === 'topic' ? 'mail.discussion_notice.new_topic' : 'mail.discussion_notice.new_reply'),
      author: post.authorName,
      title: post.title,
      community: post.communityName,
      tlp: post.marking.tlp,
      link,
    });
    await c.mail({ to: v.person.email, subject: m.subject, text: m.text, purpose: 'discussion_notice' });
    notified++;
  }
  return notified;
}

export interface DigestDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  baseUrl: string;
}

/**
 * The daily digest: for each person with a daily subscription, the topics and
 * replies of the last 24 hours (up to `until`) in what they follow, filtered by
 * the access policy in SQL for that person. Nothing visible, no mail.
 */
export async function sendDiscussionDigests(deps: DigestDeps, until = new Date()): Promise<number> {
  const since = new Date(until.getTime() - 86_400_000);
  const subs = await deps.db.selectFrom('discussion_subscriptions').select(['person_id', 'community_id', 'topic_id']).where('mode', '=', 'daily').execute();
  const byPerson = new Map<string, { communities: string[]; topics: string[] }>();
  for (const s of subs) {
    const e = byPerson.get(s.person_id) ?? { communities: [], topics: [] };
    if (s.community_id) e.communities.push(s.community_id);
    if (s.topic_id) e.topics.push(s.topic_id);
    byPerson.set(s.person_id, e);
  }
  const viewers = await loadViewers(deps.db, [...byPerson.keys()]);
  let sent = 0;
  for (const [personId, follows] of byPerson) {
    const v = viewers.get(personId);
    if (!v) continue;
    const follow = sql<boolean>`(t.community_id = ANY(${sql.val(follows.communities)}::uuid[]) OR t.id = ANY(${sql.val(follows.topics)}::uuid[]))`;
    const base = () =>
      deps.db
        .selectFrom('discussion_topics as t')
        .innerJoin('communities as c', 'c.id', 't.community_id')
        .where('c.status', '=', 'approved')
        .where(visibleSql(v.viewer, 't'));
    const topics = await base()
      .select(['t.id', 't.title', 't.tlp', 't.community_id', 'c.name as community'])
      .where(follow)
      .where('t.created_at', '>=', since)
      .where('t.created_at', '<', until)
      .orderBy('t.created_at')
      .execute();
    const replies = await base()
      .innerJoin('discussion_replies as r', 'r.topic_id', 't.id')
      .select(['t.id', 't.title', 't.tlp', 't.community_id', 'c.name as community', (eb) => eb.fn.countAll<string>().as('n')])
      .where(follow)
      .where('r.created_at', '>=', since)
      .where('r.created_at', '<', until)
      .groupBy(['t.id', 't.title', 't.tlp', 't.community_id', 'c.name'])
      .orderBy('t.title')
      .execute();
    if (!topics.length && !replies.length) continue;
    const lang = langOf(v);
    const lines = [
      ...topics.map((x) => t(lang, 'mail.discussion_digest.topic_line', { title: x.title, community: x.community, tlp: x.tlp, link: topicLink(deps.baseUrl, x.community_id, x.id) })),
      ...replies.map((x) =>
        t(lang, 'mail.discussion_digest.replies_line', { title: x.title, community: x.community, tlp: x.tlp, count: String(x.n), link: topicLink(deps.baseUrl, x.community_id, x.id) }),
      ),
    ];
    const m = renderMail(lang, 'discussion_digest', { name: v.person.name, items: lines.join('\n'), count: String(lines.length) });
    const id = await deps.db.transaction().execute((trx) => deps.mailer.queue(trx, { to: v.person.email, subject: m.subject, text: m.text, purpose: 'discussion_digest' }));
    await deps.mailer.flush([id]);
    sent++;
  }
  return sent;
}

export const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
