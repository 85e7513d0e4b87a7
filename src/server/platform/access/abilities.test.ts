import { describe, expect, it } from 'vitest';
import type { Role } from '../auth/principal.js';
import {
  communityAbilities,
  contactAbilities,
  mayManageContact,
  noteAbilities,
  replyAbilities,
  stixObjectAbilities,
  topicAbilities,
  type Actor,
} from './abilities.js';

// The world: the author and a colleague in organisation A (BR), A's admin, an admin
// of organisation B (ES), a member of B who is the community's admin, a focal point
// of BR (in A), the secretariat (in S), and an author whose organisation is no
// longer approved. Everyone but the outsider is in community C.
const actor = (personId: string, organisationId: string, roles: Role[] = ['member'], extra: Partial<Actor> = {}): Actor => ({
  personId,
  organisationId,
  vetted: true,
  roles,
  communityIds: ['C'],
  ...extra,
});
const who = {
  author: actor('author', 'A'),
  colleague: actor('colleague', 'A'),
  orgAdmin: actor('orgAdmin', 'A', ['member', 'org_admin']),
  translator: actor('translator', 'A', ['member', 'translator']),
  otherTranslator: actor('otherTranslator', 'B', ['member', 'translator']),
  otherOrgAdmin: actor('otherOrgAdmin', 'B', ['member', 'org_admin']),
  communityAdmin: actor('communityAdmin', 'B'),
  focalPoint: actor('focalPoint', 'A'),
  secretariat: actor('secretariat', 'S', ['member', 'org_admin', 'secretariat']),
  outsider: actor('outsider', 'D', ['member'], { communityIds: [] }),
  unvetted: actor('author', 'A', ['member', 'org_admin', 'secretariat'], { vetted: false }),
} as const;
type Who = keyof typeof who;
const everyone = Object.keys(who) as Who[];
const anonymous = null;
/** Who holds which powers: only communityAdmin is named an admin of C; only focalPoint is a focal point of BR. */
const communityPowers = (w: Who) => ({ communityAdmin: w === 'communityAdmin' });
const contactPowers = (w: Who) => ({ focalCountries: w === 'focalPoint' ? ['BR'] : [] });
/** The names for whom `f` holds. */
const holders = (f: (w: Who) => boolean) => everyone.filter(f);

describe('notes', () => {
  const note = { authorId: 'author', authorOrgId: 'A' };
  it('are re-marked and deleted by the author and the admins of the author’s organisation only — no secretariat or foreign admin, nobody unvetted', () => {
    expect(holders((w) => noteAbilities(who[w], note).changeMarking)).toEqual(['author', 'orgAdmin']);
    expect(holders((w) => noteAbilities(who[w], note).delete)).toEqual(['author', 'orgAdmin']);
    // Translators of the author's organisation translate its notes, and nothing else of them.
    expect(holders((w) => noteAbilities(who[w], note).translate)).toEqual(['author', 'orgAdmin', 'translator']);
    expect(noteAbilities(anonymous, note)).toEqual({ changeMarking: false, delete: false, translate: false });
  });
  it('a record without an author or organisation gives nobody a power by a null match', () => {
    expect(noteAbilities(who.author, { authorId: null, authorOrgId: null })).toEqual({ changeMarking: false, delete: false, translate: false });
    expect(noteAbilities(who.orgAdmin, { authorId: null, authorOrgId: null })).toEqual({ changeMarking: false, delete: false, translate: false });
  });
});

describe('communities', () => {
  it('are managed by the secretariat and their admins, moderated by their admins only', () => {
    expect(holders((w) => communityAbilities(who[w], communityPowers(w)).manage)).toEqual(['communityAdmin', 'secretariat']);
    expect(holders((w) => communityAbilities(who[w], communityPowers(w)).moderate)).toEqual(['communityAdmin']);
    expect(communityAbilities(who.unvetted, { communityAdmin: true })).toEqual({ manage: false, moderate: false });
    expect(communityAbilities(anonymous, { communityAdmin: true })).toEqual({ manage: false, moderate: false });
  });
});

describe('discussion topics', () => {
  const topic = { authorId: 'author', authorOrgId: 'A', communityId: 'C' };
  const can = (w: Who) => topicAbilities(who[w], topic, communityPowers(w));
  it('edit: the author only — not their organisation’s admin, not the community admin', () => {
    expect(holders((w) => can(w).edit)).toEqual(['author']);
  });
  it('change the marking: the author and the admins of the author’s organisation', () => {
    expect(holders((w) => can(w).changeMarking)).toEqual(['author', 'orgAdmin']);
  });
  it('delete: the author and the community’s admin — not the organisation admin, not the secretariat', () => {
    expect(holders((w) => can(w).delete)).toEqual(['author', 'communityAdmin']);
    expect(holders((w) => can(w).moderate)).toEqual(['communityAdmin']);
  });
  it('reply: members of the community; attach: the author while a member', () => {
    expect(holders((w) => can(w).reply)).toEqual(everyone.filter((w) => w !== 'outsider' && w !== 'unvetted'));
    expect(holders((w) => can(w).attach)).toEqual(['author']);
    expect(topicAbilities({ ...who.author, communityIds: [] }, topic, { communityAdmin: false })).toMatchObject({ edit: true, attach: false, reply: false });
  });
  it('nothing for the unvetted or the public, whatever their powers', () => {
    const none = { edit: false, changeMarking: false, delete: false, moderate: false, reply: false, attach: false };
    expect(topicAbilities(who.unvetted, topic, { communityAdmin: true })).toEqual(none);
    expect(topicAbilities(anonymous, topic, { communityAdmin: true })).toEqual(none);
  });
});

describe('discussion replies', () => {
  const reply = { authorId: 'colleague' };
  const can = (w: Who) => replyAbilities(who[w], reply, { communityId: 'C' }, communityPowers(w));
  it('edit and attach: the author only; delete: the author and the community’s admin — the organisation admin has no say', () => {
    expect(holders((w) => can(w).edit)).toEqual(['colleague']);
    expect(holders((w) => can(w).attach)).toEqual(['colleague']);
    expect(holders((w) => can(w).delete)).toEqual(['colleague', 'communityAdmin']);
  });
  it('nothing for the unvetted or the public', () => {
    expect(replyAbilities({ ...who.colleague, vetted: false }, reply, { communityId: 'C' }, { communityAdmin: true })).toEqual({ edit: false, delete: false, attach: false });
    expect(replyAbilities(anonymous, reply, { communityId: 'C' }, { communityAdmin: true })).toEqual({ edit: false, delete: false, attach: false });
  });
});

describe('points of contact', () => {
  // Entries of organisation A in BR; the colleague is the person the entry names.
  const entry = (kinds: string[], status = 'active') => ({ kinds, organisationId: 'A', country: 'BR', status, personId: 'colleague' });
  const can = (w: Who, e: ReturnType<typeof entry>) => contactAbilities(who[w], contactPowers(w), e);
  it('organisation kinds are kept by the admins of the entry’s organisation', () => {
    const e = entry(['technical', 'operational_24_7']);
    expect(holders((w) => can(w, e).edit)).toEqual(['orgAdmin']);
    expect(holders((w) => can(w, e).changeMarking)).toEqual(['orgAdmin']);
    expect(holders((w) => can(w, e).delete)).toEqual(['orgAdmin']);
  });
  it('country kinds are kept by the focal points of the entry’s country — not the organisation admin, not the secretariat', () => {
    const e = entry(['diplomatic']);
    expect(holders((w) => can(w, e).edit)).toEqual(['focalPoint']);
    expect(holders((w) => can(w, e).delete)).toEqual(['focalPoint']);
    expect(contactAbilities(who.focalPoint, { focalCountries: ['ES'] }, e).edit).toBe(false);
  });
  it('an entry of both kinds needs both powers', () => {
    const e = entry(['technical', 'crisis_management']);
    expect(holders((w) => can(w, e).edit)).toEqual([]);
    expect(contactAbilities(who.orgAdmin, { focalCountries: ['BR'] }, e).edit).toBe(true);
    expect(mayManageContact(who.orgAdmin, { focalCountries: [] }, { kinds: [], organisationId: 'A', country: 'BR' })).toBe(false);
  });
  it('confirm: those responsible and the person named, while active', () => {
    expect(holders((w) => can(w, entry(['technical'])).confirm)).toEqual(['colleague', 'orgAdmin']);
    expect(holders((w) => can(w, entry(['technical'], 'nominated')).confirm)).toEqual([]);
  });
  it('a removed entry is history; a rejected one can still be removed; a nomination is kept as usual', () => {
    expect(can('orgAdmin', entry(['technical'], 'removed'))).toEqual({ edit: false, changeMarking: false, delete: false, confirm: false });
    expect(can('orgAdmin', entry(['technical'], 'rejected'))).toEqual({ edit: false, changeMarking: false, delete: true, confirm: false });
    expect(can('focalPoint', entry(['diplomatic'], 'nominated'))).toEqual({ edit: true, changeMarking: true, delete: true, confirm: false });
  });
  it('nothing for the unvetted or the public, not even the person named', () => {
    const none = { edit: false, changeMarking: false, delete: false, confirm: false };
    expect(contactAbilities({ ...who.orgAdmin, vetted: false }, { focalCountries: ['BR'] }, entry(['technical']))).toEqual(none);
    expect(contactAbilities({ ...who.colleague, vetted: false }, { focalCountries: [] }, entry(['technical']))).toEqual(none);
    expect(contactAbilities(anonymous, { focalCountries: ['BR'] }, entry(['technical']))).toEqual(none);
  });
});

describe('STIX objects', () => {
  const v = (authorId: string | null, authorOrgId: string | null) => ({ authorId, authorOrgId });
  it('the organisation’s copy is deleted by its admins, or by a member who submitted every version of it', () => {
    const mine = [v('author', 'A'), v('author', 'A')];
    expect(holders((w) => stixObjectAbilities(who[w], mine).delete)).toEqual(['author', 'orgAdmin']);
    const mixed = [v('author', 'A'), v('colleague', 'A')];
    expect(holders((w) => stixObjectAbilities(who[w], mixed).delete)).toEqual(['orgAdmin']);
  });
  it('only the viewer’s organisation’s versions count: another organisation’s line neither grants nor blocks', () => {
    const shared = [v('otherOrgAdmin', 'B'), v('author', 'A')];
    expect(holders((w) => stixObjectAbilities(who[w], shared).delete)).toEqual(['author', 'orgAdmin', 'otherOrgAdmin']);
    expect(stixObjectAbilities(who.secretariat, shared).delete).toBe(false);
    expect(stixObjectAbilities(who.orgAdmin, [v('x', 'B')]).delete).toBe(false);
    expect(stixObjectAbilities(who.orgAdmin, []).delete).toBe(false);
    // Reference content (no author, no organisation) is nobody's to delete.
    expect(holders((w) => stixObjectAbilities(who[w], [v(null, null)]).delete)).toEqual([]);
  });
  it('nothing for the unvetted or the public', () => {
    expect(stixObjectAbilities(who.unvetted, [v('author', 'A')]).delete).toBe(false);
    expect(stixObjectAbilities(anonymous, [v('author', 'A')]).delete).toBe(false);
  });
});
