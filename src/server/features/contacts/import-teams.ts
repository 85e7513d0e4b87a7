import { AppError } from '../../platform/errors.js';
import { type Draft, IMPORT_MAX_ROWS, str } from './import-read.js';

/** FIRST-style and CSIRTs-Network-style team records (a JSON array), read into import rows. */

/** Keys of team records compared without case, spaces, dashes or underscores. */
const norm = (k: string) => k.toLowerCase().replace(/[^a-z0-9]/g, '');
const strs = (v: unknown) => (Array.isArray(v) ? v.map(str).filter(Boolean) : str(v) ? [str(v)] : []);
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** A web address as team records write it: with or without its scheme. */
function websiteOf(v: string, d: Draft): string | null {
  if (!v) return null;
  if (/^https?:\/\//i.test(v)) return v;
  if (/^[a-z0-9.-]+\.[a-z]{2,}(\/\S*)?$/i.test(v)) {
    d.warnings.push(`The website “${v}” has no scheme: stored as https://${v}`);
    return `https://${v}`;
  }
  return v; // validate() reports it
}

/**
 * The fields of FIRST's team directory and of the CSIRTs Network's inventory, as
 * their exports and scrapes of their pages name them. Every field a record gives
 * that is not kept is named in a warning: nothing is dropped silently.
 */
const TEAM_FIELDS = {
  name: ['teamname', 'name', 'officialteamname', 'officialname', 'fullname'],
  short: ['shortname', 'teamshortname', 'acronym', 'shortteamname'],
  host: ['hostorganisation', 'hostorganization', 'host', 'organisation', 'organization', 'parentorganisation', 'parentorganization'],
  country: ['country', 'countrycode'],
  constituency: ['constituency', 'constituencytype'],
  email: ['email', 'emails', 'teamemail', 'emailaddress', 'mail'],
  phone: ['telephone', 'phone', 'tel', 'teamphone', 'teamtelephone', 'phonenumber'],
  emergency: ['emergencyphone', 'emergencytelephone', 'emergency', 'emergencynumber', '247phone', 'phone247'],
  website: ['website', 'web', 'url', 'homepage', 'teamwebsite', 'www'],
  keys: ['pgpkeys', 'pgpkey', 'pgppublickey', 'publickey', 'teampgpkey', 'openpgpkey'],
  fingerprint: ['pgpfingerprint', 'fingerprint', 'pgpkeyfingerprint', 'keyfingerprint', 'openpgpfingerprint', 'pgpkeyid', 'keyid', 'pgpkeyidfingerprint'],
  hours: ['businesshours', 'hours', 'availability', 'operatinghours'],
  tz: ['timezone', 'tz'],
} as const;
/** Fields the templates carry that belong elsewhere in Puente: named in a warning. */
const ELSEWHERE: Record<string, string> = {
  members: 'team members are entries of their own: add them as contacts',
  representatives: 'team representatives are entries of their own: add them as contacts',
  teamrepresentatives: 'team representatives are entries of their own: add them as contacts',
  establishment: 'the date of establishment belongs on the organisation’s profile',
  established: 'the date of establishment belongs on the organisation’s profile',
  dateofestablishment: 'the date of establishment belongs on the organisation’s profile',
  membersince: 'memberships belong on the organisation’s profile',
  firstmembersince: 'memberships belong on the organisation’s profile',
  memberships: 'memberships belong on the organisation’s profile',
};

export function fromTeams(text: string, format: 'first' | 'csirts-network'): Draft[] {
  let data: unknown;
  try {
    data = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    throw new AppError('CSV_MALFORMED', 'Team records are a JSON array of objects; this is not JSON');
  }
  if (!Array.isArray(data) || data.some((x) => !x || typeof x !== 'object' || Array.isArray(x))) throw new AppError('CSV_MALFORMED', 'Team records are a JSON array of objects');
  if (data.length > IMPORT_MAX_ROWS) throw new AppError('PAYLOAD_TOO_LARGE', `An import may hold at most ${IMPORT_MAX_ROWS} rows`, { limitRows: IMPORT_MAX_ROWS });
  return (data as Record<string, unknown>[]).map((o, i) => {
    const d: Draft = { row: i + 1, organisation: '', country: '', fullName: '', errors: [], warnings: [], isTeamMailbox: true };
    const used = new Set<string>();
    const field = (k: keyof typeof TEAM_FIELDS): unknown => {
      for (const [key, v] of Object.entries(o))
        if ((TEAM_FIELDS[k] as readonly string[]).includes(norm(key)) && !blank(v)) {
          used.add(key);
          return v;
        }
      return undefined;
    };
    const name = str(field('name'));
    const short = str(field('short'));
    d.fullName = short && name && short !== name ? `${short} (${name})` : short || name;
    d.organisation = str(field('host')) || (format === 'csirts-network' ? name || short : '');
    d.country = str(field('country'));
    d.emails = strs(field('email'));
    d.phone = str(field('phone')) || null;
    d.emergencyPhone = str(field('emergency')) || null;
    const constituency = str(field('constituency'));
    d.position = constituency ? `CSIRT – constituency: ${constituency}` : 'CSIRT';
    const keys = strs(field('keys'));
    d.openpgpKey = keys[0] ?? null;
    if (keys.length > 1) d.warnings.push('Only the first OpenPGP key is kept');
    const fp = str(field('fingerprint'));
    if (fp) d.fingerprint = fp;
    d.website = websiteOf(str(field('website')), d);
    d.availability = str(field('hours')) || null;
    d.timeZone = str(field('tz')) || null;
    d.kinds = format === 'csirts-network' || d.emergencyPhone ? ['technical', 'operational_24_7'] : ['technical'];
    for (const [key, v] of Object.entries(o)) {
      if (used.has(key) || blank(v)) continue;
      const why = ELSEWHERE[norm(key)];
      d.warnings.push(why ? `“${key}” is not imported: ${why}` : `“${key}” is not a field Puente keeps for a team; not imported`);
    }
    if (!d.fullName) d.errors.push({ field: 'fullName', code: 'REQUIRED', message: 'The team has no name' });
    return d;
  });
}
