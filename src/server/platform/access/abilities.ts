import type { Principal, Role } from '../auth/principal.js';
import { isCountryKind } from '#shared/contacts';

/**
 * The write rules, beside the read rule: who may edit, change the marking of,
 * delete, moderate and manage each kind of record.
 *
 * policy.ts decides who may see a record; this module decides what someone who
 * sees it may do with it. Every function here is pure: the caller loads what
 * the rule needs (the record's author and organisation, its status, the
 * viewer's community-admin or focal-point powers) and passes it in. The same
 * function answers twice — in the API's `can` object (so the web app shows only
 * buttons that will work) and in the service's check before the write (the
 * 403) — so what is reported and what is enforced cannot drift apart.
 *
 * Seeing comes first: every write also needs the record to be visible to the
 * viewer (a hidden record answers 404 before any rule here is asked), and no
 * rule here gives a role a way around the marking.
 */

/** Who is acting, as far as the write rules need to know. */
export interface Actor {
  personId: string;
  organisationId: string;
  /** An active person in an approved organisation. */
  vetted: boolean;
  roles: readonly Role[];
  /** Communities the person belongs to, directly or through their organisation. */
  communityIds: readonly string[];
}

export function asActor(pr: Principal | null | undefined): Actor | null {
  if (!pr) return null;
  return { personId: pr.person.id, organisationId: pr.organisation.id, vetted: pr.viewer.vetted, roles: pr.person.roles, communityIds: pr.viewer.communityIds };
}

/**
 * Nobody writes unless vetted: a person whose organisation is not (or no
 * longer) approved keeps a session that reads CLEAR only, and must not change
 * what members share (the API refuses them with ORGANISATION_NOT_APPROVED).
 */
const vetted = (a: Actor | null): a is Actor => !!a && a.vetted;
const has = (a: Actor, role: Role) => a.roles.includes(role);
const isAuthor = (a: Actor, authorId: string | null) => authorId !== null && authorId === a.personId;

/**
 * The author answers for what they shared; the admins of the author's
 * organisation answer for what their organisation shares (the author may have
 * left, or a mistake must be fixed now). Nobody else — the secretariat and the
 * admins of other organisations included — may narrow, widen or remove it: an
 * administrator has no bypass of the marking (docs/security-model.md).
 */
function speaksForAuthor(a: Actor | null, r: { authorId: string | null; authorOrgId: string | null }): boolean {
  if (!vetted(a)) return false;
  return isAuthor(a, r.authorId) || (has(a, 'org_admin') && r.authorOrgId !== null && r.authorOrgId === a.organisationId);
}

// ---------- notes ----------

export interface NoteAbilities {
  changeMarking: boolean;
  delete: boolean;
  /** Add, replace or remove a translation into another language. */
  translate: boolean;
}

/**
 * A note's text stays as shared (the API has no way to change it); its marking, its
 * existence and its versions in other languages are for whoever speaks for its author.
 */
export function noteAbilities(a: Actor | null, note: { authorId: string | null; authorOrgId: string | null }): NoteAbilities {
  const own = speaksForAuthor(a, note);
  // The organisation's translators keep its notes in the other languages (not their marking).
  const translator = vetted(a) && has(a, 'translator') && note.authorOrgId !== null && note.authorOrgId === a.organisationId;
  return { changeMarking: own, delete: own, translate: own || translator };
}

// ---------- communities ----------

/** What the caller loads about the viewer and one community. */
export interface CommunityPowers {
  /** Named in the community as one of its admins (community_people.is_admin). */
  communityAdmin: boolean;
}

export interface CommunityAbilities {
  /** Change the community (name, description and their translations, visibility), its membership, and decide join requests. */
  manage: boolean;
  /** Delete others' topics and replies in its discussions. */
  moderate: boolean;
}

/**
 * The secretariat creates communities and administers every one of them, so it
 * manages membership like the community's own admins. Moderating a
 * discussion is different: it means removing what members wrote, and that is
 * for the admins the community chose, not for the secretariat — which may not
 * even be a member.
 */
export function communityAbilities(a: Actor | null, powers: CommunityPowers): CommunityAbilities {
  if (!vetted(a)) return { manage: false, moderate: false };
  return { manage: has(a, 'secretariat') || powers.communityAdmin, moderate: powers.communityAdmin };
}

// ---------- discussions ----------

export interface TopicAbilities {
  edit: boolean;
  changeMarking: boolean;
  delete: boolean;
  /** Delete others' posts in this topic (an admin of its community). */
  moderate: boolean;
  /** Post a reply. */
  reply: boolean;
  /** Attach a file to the topic itself. */
  attach: boolean;
}

export interface ReplyAbilities {
  edit: boolean;
  delete: boolean;
  /** Attach a file to this reply. */
  attach: boolean;
}

/** Only members of a community speak in it: posting, replying and attaching files. */
const memberOf = (a: Actor, communityId: string) => a.communityIds.includes(communityId);

/**
 * A topic's words are its author's: only they edit it (an admin may re-mark it
 * or a moderator remove it, but nobody puts words in someone else's mouth).
 * Its marking is like a note's: the author or their organisation's admins.
 * It is deleted by its author or by a moderator of the community. Attaching a
 * file adds to the author's post, so it is the author's, while still a member.
 */
export function topicAbilities(a: Actor | null, topic: { authorId: string | null; authorOrgId: string | null; communityId: string }, powers: CommunityPowers): TopicAbilities {
  const moderate = communityAbilities(a, powers).moderate;
  if (!vetted(a)) return { edit: false, changeMarking: false, delete: false, moderate: false, reply: false, attach: false };
  const author = isAuthor(a, topic.authorId);
  const member = memberOf(a, topic.communityId);
  return { edit: author, changeMarking: speaksForAuthor(a, topic), delete: author || moderate, moderate, reply: member, attach: author && member };
}

/**
 * A reply has no marking of its own (it carries its topic's). Its author edits
 * it; its author or a moderator of the community deletes it; its author, while
 * a member, attaches files to it. The admins of the author's organisation have
 * no say over a reply: it changes no marking.
 */
export function replyAbilities(a: Actor | null, reply: { authorId: string | null }, topic: { communityId: string }, powers: CommunityPowers): ReplyAbilities {
  const moderate = communityAbilities(a, powers).moderate;
  if (!vetted(a)) return { edit: false, delete: false, attach: false };
  const author = isAuthor(a, reply.authorId);
  return { edit: author, delete: author || moderate, attach: author && memberOf(a, topic.communityId) };
}

// ---------- points of contact ----------

/** What the caller loads about the viewer for points of contact. */
export interface ContactPowers {
  /** Countries the person is a national focal point of. */
  focalCountries: readonly string[];
}

/** What a rule needs to know of an entry (or of one about to be made). */
export interface ContactEntry {
  kinds: readonly string[];
  organisationId: string;
  country: string;
}

/**
 * Who answers for an entry: a country speaks to other countries through the
 * people its government named, so diplomatic and crisis-management contacts
 * are the national focal points' of the entry's country; the technical,
 * 24/7 and capacity-building contacts are the organisation's own, kept by its
 * admins. An entry of several kinds needs every one of them to be yours, so
 * nobody changes a country's contact by adding a kind of their own to it. The
 * secretariat approves nominations but does not keep entries. Whoever
 * nominated an entry has no say over it once they no longer hold the role.
 */
export function mayManageContact(a: Actor | null, powers: ContactPowers, e: ContactEntry): boolean {
  if (!vetted(a) || e.kinds.length === 0) return false;
  return e.kinds.every((k) =>
    isCountryKind(k) ? powers.focalCountries.includes(e.country) : has(a, 'org_admin') && a.organisationId === e.organisationId,
  );
}

export interface ContactAbilities {
  edit: boolean;
  /** The entry's marking is changed with the entry (PATCH), by the same people. */
  changeMarking: boolean;
  /** Remove the entry from the directory (it stays, as removed). */
  delete: boolean;
  /** Vouch that the entry is still right. */
  confirm: boolean;
}

/**
 * Those who answer for an entry edit it while it is listed or waiting
 * (nominated); a removed or rejected entry is history and stays as it was.
 * They remove it unless it is removed already — a rejected nomination can be
 * cleared away. They confirm an active entry, and so does the person it names:
 * they know best whether their own details are still right.
 */
export function contactAbilities(a: Actor | null, powers: ContactPowers, e: ContactEntry & { status: string; personId: string | null }): ContactAbilities {
  const manage = mayManageContact(a, powers, e);
  const edit = manage && e.status !== 'removed' && e.status !== 'rejected';
  const named = vetted(a) && e.personId !== null && e.personId === a.personId;
  return { edit, changeMarking: edit, delete: manage && e.status !== 'removed', confirm: (manage || named) && e.status === 'active' };
}

// ---------- STIX objects ----------

export interface StixObjectAbilities {
  /** Delete the viewer's organisation's copy of the object. */
  delete: boolean;
}

/**
 * Each organisation holds its own copy (its versions) of a STIX id, and may
 * delete only that copy — never another organisation's, even where its copy is
 * the one the object page shows. `versions` are the versions of the object the
 * viewer may see, of any organisation. The organisation's admins delete its
 * copy; anyone else only when every version of it is their own submission, so
 * nobody deletes a colleague's work.
 */
export function stixObjectAbilities(a: Actor | null, versions: readonly { authorId: string | null; authorOrgId: string | null }[]): StixObjectAbilities {
  if (!vetted(a)) return { delete: false };
  const own = versions.filter((v) => v.authorOrgId !== null && v.authorOrgId === a.organisationId);
  if (own.length === 0) return { delete: false };
  return { delete: has(a, 'org_admin') || own.every((v) => isAuthor(a, v.authorId)) };
}

// ---------- the good-practice library ----------

export interface KnowledgeAbilities {
  /** Change its text, fields and marking, send it to review, publish it once approved, delete it. */
  edit: boolean;
  /** Add, replace or remove a translation. */
  translate: boolean;
  /** Approve it or ask for changes: a reviewer named on it, while it is in review. */
  review: boolean;
}

/**
 * An item of the library is its organisation's: its author and the organisation's admins
 * write it, the organisation's translators keep its other languages, and the reviewers named
 * on it say whether it is ready. Nobody else — the secretariat included — changes it.
 */
export function knowledgeAbilities(a: Actor | null, item: { authorId: string | null; authorOrgId: string | null; status: string; reviewers: readonly string[] }): KnowledgeAbilities {
  const own = speaksForAuthor(a, item);
  const translator = vetted(a) && has(a, 'translator') && item.authorOrgId !== null && item.authorOrgId === a.organisationId;
  return {
    edit: own,
    translate: own || translator,
    review: vetted(a) && item.status === 'in_review' && item.reviewers.includes(a.personId),
  };
}

// ---------- reading lists ----------

/** A reading list is its organisation's: its author and the organisation's admins change it. */
export function readingListAbilities(a: Actor | null, list: { authorId: string | null; authorOrgId: string | null }) {
  return { edit: speaksForAuthor(a, list) };
}

// ---------- capacity-building offers ----------

export interface OfferAbilities {
  /** Change its text, fields, marking, sessions and partners; publish (or reopen) it; delete it while a draft. */
  edit: boolean;
  /** Add, replace or remove a translation. */
  translate: boolean;
  /** Close it to new applications (it stays in the catalogue as closed). */
  close: boolean;
}

/**
 * An offer is its provider organisation's: its author and the organisation's admins write it,
 * the organisation's translators keep its other languages. The secretariat, which administers
 * the catalogue, may close a published offer it can see (one that misleads, or whose provider
 * left) but never writes in it — and, like anyone, sees only what the marking allows.
 */
export function offerAbilities(a: Actor | null, offer: { authorId: string | null; authorOrgId: string | null; status: string }): OfferAbilities {
  const own = speaksForAuthor(a, offer);
  const translator = vetted(a) && has(a, 'translator') && offer.authorOrgId !== null && offer.authorOrgId === a.organisationId;
  return {
    edit: own,
    translate: own || translator,
    close: offer.status === 'published' && (own || (vetted(a) && has(a, 'secretariat'))),
  };
}

// ---------- capacity-building requests ----------

export interface RequestAbilities {
  /** Move it from submitted to triaged, and from triaged to open: the secretariat's. */
  triage: boolean;
  /** Choose an expression of interest, name the providers it is shared with, translate it. */
  own: boolean;
  /** Say delivery has started, then that it is done: the requester or the chosen provider. */
  deliver: boolean;
  /** Rate it once completed: the requester. */
  evaluate: boolean;
  /** Answer it with an expression of interest: an admin of another organisation, while it is open. */
  answer: boolean;
  /** Convene a coordination meeting of the requester and those who answered: the secretariat. */
  convene: boolean;
  /** Add, replace or remove a translation. */
  translate: boolean;
}

/**
 * A request is its organisation's (or its country's, through the focal point who made it): the
 * author and the organisation's admins speak for it. The secretariat moves it through triage
 * and convenes coordination but never writes in it; providers answer it. Seeing comes first, as
 * everywhere: none of this applies to a request the viewer may not see.
 */
export function requestAbilities(
  a: Actor | null,
  r: { authorId: string | null; authorOrgId: string | null; status: string; chosenOrgId: string | null; coordinated: boolean },
): RequestAbilities {
  const own = speaksForAuthor(a, r);
  const secretariat = vetted(a) && has(a, 'secretariat');
  const chosen = vetted(a) && has(a, 'org_admin') && r.chosenOrgId !== null && r.chosenOrgId === a.organisationId;
  const translator = vetted(a) && has(a, 'translator') && r.authorOrgId !== null && r.authorOrgId === a.organisationId;
  return {
    triage: secretariat && (r.status === 'submitted' || r.status === 'triaged'),
    own,
    deliver: (own || chosen) && (r.status === 'matched' || r.status === 'in-delivery'),
    evaluate: own && r.status === 'completed',
    answer: vetted(a) && has(a, 'org_admin') && r.status === 'open' && r.authorOrgId !== a.organisationId,
    convene: secretariat && !r.coordinated && ['open', 'matched', 'in-delivery'].includes(r.status),
    translate: own || translator,
  };
}

// ---------- the expert pool ----------

export interface ExpertAbilities {
  /** Change the profile, its marking, its availability and its missions. */
  edit: boolean;
  /** Add, replace or remove a translation of its headline and biography. */
  translate: boolean;
  /** Vouch for a proposed expert, which shows the profile beyond the organisation. */
  vet: boolean;
  /** Take the expert out of the pool. */
  withdraw: boolean;
}

/**
 * An expert is offered by their organisation, so its admins decide: they vet a proposal (made by
 * the person or by an admin) and withdraw an expert. The person and whoever proposed them keep
 * the profile current while it is in use; a withdrawn profile is history and stays as it was.
 */
export function expertAbilities(a: Actor | null, e: { personId: string; authorId: string | null; authorOrgId: string | null; status: string }): ExpertAbilities {
  if (!vetted(a)) return { edit: false, translate: false, vet: false, withdraw: false };
  const admin = has(a, 'org_admin') && e.authorOrgId !== null && e.authorOrgId === a.organisationId;
  const open = e.status !== 'withdrawn';
  const edit = open && (admin || e.personId === a.personId || isAuthor(a, e.authorId));
  const translator = open && has(a, 'translator') && e.authorOrgId === a.organisationId;
  return { edit, translate: edit || translator, vet: admin && e.status === 'proposed', withdraw: admin && open };
}

/**
 * A mission is evaluated by the organisation that received it, or by the secretariat (which
 * follows the alliance's missions); never by the expert's own side.
 */
export function missionEvaluationAllowed(a: Actor | null, m: { hostOrgId: string | null; expertOrgId: string | null }): boolean {
  if (!vetted(a) || a.organisationId === m.expertOrgId) return false;
  return has(a, 'secretariat') || (m.hostOrgId !== null && m.hostOrgId === a.organisationId);
}

// ---------- events ----------

export interface EventAbilities {
  /** Change the event, its timetable, materials, registrations and delegation quotas; publish or cancel it. */
  manage: boolean;
  /** Add, replace or remove a translation. */
  translate: boolean;
}

/**
 * An event is its organisers': its author and the admins of the organisation that wrote it or
 * that organises it manage it, and their translators keep its other languages. Nobody else —
 * the secretariat included — changes it.
 */
export function eventAbilities(a: Actor | null, ev: { authorId: string | null; authorOrgId: string | null; organiserOrgId: string }): EventAbilities {
  const manage = speaksForAuthor(a, ev) || (vetted(a) && has(a, 'org_admin') && ev.organiserOrgId === a.organisationId);
  const translator = vetted(a) && has(a, 'translator') && (ev.authorOrgId === a.organisationId || ev.organiserOrgId === a.organisationId);
  return { manage, translate: manage || translator };
}

// ---------- applications to offer sessions ----------

export interface ApplicationAbilities {
  /** Withdraw it (the applicant, while it is still open or holds a seat). */
  withdraw: boolean;
  /** Endorse it, or refuse the endorsement. */
  endorse: boolean;
  /** Select it, put it on the waitlist, or not select it, against the offer's criteria. */
  decide: boolean;
  /** Record attendance and completion (a seat holder's). */
  attend: boolean;
  /** Give the feedback, once, after completing. */
  feedback: boolean;
}

const OPEN_APPLICATION = ['submitted', 'endorsement-pending', 'endorsed', 'selected', 'waitlisted'];

/**
 * An application is its applicant's to withdraw and to give feedback on; an endorsement is for an
 * admin of the applicant's organisation or a national focal point of the applicant's country —
 * never the applicant themselves; the decisions, attendance and completion are the provider's
 * (the offer's author and the provider organisation's admins, who write the offer).
 */
export function applicationAbilities(
  a: Actor | null,
  app: { personId: string; organisationId: string; status: string; completed: boolean | null; hasFeedback: boolean; offerAuthorId: string | null; providerOrgId: string },
  powers: { focalPointOfApplicantsCountry: boolean },
): ApplicationAbilities {
  if (!vetted(a)) return { withdraw: false, endorse: false, decide: false, attend: false, feedback: false };
  const applicant = a.personId === app.personId;
  const provider = speaksForAuthor(a, { authorId: app.offerAuthorId, authorOrgId: app.providerOrgId });
  const endorser = !applicant && ((has(a, 'org_admin') && a.organisationId === app.organisationId) || powers.focalPointOfApplicantsCountry);
  return {
    withdraw: applicant && OPEN_APPLICATION.includes(app.status),
    endorse: endorser && app.status === 'endorsement-pending',
    decide: provider && ['submitted', 'endorsed', 'waitlisted'].includes(app.status),
    attend: provider && app.status === 'selected',
    feedback: applicant && app.completed === true && !app.hasFeedback,
  };
}

// ---------- incident reports ----------

export interface IncidentAbilities {
  /** Change its fields and marking, write narrative updates. */
  edit: boolean;
  /** Move it along its lifecycle. */
  move: boolean;
  /** Hand it over to another organisation. */
  handover: boolean;
  /** Submit its NIS2 reports, ask for an intermediate one. */
  report: boolean;
  /** Link threat intelligence to it, remove links. */
  link: boolean;
}

/**
 * An incident is handled by its owner organisation: every member of it (an analyst on duty
 * works the case, not only the admins) edits, moves, reports, links and hands it over. The
 * organisation that reported it keeps reading it after a handover but no longer writes it; the
 * secretariat has no bypass.
 */
export function incidentAbilities(a: Actor | null, inc: { ownerOrgId: string }): IncidentAbilities {
  const owner = vetted(a) && a.organisationId === inc.ownerOrgId;
  return { edit: owner, move: owner, handover: owner, report: owner, link: owner };
}
