/**
 * Organisation profiles in the web app: the shapes the API returns and the
 * field checks the edit form runs before it sends (the server checks again).
 */
import type { Organisation } from '../../api/types';

export const MEMBERSHIPS = ['first', 'eu_csirts_network', 'csirt_americas', 'tf_csirt'] as const;
export const UI_LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;
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

export const LOGO_MAX_BYTES = 256 * 1024;
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

/** Lines of a textarea, trimmed, without blanks. */
export const lines = (s: string) =>
  s
    .split(/[\n,]+/)
    .map((l) => l.trim())
    .filter(Boolean);

function ipv4(a: string): number | null {
  const parts = a.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** A network in CIDR notation, host bits zero for IPv4; IPv6 by shape (the server checks fully). */
export function isCidr(s: string): boolean {
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(s.trim());
  if (!m) return false;
  const bits = Number(m[2]);
  const v4 = ipv4(m[1]);
  if (v4 !== null) return bits <= 32 && (bits === 32 || v4 % 2 ** (32 - bits) === 0);
  return m[1].includes(':') && /^[0-9a-fA-F:]+$/.test(m[1]) && (m[1].match(/::/g) ?? []).length <= 1 && bits <= 128;
}

export const isAsn = (s: string) => /^(?:AS)?\d{1,10}$/i.test(s.trim()) && Number(s.trim().replace(/^AS/i, '')) >= 1 && Number(s.trim().replace(/^AS/i, '')) <= 4294967295;
export const asnValue = (s: string) => Number(s.trim().replace(/^AS/i, ''));

export function isDomain(s: string): boolean {
  const d = s.trim().toLowerCase().replace(/\.$/, '');
  if (d.length < 3 || d.length > 253) return false;
  const labels = d.split('.');
  return labels.length >= 2 && labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) && /^(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})$/.test(labels[labels.length - 1]);
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return /^[A-Za-z]/.test(tz);
  } catch {
    return false;
  }
}

export function isWebsite(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname;
  } catch {
    return false;
  }
}

export function isPastDate(s: string, today = new Date()): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) && Number(m[1]) >= 1900 && d.getTime() <= today.getTime();
}

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
  if (f.name.trim().length < 2) errors.name = { key: 'name' };
  if (f.website.trim() && !isWebsite(f.website.trim())) errors.website = { key: 'website' };
  const cidrs = lines(f.ipRanges).filter((r) => !isCidr(r));
  if (cidrs.length) errors.ipRanges = { key: 'ipRanges', values: bad(cidrs) };
  const asns = lines(f.asns).filter((a) => !isAsn(a));
  if (asns.length) errors.asns = { key: 'asns', values: bad(asns) };
  const domains = lines(f.domains).filter((d) => !isDomain(d));
  if (domains.length) errors.domains = { key: 'domains', values: bad(domains) };
  if (f.timeZone.trim() && !isTimeZone(f.timeZone.trim())) errors.timeZone = { key: 'timeZone' };
  if (f.establishedOn.trim() && !isPastDate(f.establishedOn.trim())) errors.establishedOn = { key: 'establishedOn' };
  return errors;
}
