/** What the server and the web app agree on about member organisations. */

/** The kinds of member organisation; the secretariat vets each organisation as one of them. */
export const ORGANISATION_TYPES = [
  'mfa',
  'national_cyber_agency',
  'national_csirt',
  'sectoral_csirt',
  'other_government',
  'private_sector',
  'academia',
  'civil_society',
  'international_organisation',
  'team_europe_agency',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

/** Where an organisation is in vetting: only `approved` ones have vetted members. */
export const ORGANISATION_STATUSES = ['requested', 'approved', 'rejected', 'suspended'] as const;
export type OrganisationStatus = (typeof ORGANISATION_STATUSES)[number];

/** Networks of incident-response teams a profile may list. */
export const MEMBERSHIPS = ['first', 'eu_csirts_network', 'csirt_americas', 'tf_csirt'] as const;
