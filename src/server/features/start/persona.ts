/**
 * Whom the home page and the menu are arranged for. Decided from what the server knows of a
 * person — their roles, the kinds of the points of contact that name them, their organisation's
 * type — and only a suggestion: the person may switch the view in the web app.
 */
export const PERSONAS = ['analyst', 'diplomat', 'capacity', 'secretariat'] as const;
export type Persona = (typeof PERSONAS)[number];

/** What a point of contact's kind says of the person it names. */
const BY_KIND: Record<string, Persona | undefined> = {
  diplomatic: 'diplomat',
  technical: 'analyst',
  operational_24_7: 'analyst',
  capacity_building: 'capacity',
  // crisis_management: held by diplomats and by CSIRTs alike; says nothing on its own.
};

/** What an organisation's type says of its people. */
const BY_ORG_TYPE: Record<string, Persona | undefined> = {
  mfa: 'diplomat',
  other_government: 'diplomat',
  international_organisation: 'diplomat',
  national_cyber_agency: 'analyst',
  national_csirt: 'analyst',
  sectoral_csirt: 'analyst',
  private_sector: 'analyst',
  team_europe_agency: 'capacity',
  academia: 'capacity',
  civil_society: 'capacity',
};

export type PersonaBasis = 'role' | 'contact' | 'organisation' | 'default';

export interface PersonaFacts {
  roles: readonly string[];
  organisationType: string | null;
  /** Kinds of the active points of contact naming this person (visible to them). */
  contactKinds: readonly string[];
}

/**
 * The secretariat role first; then the kinds of contact the person is (when they point to one
 * persona, or to several of which the organisation's type picks one); then the organisation's type.
 */
export function personaOf(f: PersonaFacts): { persona: Persona; basis: PersonaBasis } {
  if (f.roles.includes('secretariat')) return { persona: 'secretariat', basis: 'role' };
  const byOrg = f.organisationType ? BY_ORG_TYPE[f.organisationType] : undefined;
  const fromKinds = [...new Set(f.contactKinds.map((k) => BY_KIND[k]).filter((x): x is Persona => !!x))];
  if (fromKinds.length === 1) return { persona: fromKinds[0]!, basis: 'contact' };
  if (fromKinds.length > 1) {
    if (byOrg && fromKinds.includes(byOrg)) return { persona: byOrg, basis: 'contact' };
    return { persona: PERSONAS.find((p) => fromKinds.includes(p))!, basis: 'contact' };
  }
  if (byOrg) return { persona: byOrg, basis: 'organisation' };
  return { persona: 'analyst', basis: 'default' };
}
