/**
 * An activity record of the alliance as its published Markdown shape holds it (docs/records.md):
 * what the server reads and writes (features/records/format.ts) and the web app shows.
 */
export const COMMITMENT_STATUSES = ['planned', 'in progress', 'done', 'delayed', 'dropped'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

export interface Milestone {
  title: string;
  due?: string;
  done: boolean;
}

export interface CommitmentDoc {
  text: string;
  owners: string[];
  countries: string[];
  due?: string;
  status: CommitmentStatus;
  /** 0–100. */
  progress: number;
  milestones: Milestone[];
  evidence: string[];
}

export interface RecordDoc {
  title: string;
  date: string;
  endDate?: string;
  location: string;
  /** Paragraphs separated by one blank line. */
  summary: string;
  characteristics: string[];
  actors: { category: string; actors: string[] }[];
  themes: { category: string; subcategory: string }[];
  applications: string[];
  commitments: CommitmentDoc[];
}

/** Where a record is in its workflow: only a published one is seen beyond its organisation. */
export const RECORD_STATUSES = ['draft', 'proposed', 'published'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/**
 * Limits of a record written in the app (POST and PUT /api/v1/records): lengths in characters,
 * counts of list entries. The server checks them (features/records/service.ts) and the web form
 * mirrors them; docs/records.md lists them.
 */
export const RECORD_LIMITS = {
  title: 300,
  location: 200,
  summary: 20_000,
  /** Characteristics, and practical applications: entries, and characters each. */
  items: 50,
  item: 1000,
  actorCategories: 30,
  category: 200,
  actorsPerCategory: 60,
  actor: 300,
  themes: 50,
  subcategory: 300,
  commitments: 50,
  commitmentText: 1000,
  owners: 20,
  owner: 300,
  countries: 30,
  milestones: 30,
  milestone: 300,
  evidence: 20,
  link: 2000,
  /** Good practices a record links (PUT /api/v1/records/{id}/practices). */
  practices: 30,
  /** The record written in the format, in bytes: what the import takes, so an export imports again. */
  bytes: 256 * 1024,
} as const;

/** What is wrong with one field of a record (the web app says it in words; the server in English). */
export type RecordProblemKind = 'required' | 'tooLong' | 'tooMany' | 'oneLine' | 'control' | 'edges' | 'separator' | 'heading' | 'date' | 'endDate' | 'country' | 'link' | 'range' | 'invalid';
export interface RecordProblem {
  /** The field, dotted, list positions from 0: `title`, `actors.0.actors.2`, `commitments.1.milestones.0.title`. */
  field: string;
  problem: RecordProblemKind;
  limit?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A calendar date written YYYY-MM-DD (2024-02-30 is not one). */
export const isRecordDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
// Control characters (line breaks and tabs among them) that the record format cannot hold in a field.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

/**
 * The problems of a record before it is written in the record format (docs/records.md): what is
 * missing, too long or too many, and what the format cannot hold — a line break in a one-line
 * field, `; ` inside a name of a list the format separates with it, a line of the summary that
 * would read as a heading. Empty when the record is fine as far as these rules go (the server then
 * writes it in the format and reads it back, which must give the same record).
 */
export function recordProblems(r: RecordDoc): RecordProblem[] {
  const out: RecordProblem[] = [];
  const add = (field: string, problem: RecordProblemKind, limit?: number) => out.push({ field, problem, ...(limit !== undefined ? { limit } : {}) });
  /** A one-line text: present, within its length, no line break or control character, no spaces at its ends. */
  const line = (field: string, v: string, max: number, o: { separated?: boolean } = {}) => {
    if (!v.trim()) return add(field, 'required');
    if (v.length > max) return add(field, 'tooLong', max);
    if (/[\n\r]/.test(v)) return add(field, 'oneLine');
    if (CONTROL.test(v)) return add(field, 'control');
    if (v.trim() !== v) return add(field, 'edges');
    if (o.separated && v.includes(';')) add(field, 'separator');
  };
  const count = (field: string, list: readonly unknown[], max: number) => {
    if (list.length > max) add(field, 'tooMany', max);
    return list.length <= max;
  };
  line('title', r.title, RECORD_LIMITS.title);
  if (!isRecordDate(r.date)) add('date', r.date ? 'date' : 'required');
  if (r.endDate !== undefined && (!isRecordDate(r.endDate) || r.endDate < r.date)) add('endDate', isRecordDate(r.endDate) ? 'endDate' : 'date');
  line('location', r.location, RECORD_LIMITS.location);
  if (!r.summary.trim()) add('summary', 'required');
  else if (r.summary.length > RECORD_LIMITS.summary) add('summary', 'tooLong', RECORD_LIMITS.summary);
  else if (r.summary.includes('\r') || CONTROL.test(r.summary.replace(/\t/g, ' '))) add('summary', 'control');
  else if (r.summary.trim() !== r.summary) add('summary', 'edges');
  else if (r.summary.split('\n').some((l) => l.startsWith('## '))) add('summary', 'heading');
  for (const [name, list] of [['characteristics', r.characteristics], ['applications', r.applications]] as const)
    if (count(name, list, RECORD_LIMITS.items)) list.forEach((c, i) => line(`${name}.${i}`, c, RECORD_LIMITS.item));
  if (count('actors', r.actors, RECORD_LIMITS.actorCategories))
    r.actors.forEach((a, i) => {
      line(`actors.${i}.category`, a.category, RECORD_LIMITS.category);
      if (!a.actors.length) add(`actors.${i}.actors`, 'required');
      else if (count(`actors.${i}.actors`, a.actors, RECORD_LIMITS.actorsPerCategory)) a.actors.forEach((x, k) => line(`actors.${i}.actors.${k}`, x, RECORD_LIMITS.actor, { separated: true }));
    });
  if (count('themes', r.themes, RECORD_LIMITS.themes))
    r.themes.forEach((th, i) => {
      line(`themes.${i}.category`, th.category, RECORD_LIMITS.category);
      line(`themes.${i}.subcategory`, th.subcategory, RECORD_LIMITS.subcategory);
    });
  if (count('commitments', r.commitments, RECORD_LIMITS.commitments))
    r.commitments.forEach((c, i) => {
      const at = `commitments.${i}`;
      line(`${at}.text`, c.text, RECORD_LIMITS.commitmentText);
      if (count(`${at}.owners`, c.owners, RECORD_LIMITS.owners)) c.owners.forEach((o, k) => line(`${at}.owners.${k}`, o, RECORD_LIMITS.owner, { separated: true }));
      if (count(`${at}.countries`, c.countries, RECORD_LIMITS.countries)) c.countries.forEach((x, k) => !/^[A-Z]{2}$/.test(x) && add(`${at}.countries.${k}`, 'country'));
      if (c.due !== undefined && !isRecordDate(c.due)) add(`${at}.due`, 'date');
      if (!(COMMITMENT_STATUSES as readonly string[]).includes(c.status)) add(`${at}.status`, 'invalid');
      if (!Number.isInteger(c.progress) || c.progress < 0 || c.progress > 100) add(`${at}.progress`, 'range', 100);
      if (count(`${at}.milestones`, c.milestones, RECORD_LIMITS.milestones))
        c.milestones.forEach((m, k) => {
          line(`${at}.milestones.${k}.title`, m.title, RECORD_LIMITS.milestone, { separated: true });
          if (m.due !== undefined && !isRecordDate(m.due)) add(`${at}.milestones.${k}.due`, 'date');
        });
      if (count(`${at}.evidence`, c.evidence, RECORD_LIMITS.evidence))
        c.evidence.forEach((e, k) => {
          if (e.length > RECORD_LIMITS.link) add(`${at}.evidence.${k}`, 'tooLong', RECORD_LIMITS.link);
          else if (!/^https?:\/\/[^\s;]+$/.test(e)) add(`${at}.evidence.${k}`, 'link');
        });
    });
  return out;
}
