/**
 * Organisation profiles in the web app: the shapes the API returns and the
 * field checks the edit form runs before it sends (the server runs the same
 * ones from src/shared/profile.ts, and checks again).
 */
import type { Organisation } from '../../api/types';
import { isPastDate, isTimeZone, isWebsite, ORGANISATION_LIMITS, parseAsn, parseCidr, parseDomain } from '#shared/profile';

export { MEMBERSHIPS } from '#shared/organisations';
export { LOGO_MAX_BYTES, LOGO_TYPES } from '#shared/profile';
export { UI_LANGUAGES } from '#shared/languages';
/** Languages an organisation may list besides the four of the interface. */
export const OTHER_LANGUAGES = ['de', 'it', 'nl', 'et', 'fi', 'lt', 'lv', 'pl', 'cs', 'sk', 'hu', 'ro', 'bg', 'el', 'hr', 'sl', 'sv', 'da', 'ga', 'mt', 'ht', 'gn', 'qu', 'ay', 'pap'] as const;

export interface MemberProfile {
  ipRanges: string[];
  asns: number[];
  domains: string[];
  sectorsServed: string[];
  operatingHours: string | null;
  timeZone: string | null;
  establishedOn: string | null;
  memberships: string[];
  otherMemberships: string[];
}

export type OrganisationProfile = Omit<Organisation, 'memberCount' | 'mfaRequired' | 'statusReason'> & {
  memberCount?: number;
  mfaRequired?: boolean;
  statusReason?: string | null;
  descriptions?: Record<string, string>;
  descriptionLanguage?: string | null;
  languages?: string[];
  logoUrl?: string | null;
  profileUpdatedAt?: string | null;
  memberProfile?: MemberProfile;
};

/** Lines of a textarea, trimmed, without blanks. */
export const lines = (s: string) =>
  s
    .split(/[\n,]+/)
    .map((l) => l.trim())
    .filter(Boolean);

/** An AS number as the form's text gives it ("AS64500"); only called once validateProfileForm passed. */
export const asnValue = (s: string) => parseAsn(s)!;

export interface ProfileForm {
  name: string;
  acronym: string;
  website: string;
  ipRanges: string;
  asns: string;
  domains: string;
  timeZone: string;
  establishedOn: string;
}

/** Errors by field: keys of the orgProfile.errors catalogue, with the offending values. */
export function validateProfileForm(f: ProfileForm): Record<string, { key: string; values?: string }> {
  const errors: Record<string, { key: string; values?: string }> = {};
  const bad = (xs: string[]) => xs.join(', ');
  if (f.name.trim().length < ORGANISATION_LIMITS.nameMin) errors.name = { key: 'name' };
  if (f.website.trim() && !isWebsite(f.website.trim())) errors.website = { key: 'website' };
  const cidrs = lines(f.ipRanges).filter((r) => parseCidr(r) === null);
  if (cidrs.length) errors.ipRanges = { key: 'ipRanges', values: bad(cidrs) };
  const asns = lines(f.asns).filter((a) => parseAsn(a) === null);
  if (asns.length) errors.asns = { key: 'asns', values: bad(asns) };
  const domains = lines(f.domains).filter((d) => parseDomain(d) === null);
  if (domains.length) errors.domains = { key: 'domains', values: bad(domains) };
  if (f.timeZone.trim() && !isTimeZone(f.timeZone.trim())) errors.timeZone = { key: 'timeZone' };
  if (f.establishedOn.trim() && !isPastDate(f.establishedOn.trim())) errors.establishedOn = { key: 'establishedOn' };
  return errors;
}
