import type { Tlp } from '../../../platform/access/policy.js';
import { checkPattern } from '../stix/pattern.js';
import { mostRestrictive, tlpRank, TLP2_IDS } from '../stix/tlp.js';
import type { StixObject } from '../stix/types.js';
import { derivedId, isoFromEpoch, isUri, scoId, tlpOfTag, type MispHint } from './common.js';
import { readMispEvent, type MispAttribute, type MispEvent, type MispObject } from './event.js';
import { observeAttribute, observeObject, patternText, type Observation } from './observe.js';
import { withPuente } from '../stix/puente-extension.js';

export interface MispUnmapped {
  what: string;
  reason: string;
}
export interface MispImport {
  objects: StixObject[];
  reportId: string;
  /** The import's TLP: the most restrictive of the event's and the attributes' tlp tags (null: none). */
  tlp: Tlp | null;
  /** MISP distribution of the event, as is: 0 org only, 1 community, 2 connected, 3 all, 4 sharing group, 5 inherit. */
  distribution: number | null;
  sharingGroup: { uuid: string; name: string; organisations: { uuid: string; name: string }[] } | null;
  unmapped: MispUnmapped[];
  /** Mapped, with something to know: stricter attribute TLP, dropped galaxy details, ignored proposals. */
  notes: MispUnmapped[];
}

const YEAR_ZERO = '1970-01-01T00:00:00.000Z';

/** True when an attribute/object distribution is narrower than its event's (so it may not follow the event's audience). */
export function narrowerThanEvent(
  own: number | null,
  ownGroup: string | null,
  event: number | null,
  eventGroup: string | null,
): boolean {
  if (own === null || own === 5 || event === null) return false;
  if (event === 0) return false; // the event is already the narrowest
  if (own === 0) return true;
  if (own === 4) return event !== 4 || (ownGroup ?? '') !== (eventGroup ?? '');
  if (event === 4) return true; // community-wide attribute inside a sharing group: the intersection is narrower
  return own < event;
}

const attrWhat = (a: MispAttribute, obj?: MispObject) =>
  obj
    ? `attribute ${a.uuid} (object ${obj.name} ${obj.uuid}, relation ${a.objectRelation ?? '-'}, type ${a.type})`
    : `attribute ${a.uuid} (type: ${a.type})`;

class Builder {
  readonly objects = new Map<string, StixObject>();
  readonly unmapped: MispUnmapped[] = [];
  readonly notes: MispUnmapped[] = [];
  readonly reportRefs: string[] = [];
  readonly externalRefs: Record<string, unknown>[] = [];
  /** MISP uuid -> the STIX SDO standing for it (for object references). */
  readonly byMispUuid = new Map<string, string>();
  importTlp: Tlp | null;
  readonly identityId: string;
  readonly reportId: string;
  readonly eventCreated: number;

  constructor(readonly ev: MispEvent, readonly eventTlp: Tlp | null) {
    this.importTlp = eventTlp;
    this.identityId = derivedId('identity', ev.orgc?.uuid ?? `event-without-orgc:${ev.uuid}`);
    this.reportId = derivedId('report', ev.uuid);
    const dateEpoch = ev.date ? Date.parse(`${ev.date}T00:00:00Z`) / 1000 : ev.timestamp;
    this.eventCreated = ev.timestamp ? Math.min(dateEpoch, ev.timestamp) : dateEpoch;
  }

  markings(tlp: Tlp | null): { object_marking_refs?: string[] } {
    return tlp ? { object_marking_refs: [TLP2_IDS[tlp]] } : {};
  }

  sdoBase(type: string, id: string, modifiedEpoch: number, tlp: Tlp | null): StixObject {
    const modified = modifiedEpoch || this.ev.timestamp || this.eventCreated;
    return {
      type,
      spec_version: '2.1',
      id,
      created: isoFromEpoch(Math.min(this.eventCreated, modified)),
      modified: isoFromEpoch(modified),
      created_by_ref: this.identityId,
      ...this.markings(tlp),
    };
  }

  add(obj: StixObject, inReport = true) {
    const prev = this.objects.get(obj.id);
    if (prev) {
      this.objects.set(obj.id, mergeSco(prev, obj));
      return;
    }
    this.objects.set(obj.id, obj);
    if (inReport) this.reportRefs.push(obj.id);
  }

  /** Own TLP of a tagged thing: the stricter of the event's and its own tlp tags. Reports stricter ones. */
  tlpOf(tags: string[], what: string): Tlp | null {
    let own: Tlp | null = null;
    for (const t of tags) {
      const level = tlpOfTag(t);
      if (level === 'unknown') this.unmapped.push({ what: `${what} tag ${t}`, reason: 'unknown TLP level; kept as a label' });
      else if (level) own = own ? mostRestrictive(own, level) : level;
    }
    if (!own) return this.eventTlp;
    if (!this.eventTlp || tlpRank(own) > tlpRank(this.eventTlp)) {
      if (this.eventTlp) this.notes.push({ what, reason: `TLP:${own} on the attribute, stricter than the event's TLP:${this.eventTlp}; the object is marked TLP:${own}` });
      this.importTlp = this.importTlp ? mostRestrictive(this.importTlp, own) : own;
      return own;
    }
    return this.eventTlp;
  }

  /** SCO drafts -> SCOs with deterministic ids (refs resolved in order). */
  scos(obs: Observation, tlp: Tlp | null): string[] {
    const ids: string[] = [];
    for (const d of obs.drafts) {
      const props: Record<string, unknown> = { ...d.props };
      for (const [key, ref] of Object.entries(d.refs ?? {}))
        props[key] = Array.isArray(ref) ? ref.map((i) => ids[i]!) : ids[ref]!;
      const id = scoId(d.type, props);
      ids.push(id);
      this.add({ type: d.type, spec_version: '2.1', id, ...props, ...this.markings(tlp) });
    }
    return ids;
  }
}

/** Union of two versions of the same SCO (same deterministic id): arrays merged, the stricter marking kept. */
function mergeSco(a: StixObject, b: StixObject): StixObject {
  const out: StixObject = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (k === 'object_marking_refs') continue;
    const cur = out[k];
    if (cur === undefined) out[k] = v;
    else if (Array.isArray(cur) && Array.isArray(v) && k.endsWith('_refs')) out[k] = [...new Set([...cur, ...v])];
  }
  const ta = tlpFromRefs(a.object_marking_refs);
  const tb = tlpFromRefs(b.object_marking_refs);
  if (ta && tb) out.object_marking_refs = [TLP2_IDS[mostRestrictive(ta, tb)]];
  else if (ta || tb) out.object_marking_refs = [TLP2_IDS[(ta ?? tb)!]];
  return out;
}
function tlpFromRefs(refs: unknown): Tlp | null {
  if (!Array.isArray(refs)) return null;
  for (const [t, id] of Object.entries(TLP2_IDS)) if (refs.includes(id)) return t as Tlp;
  return null;
}

/** Tags that become labels: all but the known TLP levels (an unknown tlp:x stays a label). */
const labelTags = (tags: string[]) => tags.filter((t) => {
  const level = tlpOfTag(t);
  return level === null || level === 'unknown';
});

function hint(a: MispAttribute, obj?: MispObject): MispHint {
  const h: MispHint = { uuid: a.uuid, type: a.type };
  if (a.category) h.category = a.category;
  if (a.comment) h.comment = a.comment;
  if (obj) {
    h.object_name = obj.name;
    if (a.objectRelation) h.object_relation = a.objectRelation;
  }
  return h;
}

function seenWindow(first: number | null, last: number | null, ts: number): [string, string] {
  const f = first ?? ts;
  const l = Math.max(last ?? ts, f);
  return [isoFromEpoch(f), isoFromEpoch(l)];
}

function addAttribute(b: Builder, a: MispAttribute) {
  const what = attrWhat(a);
  const tlp = b.tlpOf(a.tags, what);
  const labels = [...new Set([...labelTags(a.tags), ...a.galaxyTags])];
  const extra = { ...(labels.length ? { labels } : {}), ...withPuente({ misp: hint(a) as unknown as Record<string, unknown> }) };
  const ts = a.timestamp || b.ev.timestamp;

  // Not observables: knowledge, text and detection rules.
  switch (a.type) {
    case 'vulnerability': {
      const cve = a.value.trim().toUpperCase();
      const isCve = /^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$/.test(cve);
      const id = derivedId('vulnerability', a.uuid);
      b.add({
        ...b.sdoBase('vulnerability', id, ts, tlp),
        name: isCve ? cve : a.value,
        ...(a.comment ? { description: a.comment } : {}),
        ...(isCve ? { external_references: [{ source_name: 'cve', external_id: cve }] } : {}),
        ...extra,
      });
      b.byMispUuid.set(a.uuid, id);
      return;
    }
    case 'text':
    case 'comment':
    case 'other': {
      if (a.type === 'other') break;
      const id = derivedId('note', a.uuid);
      // The note points at the report; the report does not list it back (no reference cycle).
      b.add({ ...b.sdoBase('note', id, ts, tlp), ...(a.comment ? { abstract: a.comment } : {}), content: a.value, object_refs: [b.reportId], ...extra }, false);
      b.byMispUuid.set(a.uuid, id);
      return;
    }
    case 'link':
      if (a.toIds) break; // a link to watch for: a url indicator below
      if (!isUri(a.value)) {
        b.unmapped.push({ what, reason: `not an absolute URL (STIX external references need one): ${a.value}` });
        return;
      }
      if (tlp !== b.eventTlp) {
        b.unmapped.push({ what, reason: 'a link with a stricter TLP than its event cannot become an external reference of the event report' });
        return;
      }
      b.externalRefs.push({ source_name: new URL(a.value).hostname || 'link', url: a.value, ...(a.comment ? { description: a.comment } : {}) });
      return;
    case 'yara':
    case 'snort':
    case 'sigma': {
      const id = derivedId('indicator', a.uuid);
      b.add({
        ...b.sdoBase('indicator', id, ts, tlp),
        name: a.comment || `${a.type} rule`,
        pattern: a.value,
        pattern_type: a.type,
        valid_from: isoFromEpoch(a.firstSeen ?? ts),
        ...extra,
      });
      b.byMispUuid.set(a.uuid, id);
      return;
    }
    case 'stix2-pattern': {
      const problem = checkPattern(a.value);
      if (problem) {
        b.unmapped.push({ what, reason: `invalid STIX pattern at ${problem.position}: ${problem.message}` });
        return;
      }
      const id = derivedId('indicator', a.uuid);
      b.add({
        ...b.sdoBase('indicator', id, ts, tlp),
        name: a.comment || 'STIX pattern',
        pattern: a.value,
        pattern_type: 'stix',
        pattern_version: '2.1',
        valid_from: isoFromEpoch(a.firstSeen ?? ts),
        ...extra,
      });
      b.byMispUuid.set(a.uuid, id);
      return;
    }
  }

  const obs = observeAttribute(a);
  if ('refused' in obs) {
    b.unmapped.push({ what, reason: obs.refused });
    return;
  }
  addObservation(b, obs, {
    key: a.uuid,
    what,
    toIds: a.toIds,
    name: a.value,
    description: a.comment,
    ts,
    firstSeen: a.firstSeen,
    lastSeen: a.lastSeen,
    tlp,
    extra,
  });
}

interface ObservationMeta {
  key: string;
  what: string;
  toIds: boolean;
  name: string;
  description: string;
  ts: number;
  firstSeen: number | null;
  lastSeen: number | null;
  tlp: Tlp | null;
  extra: Record<string, unknown>;
}

function addObservation(b: Builder, obs: Observation, m: ObservationMeta): boolean {
  if (m.toIds) {
    if (obs.patterns.length === 0) {
      b.unmapped.push({ what: m.what, reason: 'no STIX pattern can express it' });
      return false;
    }
    const pattern = patternText(obs.patterns);
    const problem = checkPattern(pattern);
    if (problem) {
      b.unmapped.push({ what: m.what, reason: `the pattern Puente built does not parse (${problem.message} at ${problem.position}): ${pattern}` });
      return false;
    }
    const id = derivedId('indicator', m.key);
    b.add({
      ...b.sdoBase('indicator', id, m.ts, m.tlp),
      name: m.name.length > 250 ? `${m.name.slice(0, 247)}...` : m.name,
      ...(m.description ? { description: m.description } : {}),
      pattern,
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: isoFromEpoch(m.firstSeen ?? m.ts),
      ...m.extra,
    });
    b.byMispUuid.set(m.key, id);
    return true;
  }
  if (obs.drafts.length === 0) {
    b.unmapped.push({ what: m.what, reason: obs.noObservable ?? 'no STIX observable can express it' });
    return false;
  }
  const refs = b.scos(obs, m.tlp);
  const [first, last] = seenWindow(m.firstSeen, m.lastSeen, m.ts);
  const id = derivedId('observed-data', m.key);
  b.add({
    ...b.sdoBase('observed-data', id, m.ts, m.tlp),
    first_observed: first,
    last_observed: last,
    number_observed: 1,
    object_refs: refs,
    ...m.extra,
  });
  b.byMispUuid.set(m.key, id);
  return true;
}

function addObject(b: Builder, o: MispObject) {
  const what = `object ${o.uuid} (name: ${o.name})`;
  const live = o.attributes.filter((a) => !a.deleted);
  const obs = observeObject(o);
  if ('refused' in obs) {
    b.unmapped.push({ what: `${what}, ${live.length} attribute(s)`, reason: obs.refused });
    return;
  }
  for (const a of o.attributes.filter((x) => x.deleted)) b.unmapped.push({ what: attrWhat(a, o), reason: 'deleted in MISP' });
  let tlp: Tlp | null = b.eventTlp;
  for (const a of obs.used) {
    const t = b.tlpOf(a.tags, attrWhat(a, o));
    if (t) tlp = tlp ? mostRestrictive(tlp, t) : t;
  }
  const labels = [...new Set(obs.used.flatMap((a) => [...labelTags(a.tags), ...a.galaxyTags]))];
  const ts = Math.max(o.timestamp ?? 0, ...obs.used.map((a) => a.timestamp)) || b.ev.timestamp;
  const seen = (pick: (a: MispAttribute) => number | null, f: (...n: number[]) => number) => {
    const v = obs.used.map(pick).filter((x): x is number => x !== null);
    return v.length ? f(...v) : null;
  };
  const ok = addObservation(b, obs, {
    key: o.uuid,
    what,
    toIds: obs.used.some((a) => a.toIds),
    name: `${o.name}: ${obs.used.map((a) => a.value).join(' | ')}`,
    description: o.comment,
    ts,
    firstSeen: seen((a) => a.firstSeen, Math.min),
    lastSeen: seen((a) => a.lastSeen, Math.max),
    tlp,
    extra: {
      ...(labels.length ? { labels } : {}),
      ...withPuente({
        misp: {
          uuid: o.uuid,
          object_name: o.name,
          ...(o.comment ? { comment: o.comment } : {}),
          attributes: obs.used.map((a) => hint(a, o)),
        },
      }),
    },
  });
  if (!ok) return;
  for (const u of obs.unused) b.unmapped.push({ what: attrWhat(u.attribute, o), reason: u.reason });
}

function addReferences(b: Builder, o: MispObject) {
  const source = b.byMispUuid.get(o.uuid);
  for (const r of o.references) {
    const what = `object reference ${r.uuid} (${o.name} ${r.relationshipType} ${r.referencedUuid})`;
    const target = b.byMispUuid.get(r.referencedUuid);
    if (!source || !target) {
      b.unmapped.push({ what, reason: `${!source ? 'its source' : 'its target'} was not mapped` });
      continue;
    }
    const relType = r.relationshipType.trim().toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'related-to';
    const s = b.objects.get(source)!;
    const t = b.objects.get(target)!;
    const tlp = [tlpFromRefs(s.object_marking_refs), tlpFromRefs(t.object_marking_refs)].reduce<Tlp | null>(
      (acc, x) => (x ? (acc ? mostRestrictive(acc, x) : x) : acc),
      null,
    );
    b.add({
      ...b.sdoBase('relationship', derivedId('relationship', r.uuid), r.timestamp ?? b.ev.timestamp, tlp),
      relationship_type: relType,
      source_ref: source,
      target_ref: target,
      ...(r.comment ? { description: r.comment } : {}),
    });
  }
}

const ATTACK_ID = /^(T|TA|G|S|M|C|DS)\d{4}(\.\d{3})?$/;

function addGalaxies(b: Builder): string[] {
  const labels: string[] = [];
  for (const g of b.ev.galaxies) {
    const mitre = g.namespace === 'mitre-attack' || g.type.startsWith('mitre-');
    let attackRefs = 0;
    for (const c of g.clusters) {
      if (c.tagName) labels.push(c.tagName);
      if (!mitre) continue;
      for (const ext of c.externalIds.filter((x) => ATTACK_ID.test(x))) {
        const url = c.refs.find((u) => u.startsWith('https://attack.mitre.org/') && isUri(u));
        b.externalRefs.push({ source_name: 'mitre-attack', external_id: ext, ...(url ? { url } : {}), description: c.value });
        attackRefs++;
      }
    }
    b.notes.push({
      what: `galaxy ${g.name || g.type} (${g.clusters.length} cluster(s))`,
      reason:
        `clusters kept as report labels${attackRefs ? `, ${attackRefs} ATT&CK id(s) as mitre-attack external references` : ''}; ` +
        'cluster descriptions, synonyms and other references are not imported',
    });
  }
  return labels;
}

/** A MISP event (`{"Event": {...}}` as MISP writes it) -> STIX 2.1 objects. Pure; deterministic ids. */
export function mispEventToStix(input: unknown): MispImport {
  const ev = readMispEvent(input);
  let eventTlp: Tlp | null = null;
  const b0: MispUnmapped[] = [];
  for (const t of ev.tags) {
    const level = tlpOfTag(t);
    if (level === 'unknown') b0.push({ what: `event tag ${t}`, reason: 'unknown TLP level; kept as a label' });
    else if (level) eventTlp = eventTlp ? mostRestrictive(eventTlp, level) : level;
  }
  const b = new Builder(ev, eventTlp);
  b.unmapped.push(...b0);

  for (const a of ev.attributes) {
    if (a.deleted) b.unmapped.push({ what: attrWhat(a), reason: 'deleted in MISP' });
    else if (narrowerThanEvent(a.distribution, a.sharingGroupId, ev.distribution, ev.sharingGroupId))
      b.unmapped.push({ what: attrWhat(a), reason: `its distribution (${a.distribution}) is narrower than the event's (${ev.distribution}); not imported so it cannot reach the event's audience` });
    else addAttribute(b, a);
  }
  for (const o of ev.objects) {
    const what = `object ${o.uuid} (name: ${o.name}), ${o.attributes.length} attribute(s)`;
    if (o.deleted) b.unmapped.push({ what, reason: 'deleted in MISP' });
    else if (narrowerThanEvent(o.distribution, o.sharingGroupId, ev.distribution, ev.sharingGroupId))
      b.unmapped.push({ what, reason: `its distribution (${o.distribution}) is narrower than the event's (${ev.distribution}); not imported so it cannot reach the event's audience` });
    else {
      // attributes of an object with a narrower distribution than the object itself
      const narrow = o.attributes.filter((a) => !a.deleted && narrowerThanEvent(a.distribution, a.sharingGroupId, ev.distribution, ev.sharingGroupId));
      for (const a of narrow) b.unmapped.push({ what: attrWhat(a, o), reason: `its distribution (${a.distribution}) is narrower than the event's (${ev.distribution}); not imported` });
      addObject(b, narrow.length ? { ...o, attributes: o.attributes.filter((a) => !narrow.includes(a)) } : o);
    }
  }
  for (const o of ev.objects) if (b.byMispUuid.has(o.uuid)) addReferences(b, o);
  const galaxyLabels = addGalaxies(b);
  if (ev.shadowAttributes > 0) b.notes.push({ what: `${ev.shadowAttributes} proposal(s) (ShadowAttribute)`, reason: 'proposals are not part of the event; not imported' });

  // The creator organisation: one identity per MISP organisation, the same in every import
  // (fixed timestamps, CLEAR: an organisation's name and uuid are what MISP shows to every recipient).
  const identity: StixObject = {
    type: 'identity',
    spec_version: '2.1',
    id: b.identityId,
    created: YEAR_ZERO,
    modified: YEAR_ZERO,
    name: ev.orgc?.name || 'Unknown MISP organisation',
    identity_class: 'organization',
    ...(ev.orgc ? withPuente({ misp: { uuid: ev.orgc.uuid } }) : {}),
    object_marking_refs: [TLP2_IDS.CLEAR],
  };
  b.add(identity);

  const labels = [...new Set([...labelTags(ev.tags), ...galaxyLabels])];
  const publishedEpoch = ev.publishTimestamp ? ev.publishTimestamp : ev.date ? Date.parse(`${ev.date}T00:00:00Z`) / 1000 : ev.timestamp;
  const externalRefs = dedupeRefs(b.externalRefs);
  const report: StixObject = {
    ...b.sdoBase('report', b.reportId, ev.timestamp, b.importTlp),
    name: ev.info || '(no title)',
    report_types: ['threat-report'],
    published: isoFromEpoch(publishedEpoch),
    object_refs: b.reportRefs,
    ...(labels.length ? { labels } : {}),
    ...(externalRefs.length ? { external_references: externalRefs } : {}),
    ...withPuente({
      misp: {
        uuid: ev.uuid,
        date: ev.date || null,
        published: ev.published,
        analysis: ev.analysis,
        threat_level_id: ev.threatLevelId,
        distribution: ev.distribution,
      },
    }),
  };
  // Markings of the report follow the import's TLP: the event level, or stricter attribute levels.
  b.objects.set(report.id, report);

  return {
    objects: [...b.objects.values()],
    reportId: b.reportId,
    tlp: b.importTlp,
    distribution: ev.distribution,
    sharingGroup: ev.distribution === 4 ? ev.sharingGroup : null,
    unmapped: b.unmapped,
    notes: b.notes,
  };
}

function dedupeRefs(refs: Record<string, unknown>[]): Record<string, unknown>[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = JSON.stringify([r.source_name, r.url ?? null, r.external_id ?? null]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
