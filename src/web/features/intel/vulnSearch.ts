/**
 * The vulnerability list's search parameters, apart from the page so that the router can check
 * them without loading the page's code (the page is a chunk of its own).
 */

export type VulnSearch = { q?: string; kev?: string; ransomware?: string };

export function validateVulnSearch(raw: Record<string, unknown>): VulnSearch {
  const out: VulnSearch = {};
  const q = raw.q === undefined || raw.q === null ? '' : String(raw.q).trim();
  if (q) out.q = q.slice(0, 200);
  if (String(raw.kev) === 'true') out.kev = 'true';
  if (String(raw.ransomware) === 'true') out.ransomware = 'true';
  return out;
}
