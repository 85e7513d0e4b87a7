import { asActor, readingListAbilities } from '../../platform/access/abilities.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { ANONYMOUS, audienceColumns, normaliseAudience, type Audience, type Pap, type Tlp } from '../../platform/access/policy.js';
import { auditActor, type Actor } from '../../platform/actor.js';
import { requireVetted, type Principal } from '../../platform/auth/principal.js';
import { change, type Platform } from '../../platform/deps.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { requireTag } from '../../platform/translations.js';
import { knowledgeSummaries } from '../knowledge/service.js';
import { listPage, oneList, type ListRow } from './repository.js';

export const LIST_LIMITS = { title: 200, description: 5000, items: 200 };
const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;

const mayEdit = (pr: Principal | null, r: ListRow) => readingListAbilities(asActor(pr), { authorId: r.author_id, authorOrgId: r.author_org_id }).edit;

async function view(p: Platform, actor: Actor, r: ListRow, withItems: boolean) {
  // Only the items this reader may see: no count, position or placeholder says how many others there are.
  const items = await knowledgeSummaries(p, actor, r.items);
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    language: r.language,
    organisation: { id: r.author_org_id!, name: r.org_name },
    author: actor.principal?.viewer.vetted ? r.author_name : null,
    tlp: r.tlp as Tlp,
    pap: r.pap as Pap,
    audience: { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people },
    itemCount: items.length,
    items: withItems ? items : [],
    updatedAt: r.updated_at.toISOString(),
    can: { edit: mayEdit(actor.principal, r) },
  };
}

async function load(p: Platform, actor: Actor, id: string) {
  const r = await oneList(p.db, viewerOf(actor), id);
  if (!r) throw notFound('Reading list');
  return r;
}

export async function listReadingLists(p: Platform, actor: Actor, f: { item?: string; mine?: boolean }) {
  const rows = await listPage(p.db, viewerOf(actor), { ...f, limit: 200 });
  return { items: await Promise.all(rows.map((r) => view(p, actor, r, false))) };
}

export async function getReadingList(p: Platform, actor: Actor, id: string) {
  return view(p, actor, await load(p, actor, id), true);
}

/** Items a list may hold: library items the writer may see (a list never names one they cannot). */
async function checkItems(p: Platform, actor: Actor, ids: readonly string[]) {
  const wanted = [...new Set(ids)];
  if (wanted.length > LIST_LIMITS.items) throw new AppError('VALIDATION_FAILED', `At most ${LIST_LIMITS.items} items`, { field: 'items' });
  const seen = new Set((await knowledgeSummaries(p, actor, wanted)).map((i) => i.id));
  const unknown = wanted.filter((x) => !seen.has(x));
  if (unknown.length) throw new AppError('VALIDATION_FAILED', 'A reading list holds library items you can see', { field: 'items', unknown });
  return wanted;
}

export interface ListInput {
  title: string;
  description?: string;
  language: string;
  items?: string[];
  tlp: Tlp;
  pap?: Pap;
  audience?: Partial<Audience>;
}

export async function createReadingList(p: Platform, actor: Actor, i: ListInput) {
  const pr = requireVetted(actor);
  const language = requireTag(i.language);
  const audience = normaliseAudience(i.tlp, i.audience);
  await checkAudienceExists(p.db, audience);
  const items = await checkItems(p, actor, i.items ?? []);
  const title = i.title.trim();
  if (!title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  const id = newId();
  await change(p, async (c) => {
    await c.trx
      .insertInto('reading_lists')
      .values({ id, title, description: i.description ?? '', language, items, tlp: i.tlp, pap: i.pap ?? 'GREEN', author_id: pr.person.id, author_org_id: pr.organisation.id, ...audienceColumns(audience) })
      .execute();
    await c.audit({ action: 'reading_list.created', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'reading_list', targetId: id, details: { tlp: i.tlp, items: items.length } });
  });
  return getReadingList(p, actor, id);
}

/**
 * Change a list. `items` replaces its items in the order given; items already on it that the
 * writer may not see (shared with them no longer) are kept where they were, so that editing a
 * list never drops what a colleague put on it.
 */
export async function updateReadingList(p: Platform, actor: Actor, id: string, i: Partial<ListInput>) {
  const pr = requireVetted(actor);
  const r = await load(p, actor, id);
  if (!mayEdit(pr, r)) throw forbidden('Only the author and their organisation admins change a reading list');
  let items: string[] | undefined;
  if (i.items) {
    const visible = new Set((await knowledgeSummaries(p, actor, r.items)).map((x) => x.id));
    const hiddenKept = r.items.filter((x) => !visible.has(x));
    items = [...(await checkItems(p, actor, i.items)), ...hiddenKept];
    if (items.length > LIST_LIMITS.items) throw new AppError('VALIDATION_FAILED', `At most ${LIST_LIMITS.items} items`, { field: 'items' });
  }
  const tlp = i.tlp ?? (r.tlp as Tlp);
  const audience = i.tlp || i.audience ? normaliseAudience(tlp, i.audience ?? { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people }) : null;
  if (audience) await checkAudienceExists(p.db, audience);
  if (i.title !== undefined && !i.title.trim()) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  await change(p, async (c) => {
    await c.trx
      .updateTable('reading_lists')
      .set({
        ...(i.title !== undefined ? { title: i.title.trim() } : {}),
        ...(i.description !== undefined ? { description: i.description } : {}),
        ...(i.language ? { language: requireTag(i.language) } : {}),
        ...(items ? { items } : {}),
        ...(i.tlp ? { tlp: i.tlp } : {}),
        ...(i.pap ? { pap: i.pap } : {}),
        ...(audience ? audienceColumns(audience) : {}),
        updated_at: new Date(),
      })
      .where('id', '=', r.id)
      .execute();
    await c.audit({ action: 'reading_list.updated', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'reading_list', targetId: r.id, details: { ...(i.tlp && i.tlp !== r.tlp ? { from: r.tlp, to: i.tlp } : {}) } });
  });
  return getReadingList(p, actor, r.id);
}

export async function deleteReadingList(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const r = await load(p, actor, id);
  if (!mayEdit(pr, r)) throw forbidden('Only the author and their organisation admins delete a reading list');
  await change(p, async (c) => {
    await c.trx.deleteFrom('reading_lists').where('id', '=', r.id).execute();
    await c.audit({ action: 'reading_list.deleted', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'reading_list', targetId: r.id, details: {} });
  });
}
