/**
 * The menu, arranged for the person: the pages their view (persona) starts from come first,
 * the other member pages under "More", and the pages of their roles (organisation admin,
 * secretariat) always in the menu. Nothing is taken away: every page stays one or two
 * clicks from anywhere.
 */
export const PERSONAS = ['analyst', 'diplomat', 'capacity', 'secretariat'] as const;
export type Persona = (typeof PERSONAS)[number];

export type NavKey = 'home' | 'notes' | 'intel' | 'incidents' | 'situation' | 'crises' | 'communities' | 'organisations' | 'contacts' | 'records' | 'practices' | 'offers' | 'applications' | 'requests' | 'experts' | 'events' | 'countries' | 'vocabularies' | 'roadmap' | 'capacity' | 'translations' | 'orgAdmin' | 'checks' | 'secretariat';

export interface NavItem {
  key: NavKey;
  to: string;
}

export const NAV_TARGETS: Record<NavKey, string> = {
  home: '/',
  notes: '/notes',
  intel: '/intel',
  incidents: '/incidents',
  situation: '/situation',
  crises: '/crises',
  communities: '/communities',
  organisations: '/organisations',
  contacts: '/contacts',
  records: '/records',
  practices: '/practices',
  offers: '/offers',
  applications: '/applications',
  requests: '/requests',
  experts: '/experts',
  events: '/events',
  countries: '/countries',
  vocabularies: '/vocabularies',
  roadmap: '/roadmap',
  capacity: '/capacity',
  translations: '/translations',
  orgAdmin: '/org-admin',
  checks: '/communication-checks',
  secretariat: '/secretariat',
};

/** The member pages, in the order shown when no view is known yet. */
const MEMBER_PAGES: NavKey[] = ['notes', 'intel', 'incidents', 'situation', 'crises', 'communities', 'organisations', 'contacts', 'records', 'practices', 'offers', 'applications', 'requests', 'experts', 'events', 'countries', 'vocabularies', 'roadmap', 'capacity'];

/** The pages each view starts from, in order. */
const FIRST: Record<Persona, NavKey[]> = {
  analyst: ['intel', 'incidents', 'situation', 'crises', 'notes', 'contacts', 'communities', 'organisations'],
  // A diplomat's menu stays short (it is also the phone menu): their applications, the
  // assistance requests and the dashboard are one click away under More and from the offers page.
  diplomat: ['practices', 'records', 'countries', 'roadmap', 'offers', 'events', 'notes', 'communities', 'contacts'],
  // A provider's own applications to others' offers are rare: under More.
  capacity: ['offers', 'requests', 'events', 'experts', 'capacity', 'communities', 'organisations', 'practices', 'contacts', 'notes', 'records'],
  secretariat: ['secretariat', 'checks', 'situation', 'crises', 'requests', 'capacity', 'roadmap', 'organisations', 'contacts', 'communities', 'notes'],
};

/** Pages that need a role. */
const ROLE_PAGES: { key: NavKey; roles: string[] }[] = [
  { key: 'orgAdmin', roles: ['org_admin'] },
  // Translators, and those who translate by their other roles (their organisation's notes, the communities).
  { key: 'translations', roles: ['translator', 'org_admin', 'secretariat'] },
  { key: 'checks', roles: ['secretariat'] },
  { key: 'secretariat', roles: ['secretariat'] },
];

export function navFor(persona: Persona | null, roles: readonly string[]): { primary: NavItem[]; more: NavItem[] } {
  const allowed = (k: NavKey) => {
    const need = ROLE_PAGES.find((r) => r.key === k);
    return !need || need.roles.some((r) => roles.includes(r));
  };
  const first = (persona ? FIRST[persona] : MEMBER_PAGES).filter(allowed);
  const primary: NavKey[] = ['home', ...first];
  for (const { key } of ROLE_PAGES) if (allowed(key) && !primary.includes(key)) primary.push(key);
  const more = MEMBER_PAGES.filter((k) => !primary.includes(k));
  const item = (key: NavKey): NavItem => ({ key, to: NAV_TARGETS[key] });
  return { primary: primary.map(item), more: more.map(item) };
}

/** The views a person may switch to: the secretariat's only with the role (its to-do list needs it). */
export function personasFor(roles: readonly string[]): Persona[] {
  return PERSONAS.filter((p) => p !== 'secretariat' || roles.includes('secretariat'));
}

/** The stored choice of view, if it is one this person may have. */
export function chosenPersona(stored: string | null, roles: readonly string[]): Persona | null {
  return stored && (personasFor(roles) as string[]).includes(stored) ? (stored as Persona) : null;
}
