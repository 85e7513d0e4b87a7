/**
 * A readable name for any STIX object: its name, else what identifies it for its type
 * (a relationship by its type and ends, an observable by its value), else its id.
 */
export function displayName(item: { id: string; name: string | null; object?: Record<string, unknown> }): string {
  if (item.name) return item.name;
  const o = item.object ?? {};
  const typeOf = (ref: unknown) => (typeof ref === 'string' && ref.includes('--') ? ref.slice(0, ref.indexOf('--')) : '?');
  if (typeof o.relationship_type === 'string') return `${o.relationship_type}: ${typeOf(o.source_ref)} → ${typeOf(o.target_ref)}`;
  if (o.type === 'sighting' && typeof o.sighting_of_ref === 'string') return `sighting: ${typeOf(o.sighting_of_ref)}`;
  for (const k of ['value', 'display_name', 'path', 'key', 'number', 'subject']) {
    const v = o[k];
    if (typeof v === 'string' && v) return v;
    if (typeof v === 'number') return String(v);
  }
  const hashes = o.hashes;
  if (hashes && typeof hashes === 'object') {
    const [alg, value] = Object.entries(hashes as Record<string, unknown>)[0] ?? [];
    if (typeof value === 'string') return `${alg}: ${value}`;
  }
  return item.id;
}
