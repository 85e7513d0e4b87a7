import { puenteProps } from '../stix/puente-extension.js';
/**
 * CVSS scores and CWE weaknesses of a STIX vulnerability, from what the store holds (pure;
 * no database): the facts a CSAF import kept (the Puente extension's csaf.cvss, csaf.cwe), the
 * KEV catalogue's CWE list (kev.cwes) and the object's own external references
 * (source_name "cwe"). Nothing is looked up elsewhere.
 */

export interface CvssScore {
  /** "2.0", "3.0", "3.1", "4.0". */
  version: string;
  baseScore: number;
  /** As given, else from the score by the qualitative scale of that CVSS version. */
  severity: string;
  vector: string;
  /** The products the score is for (CSAF), by name; empty when it says none. */
  products: string[];
}

export interface Cwe {
  id: string;
  name: string | null;
}

const CWE_RE = /^CWE-\d{1,6}$/;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/**
 * The qualitative rating of a base score: CVSS v3.x and v4.0 (None, Low, Medium, High,
 * Critical) or v2 (Low, Medium, High, as NVD gives it), in capitals as CVSS writes it.
 */
export function severityOf(version: string, score: number): string {
  if (version.startsWith('2')) return score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW';
  if (score === 0) return 'NONE';
  return score >= 9 ? 'CRITICAL' : score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW';
}

/** Higher CVSS versions first, then the higher score. */
const byVersionThenScore = (a: CvssScore, b: CvssScore) => b.version.localeCompare(a.version, 'en', { numeric: true }) || b.baseScore - a.baseScore;

export function cvssScores(obj: Record<string, unknown>): CvssScore[] {
  const csaf = puenteProps(obj).csaf ?? null;
  const list = Array.isArray(csaf?.cvss) ? (csaf.cvss as unknown[]) : [];
  const out: CvssScore[] = [];
  const seen = new Set<string>();
  for (const c of list) {
    if (!isObject(c)) continue;
    const version = str(c.version);
    const vector = str(c.vector);
    const score = typeof c.base_score === 'number' && Number.isFinite(c.base_score) && c.base_score >= 0 && c.base_score <= 10 ? c.base_score : null;
    if (!version || !vector || score === null) continue;
    const products = Array.isArray(c.products) ? c.products.filter((p): p is string => typeof p === 'string') : [];
    const key = `${version}|${vector}|${score}|${products.join('\u0000')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ version, baseScore: score, severity: str(c.severity)?.toUpperCase() ?? severityOf(version, score), vector, products });
  }
  return out.sort(byVersionThenScore);
}

export function cwes(obj: Record<string, unknown>): Cwe[] {
  const out = new Map<string, Cwe>();
  const add = (id: unknown, name: unknown) => {
    const cwe = str(id)?.toUpperCase();
    if (!cwe || !CWE_RE.test(cwe)) return;
    const prev = out.get(cwe);
    if (!prev || (!prev.name && str(name))) out.set(cwe, { id: cwe, name: str(name) });
  };
  const csaf = puenteProps(obj).csaf ?? null;
  if (isObject(csaf?.cwe)) add(csaf.cwe.id, csaf.cwe.name);
  const kev = puenteProps(obj).kev ?? null;
  if (Array.isArray(kev?.cwes)) for (const c of kev.cwes) add(c, null);
  const refs = Array.isArray(obj.external_references) ? obj.external_references : [];
  for (const r of refs) if (isObject(r) && String(r.source_name ?? '').toLowerCase() === 'cwe') add(r.external_id, r.description);
  return [...out.values()].sort((a, b) => Number(a.id.slice(4)) - Number(b.id.slice(4)));
}
