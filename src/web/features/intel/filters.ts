/**
 * The threat-intel list keeps its filters in the URL. These helpers turn the
 * URL's search parameters into clean filters (dropping what the API would
 * refuse, so a hand-edited link never breaks the page) and the filters into
 * the query strings of the list and of the exports.
 */

import { INTEL_FILTER_KEYS, type IntelListParam } from '#shared/filters';
import { isTlp } from '#shared/tlp';

/** All values are text, so that a link carries them unchanged. Lists (type, tlp) are comma-separated. */
export interface IntelSearch {
  q?: string;
  type?: string;
  tlp?: string;
  organisation?: string;
  country?: string;
  sector?: string;
  since?: string;
  until?: string;
  technique?: string;
  confidence?: string;
  /**
   * 'all': everything the viewer may see. Without it the list shows what members submitted,
   * without the platform's reference content (ATT&CK, KEV, TLP definitions) and, unless a type
   * is asked for, without relationships, identities and marking definitions. (A word, not 1 or
   * true, so that the address carries it as it is rather than as JSON.)
   */
  show?: 'all';
}

/** Types the list leaves out unless asked for (by `all`, or by a type filter). */
export const HIDDEN_BY_DEFAULT_TYPES = ['relationship', 'identity', 'marking-definition'] as const;

/** The filters proper (`show` is a view, not a filter: clearing the filters keeps the view). */
const INTEL_SEARCH_KEYS = INTEL_FILTER_KEYS satisfies readonly (keyof IntelSearch)[];

const TYPE = /^[a-z0-9][a-z0-9-]{0,99}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COUNTRY = /^[A-Z]{2,3}$/;
const SECTOR = /^[a-z0-9-]{1,60}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;

export function splitList(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function joinList(items: string[]): string | undefined {
  const unique = [...new Set(items)];
  return unique.length ? unique.join(',') : undefined;
}

function validDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** Clean filters from raw search parameters (router's `validateSearch`). Invalid values are dropped. */
export function validateIntelSearch(raw: Record<string, unknown>): IntelSearch {
  const str = (k: string): string | undefined => {
    const v = raw[k];
    if (v === undefined || v === null) return undefined;
    const s = (Array.isArray(v) ? v.join(',') : String(v)).trim();
    return s === '' ? undefined : s;
  };
  const out: IntelSearch = {};
  const q = str('q');
  if (q) out.q = q.slice(0, 200);
  const type = joinList(splitList(str('type')).map((s) => s.toLowerCase()).filter((s) => TYPE.test(s)));
  if (type) out.type = type;
  const tlp = joinList(splitList(str('tlp')).map((s) => s.toUpperCase()).filter(isTlp));
  if (tlp) out.tlp = tlp;
  const organisation = str('organisation');
  if (organisation && UUID.test(organisation)) out.organisation = organisation.toLowerCase();
  const country = str('country')?.toUpperCase();
  if (country && COUNTRY.test(country)) out.country = country;
  const sector = str('sector');
  if (sector && SECTOR.test(sector)) out.sector = sector;
  const since = str('since');
  if (since && validDate(since)) out.since = since;
  const until = str('until');
  if (until && validDate(until)) out.until = until;
  const technique = str('technique')?.toUpperCase();
  if (technique && TECHNIQUE.test(technique)) out.technique = technique;
  const confidence = str('confidence');
  if (confidence && /^\d{1,3}$/.test(confidence) && Number(confidence) <= 100) out.confidence = String(Number(confidence));
  if (str('show') === 'all') out.show = 'all';
  return out;
}

/** True when at least one filter is set. */
export function hasFilters(s: IntelSearch): boolean {
  return activeFilters(s) > 0;
}

/** How many filters are in use (the phone's folded filter panel says so). */
export function activeFilters(s: IntelSearch): number {
  return INTEL_SEARCH_KEYS.filter((k) => s[k] !== undefined).length;
}

/** The filters as API query parameters, in a fixed order (dates become whole-day UTC bounds). */
export function apiParams(s: IntelSearch): [IntelListParam, string][] {
  const out: [IntelListParam, string][] = [];
  for (const k of INTEL_SEARCH_KEYS) {
    const v = s[k];
    if (v === undefined) continue;
    if (k === 'since') out.push([k, `${v}T00:00:00.000Z`]);
    else if (k === 'until') out.push([k, `${v}T23:59:59.999Z`]);
    else out.push([k, v]);
  }
  if (s.show !== 'all') {
    out.push(['origin', 'members']);
    if (!s.type) out.push(['excludeType', HIDDEN_BY_DEFAULT_TYPES.join(',')]);
  }
  return out;
}

function toQuery(pairs: [string, string][]): string {
  const p = new URLSearchParams();
  for (const [k, v] of pairs) p.append(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * GET /api/v1/intel/objects with these filters and an optional cursor. Pages of 25, as OpenCTI's
 * lists, with "Load more" after them: 50 cards were one long task to lay out on a phone.
 */
export function listUrl(s: IntelSearch, cursor?: string | null, limit = 25): string {
  const pairs = apiParams(s);
  if (cursor) pairs.push(['cursor', cursor]);
  pairs.push(['limit', String(limit)]);
  return `/api/v1/intel/objects${toQuery(pairs)}`;
}

export type ExportFormat = 'stix' | 'csv' | 'misp';

/**
 * GET /api/v1/intel/export: the selection when ids are given (one `id=` per object,
 * nothing else), otherwise everything the filters match.
 */
export function exportUrl(format: ExportFormat, s: IntelSearch, ids: string[] = []): string {
  const pairs: [string, string][] = [['format', format]];
  if (ids.length) for (const id of [...new Set(ids)]) pairs.push(['id', id]);
  else pairs.push(...apiParams(s));
  return `/api/v1/intel/export${toQuery(pairs)}`;
}

/** A link to the public ATT&CK browser for an ATT&CK id (technique, tactic, mitigation, asset, group, software). */
export function attackBrowserUrl(externalId: string): string | null {
  const id = externalId.toUpperCase();
  const m = /^T(\d{4})(?:\.(\d{3}))?$/.exec(id);
  if (m) return m[2] ? `https://attack.mitre.org/techniques/T${m[1]}/${m[2]}/` : `https://attack.mitre.org/techniques/T${m[1]}/`;
  const kinds: [RegExp, string][] = [
    [/^TA\d{4}$/, 'tactics'],
    [/^M\d{4}$/, 'mitigations'],
    [/^A\d{4}$/, 'assets'],
    [/^G\d{4}$/, 'groups'],
    [/^S\d{4}$/, 'software'],
    [/^C\d{4}$/, 'campaigns'],
    [/^DS\d{4}$/, 'datasources'],
  ];
  for (const [re, path] of kinds) if (re.test(id)) return `https://attack.mitre.org/${path}/${id}/`;
  return null;
}
