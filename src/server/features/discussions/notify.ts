import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Change } from '../../platform/deps.js';
import { canSee, type Marking } from '../../platform/access/policy.js';
import { principalParts, principalQuery, type PrincipalParts } from '../../platform/auth/principal.js';
import { isUiLanguage, t, type UiLanguage } from '../../platform/i18n.js';
import { personalMarking, renderMail, type Mailer } from '../../platform/mail.js';
import { digestReplies, digestTopics } from './repository.js';
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
export async function notifyPost(c: Change, baseUrl: string, post: PostInfo, opts: { subscribers?: boolean } = {}) {
  const link = topicLink(baseUrl, post.communityId, post.topicId);
  const mentioned = post.mentions.filter((id) => id !== post.authorId);
  const subs = opts.subscribers === false ? [] : await c.trx
    .selectFrom('discussion_subscriptions')
    .select('person_id')
    .where('mode', '=', 'immediate')
    .where((eb) => eb.or([eb('community_id', '=', post.communityId), ...(post.kind === 'reply' ? [eb('topic_id', '=', post.topicId)] : [])]))
    .execute();
  const subscribers = subs.map((s) => s.person_id).filter((id) => id !== post.authorId && !mentioned.includes(id));
  const viewers = await loadViewers(c.trx, [...mentioned, ...subscribers]);
  // A members-only community's discussions reach its current members only (a subscriber may have left it since).
  const com = await c.trx.selectFrom('communities').select('visibility').where('id', '=', post.communityId).executeTakeFirst();
  const mayRead = (v: PrincipalParts) => com?.visibility !== 'members' || v.viewer.communityIds.includes(post.communityId);
  let notified = 0;
  for (const id of mentioned) {
    const v = viewers.get(id);
    if (!v || !canSee(v.viewer, post.marking) || !mayRead(v)) continue;
    await c.event({
      type: 'discussion.mentioned',
      subjectType: 'discussion_topic',
      subjectId: post.topicId,
      payload: { title: post.title, by: post.authorName, communityId: post.communityId },
      marking: { tlp: 'RED', authorId: null, authorOrgId: null, audience: { organisations: [], communities: [], people: [id] } },
    });
    const m = renderMail(langOf(v), 'discussion_mention', { name: v.person.name, author: post.authorName, title: post.title, community: post.communityName, tlp: post.marking.tlp, link });
    await c.mail({ to: v.person.email, subject: m.subject, text: m.text, purpose: 'discussion_mention', content: { marking: post.marking } });
    notified++;
  }
  for (const id of new Set(subscribers)) {
    const v = viewers.get(id);
    if (!v || !canSee(v.viewer, post.marking) || !mayRead(v)) continue;
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
    await c.mail({ to: v.person.email, subject: m.subject, text: m.text, purpose: 'discussion_notice', content: { marking: post.marking } });
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
 * The daily digest: for each person with daily subscriptions, the topics and
 * replies in what they follow since each subscription's last digest (its
 * `last_digest_at`; the first covers the 24 hours before `until`), up to
 * `until`, filtered by the access policy in SQL for that person. The mail is
 * queued and the windows moved on in one transaction: a missed run leaves the
 * next one the longer window (no day is dropped), and a rerun finds nothing new
 * (nothing is repeated). Nothing visible, no mail (the windows still move on).
 */
export async function sendDiscussionDigests(deps: DigestDeps, until = new Date()): Promise<number> {
  const firstSince = new Date(until.getTime() - 86_400_000);
  const subs = await deps.db
    .selectFrom('discussion_subscriptions')
    .select(['id', 'person_id', 'community_id', 'topic_id', 'last_digest_at'])
    .where('mode', '=', 'daily')
    .orderBy('person_id')
    .execute();
  const byPerson = new Map<string, typeof subs>();
  for (const s of subs) byPerson.set(s.person_id, [...(byPerson.get(s.person_id) ?? []), s]);
  const viewers = await loadViewers(deps.db, [...byPerson.keys()]);
  let sent = 0;
  for (const [personId, follows] of byPerson) {
    const v = viewers.get(personId);
    if (!v) continue;
    const windows = follows.map((s) => ({ ...s, since: s.last_digest_at ?? firstSince }));
    // A post is in the digest when it is newer than the window of a subscription that covers it.
    const covered = (at: 't.created_at' | 'r.created_at') =>
      sql<boolean>`(${sql.join(
        windows.map((w) =>
          w.community_id
            ? sql`(t.community_id = ${w.community_id}::uuid AND ${sql.ref(at)} > ${w.since})`
            : sql`(t.id = ${w.topic_id}::uuid AND ${sql.ref(at)} > ${w.since})`,
        ),
        sql` OR `,
      )})`;
    const topics = await digestTopics(deps.db, v.viewer, covered, until);
    const replies = await digestReplies(deps.db, v.viewer, covered, until);
    const ids = follows.map((s) => s.id);
    const moveOn = (trx: Transaction<DB>) =>
      trx
        .updateTable('discussion_subscriptions')
        .set({ last_digest_at: sql`greatest(coalesce(last_digest_at, ${until}), ${until})` })
        .where('id', 'in', ids)
        .execute();
    if (!topics.length && !replies.length) {
      await deps.db.transaction().execute(moveOn);
      continue;
    }
    const lang = langOf(v);
    const lines = [
      ...topics.map((x) => t(lang, 'mail.discussion_digest.topic_line', { title: x.title, community: x.community, tlp: x.tlp, link: topicLink(deps.baseUrl, x.community_id, x.id) })),
      ...replies.map((x) =>
        t(lang, 'mail.discussion_digest.replies_line', { title: x.title, community: x.community, tlp: x.tlp, count: String(x.n), link: topicLink(deps.baseUrl, x.community_id, x.id) }),
      ),
    ];
    const m = renderMail(lang, 'discussion_digest', { name: v.person.name, items: lines.join('\n'), count: String(lines.length) });
    const id = await deps.db.transaction().execute(async (trx) => {
      // Topics of several markings: what only the recipient may see.
      const mailId = await deps.mailer.queue(trx, { to: v.person.email, subject: m.subject, text: m.text, purpose: 'discussion_digest', content: { marking: personalMarking(v.person.id) } });
      await moveOn(trx);
      return mailId;
    });
    await deps.mailer.flush([id]);
    sent++;
  }
  return sent;
}

