import { AppError } from '../../../platform/errors.js';

/**
 * A MISP event as MISP writes it, read defensively into a normalised shape.
 * MISP writes numbers as strings ("timestamp": "1472541011", "distribution": "3");
 * both forms are accepted. Anything that is not a MISP event is refused with
 * VALIDATION_FAILED and the list of problems.
 */

export interface MispTagged {
  tags: string[];
}
export interface MispAttribute extends MispTagged {
  uuid: string;
  type: string;
  value: string;
  category: string | null;
  comment: string;
  toIds: boolean;
  timestamp: number;
  firstSeen: number | null;
  lastSeen: number | null;
  deleted: boolean;
  distribution: number | null;
  sharingGroupId: string | null;
  objectRelation: string | null;
  data: string | null;
  galaxyTags: string[];
}
export interface MispReference {
  uuid: string;
  referencedUuid: string;
  relationshipType: string;
  timestamp: number | null;
  comment: string;
}
export interface MispObject {
  uuid: string;
  name: string;
  comment: string;
  timestamp: number | null;
  deleted: boolean;
  distribution: number | null;
  sharingGroupId: string | null;
  attributes: MispAttribute[];
  references: MispReference[];
}
export interface MispGalaxyCluster {
  value: string;
  tagName: string | null;
  uuid: string | null;
  externalIds: string[];
  refs: string[];
  description: string | null;
}
export interface MispGalaxy {
  name: string;
  type: string;
  namespace: string | null;
  clusters: MispGalaxyCluster[];
}
export interface MispSharingGroup {
  uuid: string;
  name: string;
  organisations: { uuid: string; name: string }[];
}
export interface MispEvent extends MispTagged {
  uuid: string;
  info: string;
  date: string;
  timestamp: number;
  publishTimestamp: number | null;
  published: boolean;
  analysis: string | null;
  threatLevelId: string | null;
  distribution: number | null;
  sharingGroupId: string | null;
  sharingGroup: MispSharingGroup | null;
  orgc: { uuid: string; name: string } | null;
  attributes: MispAttribute[];
  objects: MispObject[];
  galaxies: MispGalaxy[];
  shadowAttributes: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

class Reader {
  problems: string[] = [];
  fail(path: string, message: string) {
    if (this.problems.length < 50) this.problems.push(`${path}: ${message}`);
  }
  str(o: Obj, key: string, path: string, required: boolean): string | null {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) this.fail(`${path}.${key}`, 'is missing');
      return null;
    }
    if (typeof v !== 'string') {
      this.fail(`${path}.${key}`, 'must be a string');
      return null;
    }
    return v;
  }
  uuid(o: Obj, key: string, path: string, required: boolean): string | null {
    const v = this.str(o, key, path, required);
    if (v === null) return null;
    if (!UUID.test(v)) {
      if (v === '' && !required) return null;
      this.fail(`${path}.${key}`, 'must be a uuid');
      return null;
    }
    return v.toLowerCase();
  }
  int(o: Obj, key: string, path: string, required: boolean): number | null {
    const v = o[key];
    if (v === undefined || v === null || v === '') {
      if (required) this.fail(`${path}.${key}`, 'is missing');
      return null;
    }
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    if (typeof v === 'string' && /^\d{1,12}$/.test(v)) return Number(v);
    this.fail(`${path}.${key}`, 'must be a non-negative integer (or its decimal string)');
    return null;
  }
  bool(o: Obj, key: string, path: string): boolean {
    const v = o[key];
    if (v === undefined || v === null) return false;
    if (typeof v === 'boolean') return v;
    if (v === '1' || v === 1) return true;
    if (v === '0' || v === 0) return false;
    this.fail(`${path}.${key}`, 'must be a boolean');
    return false;
  }
  /** first_seen / last_seen: MISP writes ISO dates (or epoch microseconds in its database form). */
  seen(o: Obj, key: string, path: string): number | null {
    const v = o[key];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v === 'string' && !/^\d+$/.test(v)) {
      const t = Date.parse(v);
      if (Number.isNaN(t)) {
        this.fail(`${path}.${key}`, 'must be a date');
        return null;
      }
      return Math.floor(t / 1000);
    }
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < 0) {
      this.fail(`${path}.${key}`, 'must be a date');
      return null;
    }
    return n > 1e14 ? Math.floor(n / 1e6) : n > 1e11 ? Math.floor(n / 1e3) : Math.floor(n);
  }
  array(o: Obj, key: string, path: string): unknown[] {
    const v = o[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.fail(`${path}.${key}`, 'must be an array');
      return [];
    }
    return v;
  }
  tags(o: Obj, path: string): string[] {
    const out: string[] = [];
    this.array(o, 'Tag', path).forEach((t, i) => {
      if (!isObj(t)) return this.fail(`${path}.Tag[${i}]`, 'must be an object');
      const name = this.str(t, 'name', `${path}.Tag[${i}]`, true);
      if (name !== null && name.trim() !== '') out.push(name.trim());
    });
    return out;
  }
}

function readAttribute(r: Reader, a: unknown, path: string): MispAttribute | null {
  if (!isObj(a)) {
    r.fail(path, 'must be an object');
    return null;
  }
  const uuid = r.uuid(a, 'uuid', path, true);
  const type = r.str(a, 'type', path, true);
  const rawValue = a.value;
  let value: string | null = null;
  if (typeof rawValue === 'string') value = rawValue;
  else if (typeof rawValue === 'number' && Number.isFinite(rawValue)) value = String(rawValue);
  else r.fail(`${path}.value`, rawValue === undefined || rawValue === null ? 'is missing' : 'must be a string');
  const timestamp = r.int(a, 'timestamp', path, false);
  const galaxyTags: string[] = [];
  r.array(a, 'Galaxy', path).forEach((g) => {
    if (isObj(g) && Array.isArray(g.GalaxyCluster))
      for (const c of g.GalaxyCluster) if (isObj(c) && typeof c.tag_name === 'string') galaxyTags.push(c.tag_name);
  });
  const result: MispAttribute = {
    uuid: uuid ?? '',
    type: (type ?? '').trim(),
    value: value ?? '',
    category: r.str(a, 'category', path, false),
    comment: r.str(a, 'comment', path, false) ?? '',
    toIds: r.bool(a, 'to_ids', path),
    timestamp: timestamp ?? 0,
    firstSeen: r.seen(a, 'first_seen', path),
    lastSeen: r.seen(a, 'last_seen', path),
    deleted: r.bool(a, 'deleted', path),
    distribution: r.int(a, 'distribution', path, false),
    sharingGroupId: a.sharing_group_id === undefined || a.sharing_group_id === null ? null : String(a.sharing_group_id),
    objectRelation: typeof a.object_relation === 'string' ? a.object_relation : null,
    data: typeof a.data === 'string' && a.data !== '' ? a.data : null,
    tags: r.tags(a, path),
    galaxyTags,
  };
  return uuid && type && value !== null ? result : null;
}

function readGalaxies(r: Reader, e: Obj): MispGalaxy[] {
  return r
    .array(e, 'Galaxy', 'Event')
    .filter(isObj)
    .map((g) => ({
      name: typeof g.name === 'string' ? g.name : '',
      type: typeof g.type === 'string' ? g.type : '',
      namespace: typeof g.namespace === 'string' ? g.namespace : null,
      clusters: (Array.isArray(g.GalaxyCluster) ? g.GalaxyCluster : []).filter(isObj).map((c) => {
        const meta = isObj(c.meta) ? c.meta : {};
        const strings = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
        return {
          value: typeof c.value === 'string' ? c.value : '',
          tagName: typeof c.tag_name === 'string' ? c.tag_name : null,
          uuid: typeof c.uuid === 'string' && UUID.test(c.uuid) ? c.uuid.toLowerCase() : null,
          externalIds: strings(meta.external_id),
          refs: strings(meta.refs),
          description: typeof c.description === 'string' ? c.description : null,
        };
      }),
    }));
}

function readSharingGroup(r: Reader, e: Obj): MispSharingGroup | null {
  const sg = e.SharingGroup;
  if (!isObj(sg)) return null;
  const inner = isObj(sg.SharingGroup) ? sg.SharingGroup : sg; // both shapes occur (event embed / sharing_groups list)
  const name = typeof inner.name === 'string' ? inner.name : '';
  const uuid = typeof inner.uuid === 'string' ? inner.uuid.toLowerCase() : '';
  const orgs: { uuid: string; name: string }[] = [];
  const add = (o: unknown) => {
    if (isObj(o) && typeof o.uuid === 'string' && !orgs.some((x) => x.uuid === o.uuid))
      orgs.push({ uuid: (o.uuid as string).toLowerCase(), name: typeof o.name === 'string' ? o.name : '' });
  };
  add(sg.Organisation);
  const sgo = Array.isArray(sg.SharingGroupOrg) ? sg.SharingGroupOrg : [];
  for (const x of sgo) if (isObj(x)) add(x.Organisation);
  if (!name && !uuid) {
    r.fail('Event.SharingGroup', 'has neither name nor uuid');
    return null;
  }
  return { uuid, name, organisations: orgs };
}

/** Read `{"Event": {...}}` (or a bare event object, as PyMISP's test files hold). Throws VALIDATION_FAILED. */
export function readMispEvent(input: unknown): MispEvent {
  if (!isObj(input)) throw new AppError('VALIDATION_FAILED', 'Not a MISP event: expected a JSON object {"Event": {...}}');
  let e: unknown = input.Event;
  if (e === undefined && typeof input.uuid === 'string' && typeof input.info === 'string') e = input;
  if (!isObj(e)) throw new AppError('VALIDATION_FAILED', 'Not a MISP event: expected a JSON object {"Event": {...}}');
  const r = new Reader();
  const uuid = r.uuid(e, 'uuid', 'Event', true);
  const info = r.str(e, 'info', 'Event', true);
  let date = r.str(e, 'date', 'Event', false);
  if (date !== null && !(DATE.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00Z`)))) {
    r.fail('Event.date', 'must be a date YYYY-MM-DD');
    date = null;
  }
  const timestamp = r.int(e, 'timestamp', 'Event', false);
  const publishTimestamp = r.int(e, 'publish_timestamp', 'Event', false);
  let orgc: MispEvent['orgc'] = null;
  if (e.Orgc !== undefined) {
    if (!isObj(e.Orgc)) r.fail('Event.Orgc', 'must be an object');
    else {
      const ou = r.uuid(e.Orgc, 'uuid', 'Event.Orgc', true);
      const on = r.str(e.Orgc, 'name', 'Event.Orgc', true);
      if (ou && on !== null) orgc = { uuid: ou, name: on };
    }
  }
  const attributes = r
    .array(e, 'Attribute', 'Event')
    .map((a, i) => readAttribute(r, a, `Event.Attribute[${i}]`))
    .filter((a): a is MispAttribute => a !== null);
  const objects: MispObject[] = [];
  r.array(e, 'Object', 'Event').forEach((o, i) => {
    const path = `Event.Object[${i}]`;
    if (!isObj(o)) return r.fail(path, 'must be an object');
    const ouuid = r.uuid(o, 'uuid', path, true);
    const name = r.str(o, 'name', path, true);
    const attrs = r
      .array(o, 'Attribute', path)
      .map((a, j) => readAttribute(r, a, `${path}.Attribute[${j}]`))
      .filter((a): a is MispAttribute => a !== null);
    const references: MispReference[] = [];
    r.array(o, 'ObjectReference', path).forEach((ref, j) => {
      const rp = `${path}.ObjectReference[${j}]`;
      if (!isObj(ref)) return r.fail(rp, 'must be an object');
      const ru = r.uuid(ref, 'uuid', rp, true);
      const target = r.uuid(ref, 'referenced_uuid', rp, true);
      const rel = r.str(ref, 'relationship_type', rp, true);
      if (ru && target && rel !== null)
        references.push({
          uuid: ru,
          referencedUuid: target,
          relationshipType: rel,
          timestamp: r.int(ref, 'timestamp', rp, false),
          comment: typeof ref.comment === 'string' ? ref.comment : '',
        });
    });
    if (ouuid && name !== null)
      objects.push({
        uuid: ouuid,
        name,
        comment: typeof o.comment === 'string' ? o.comment : '',
        timestamp: r.int(o, 'timestamp', path, false),
        deleted: r.bool(o, 'deleted', path),
        distribution: r.int(o, 'distribution', path, false),
        sharingGroupId: o.sharing_group_id === undefined || o.sharing_group_id === null ? null : String(o.sharing_group_id),
        attributes: attrs,
        references,
      });
  });
  const event: MispEvent = {
    uuid: uuid ?? '',
    info: info ?? '',
    date: date ?? '',
    timestamp: timestamp ?? 0,
    publishTimestamp,
    published: r.bool(e, 'published', 'Event'),
    analysis: e.analysis === undefined || e.analysis === null ? null : String(e.analysis),
    threatLevelId: e.threat_level_id === undefined || e.threat_level_id === null ? null : String(e.threat_level_id),
    distribution: r.int(e, 'distribution', 'Event', false),
    sharingGroupId: e.sharing_group_id === undefined || e.sharing_group_id === null ? null : String(e.sharing_group_id),
    sharingGroup: readSharingGroup(r, e),
    orgc,
    tags: r.tags(e, 'Event'),
    attributes,
    objects,
    galaxies: readGalaxies(r, e),
    shadowAttributes: Array.isArray(e.ShadowAttribute) ? e.ShadowAttribute.length : 0,
  };
  if (event.distribution !== null && event.distribution > 5) r.fail('Event.distribution', 'must be 0..5');
  if (!event.date && !event.timestamp) r.fail('Event', 'needs a date or a timestamp');
  if (r.problems.length > 0)
    throw new AppError('VALIDATION_FAILED', 'Not a valid MISP event', { problems: r.problems });
  return event;
}
