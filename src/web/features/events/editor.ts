/**
 * What the organiser's pages check and send, kept apart from the pages so that it is tested
 * without a browser: the event form (its times as wall-clock times in the event's own zone),
 * the timetable's sessions (within the event), the minutes that become an activity record, and
 * the CSV exports of registrations and of the participant list. The checks mirror the server's
 * (features/events/service.ts LIMITS, #shared/records), so that a form says what is wrong before
 * it is sent; the server still decides.
 */
import { isRecordDate, RECORD_LIMITS, recordProblems } from '#shared/records';
import { fromZonedInput, isTimeZone, toZonedInput } from '../../components/time';
import type { EventDetail, EventKind, Question, RegistrationRow, Participant } from './api';

/** The server's limits (features/events/service.ts LIMITS). */
export const EVENT_LIMITS = { title: 300, description: 20_000, agenda: 50_000, place: 300, room: 200, questions: 20, options: 20, speakers: 20, interpretation: 10, retentionDays: 3650, capacity: 100_000, quota: 1000 } as const;

export interface Problem {
  /** The form's field, dotted: `title`, `questions.2.options`, `commitments.0.text`. */
  field: string;
  /** `events.problem.<problem>` says it in words. */
  problem: 'required' | 'tooLong' | 'tooMany' | 'invalidTime' | 'endBeforeStart' | 'outsideEvent' | 'https' | 'range' | 'noOptions' | 'oneLine' | 'heading' | 'date' | 'invalid';
  limit?: number;
}

export const lines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

// ---------- the event ----------

export interface QuestionForm {
  /** Kept once given: registrations' answers are keyed by it. */
  id: string;
  label: string;
  type: Question['type'];
  required: boolean;
  /** One choice per line. */
  options: string;
}

export interface EventForm {
  kind: EventKind;
  language: string;
  title: string;
  description: string;
  agenda: string;
  place: string;
  country: string | null;
  online: boolean;
  onlineUrl: string;
  timeZone: string;
  /** "YYYY-MM-DDTHH:mm" as the clock in `timeZone` shows it. */
  startsAt: string;
  endsAt: string;
  concepts: string[];
  registrationOpen: boolean;
  moderated: boolean;
  /** Empty: no limit. */
  capacity: number | '';
  retentionDays: number;
  questions: QuestionForm[];
}

export function emptyEventForm(language: string, timeZone: string): EventForm {
  return {
    kind: 'policy-dialogue',
    language,
    title: '',
    description: '',
    agenda: '',
    place: '',
    country: null,
    online: false,
    onlineUrl: '',
    timeZone,
    startsAt: '',
    endsAt: '',
    concepts: [],
    registrationOpen: true,
    moderated: false,
    capacity: '',
    retentionDays: 90,
    questions: [],
  };
}

/** The form of a saved event: its texts in the language it was written in, its times on its own clock. */
export function eventFormOf(e: EventDetail): EventForm {
  const texts = e.sourceTexts ?? { title: e.title, description: e.description, agenda: e.agenda };
  return {
    kind: e.kind,
    language: e.language,
    ...texts,
    place: e.place,
    country: e.country,
    online: e.online,
    onlineUrl: e.onlineUrl ?? '',
    timeZone: e.timeZone,
    startsAt: toZonedInput(new Date(e.startsAt), e.timeZone),
    endsAt: toZonedInput(new Date(e.endsAt), e.timeZone),
    concepts: e.concepts,
    registrationOpen: e.registrationOpen,
    moderated: e.registration.moderated,
    capacity: e.registration.capacity ?? '',
    retentionDays: e.retentionDays,
    questions: e.questions.map((q) => ({ id: q.id, label: q.label, type: q.type, required: !!q.required, options: (q.options ?? []).join('\n') })),
  };
}

/** An id for a new question that no other question of the form has (`q1`, `q2`, …). */
export function newQuestionId(questions: readonly { id: string }[]): string {
  const taken = new Set(questions.map((q) => q.id));
  let n = questions.length + 1;
  while (taken.has(`q${n}`)) n++;
  return `q${n}`;
}

/** A wall-clock time in a zone as the moment it stands for, or null. */
export function instantOf(wall: string, timeZone: string): Date | null {
  return isTimeZone(timeZone) ? fromZonedInput(wall, timeZone) : null;
}

export function eventProblems(f: EventForm): Problem[] {
  const out: Problem[] = [];
  const tooLong = (field: keyof EventForm, max: number) => {
    if ((f[field] as string).length > max) out.push({ field, problem: 'tooLong', limit: max });
  };
  if (!f.title.trim()) out.push({ field: 'title', problem: 'required' });
  tooLong('title', EVENT_LIMITS.title);
  tooLong('description', EVENT_LIMITS.description);
  tooLong('agenda', EVENT_LIMITS.agenda);
  tooLong('place', EVENT_LIMITS.place);
  if (!isTimeZone(f.timeZone)) out.push({ field: 'timeZone', problem: 'required' });
  const start = instantOf(f.startsAt, f.timeZone);
  const end = instantOf(f.endsAt, f.timeZone);
  if (!start) out.push({ field: 'startsAt', problem: f.startsAt ? 'invalidTime' : 'required' });
  if (!end) out.push({ field: 'endsAt', problem: f.endsAt ? 'invalidTime' : 'required' });
  if (start && end && end.getTime() <= start.getTime()) out.push({ field: 'endsAt', problem: 'endBeforeStart' });
  if (f.online && f.onlineUrl.trim() && !/^https:\/\/\S+$/.test(f.onlineUrl.trim())) out.push({ field: 'onlineUrl', problem: 'https' });
  if (f.capacity !== '' && (!Number.isInteger(f.capacity) || f.capacity < 1 || f.capacity > EVENT_LIMITS.capacity)) out.push({ field: 'capacity', problem: 'range', limit: EVENT_LIMITS.capacity });
  if (!Number.isInteger(f.retentionDays) || f.retentionDays < 0 || f.retentionDays > EVENT_LIMITS.retentionDays) out.push({ field: 'retentionDays', problem: 'range', limit: EVENT_LIMITS.retentionDays });
  if (f.questions.length > EVENT_LIMITS.questions) out.push({ field: 'questions', problem: 'tooMany', limit: EVENT_LIMITS.questions });
  f.questions.forEach((q, i) => {
    if (!q.label.trim()) out.push({ field: `questions.${i}.label`, problem: 'required' });
    else if (q.label.length > 300) out.push({ field: `questions.${i}.label`, problem: 'tooLong', limit: 300 });
    if (q.type === 'choice') {
      const options = lines(q.options);
      if (!options.length) out.push({ field: `questions.${i}.options`, problem: 'noOptions' });
      else if (options.length > EVENT_LIMITS.options) out.push({ field: `questions.${i}.options`, problem: 'tooMany', limit: EVENT_LIMITS.options });
      else if (options.some((o) => o.length > 200)) out.push({ field: `questions.${i}.options`, problem: 'tooLong', limit: 200 });
    }
  });
  return out;
}

/** The body of POST /api/v1/events (and, without `language`, of PATCH). Only for a form without problems. */
export function eventBody(f: EventForm, marking: { tlp: string; pap: string; audience: unknown }) {
  return {
    kind: f.kind,
    language: f.language,
    title: f.title.trim(),
    description: f.description,
    agenda: f.agenda,
    place: f.place.trim(),
    country: f.country,
    online: f.online,
    onlineUrl: f.online && f.onlineUrl.trim() ? f.onlineUrl.trim() : null,
    startsAt: instantOf(f.startsAt, f.timeZone)!.toISOString(),
    endsAt: instantOf(f.endsAt, f.timeZone)!.toISOString(),
    timeZone: f.timeZone,
    concepts: f.concepts,
    registrationOpen: f.registrationOpen,
    moderated: f.moderated,
    capacity: f.capacity === '' ? null : f.capacity,
    retentionDays: f.retentionDays,
    questions: f.questions.map((q) => ({ id: q.id, label: q.label.trim(), type: q.type, required: q.required, ...(q.type === 'choice' ? { options: [...new Set(lines(q.options))] } : {}) })),
    tlp: marking.tlp,
    pap: marking.pap,
    audience: marking.audience,
  };
}

// ---------- the timetable ----------

export interface SessionForm {
  title: string;
  /** The title in the event's other languages; an empty one is removed. */
  titles: Record<string, string>;
  /** On the event's clock. */
  startsAt: string;
  endsAt: string;
  room: string;
  /** One speaker per line. */
  speakers: string;
  interpretation: string[];
  status: 'scheduled' | 'cancelled';
}

export function emptySessionForm(e: Pick<EventDetail, 'startsAt' | 'timeZone'>): SessionForm {
  const start = toZonedInput(new Date(e.startsAt), e.timeZone);
  const end = toZonedInput(new Date(new Date(e.startsAt).getTime() + 3_600_000), e.timeZone);
  return { title: '', titles: {}, startsAt: start, endsAt: end, room: '', speakers: '', interpretation: [], status: 'scheduled' };
}

export function sessionFormOf(s: EventDetail['sessions'][number], e: Pick<EventDetail, 'timeZone' | 'language'>): SessionForm {
  const titles = { ...(s.titles ?? {}) };
  const source = titles[e.language] ?? s.title;
  delete titles[e.language];
  return {
    title: source,
    titles,
    startsAt: toZonedInput(new Date(s.startsAt), e.timeZone),
    endsAt: toZonedInput(new Date(s.endsAt), e.timeZone),
    room: s.room,
    speakers: s.speakers.map((x) => x.name).join('\n'),
    interpretation: s.interpretation,
    status: s.status,
  };
}

/** A session ends after it starts, within its event (as the event's clock shows both). */
export function sessionProblems(s: SessionForm, e: Pick<EventDetail, 'startsAt' | 'endsAt' | 'timeZone'>): Problem[] {
  const out: Problem[] = [];
  if (!s.title.trim()) out.push({ field: 'title', problem: 'required' });
  else if (s.title.length > EVENT_LIMITS.title) out.push({ field: 'title', problem: 'tooLong', limit: EVENT_LIMITS.title });
  const start = instantOf(s.startsAt, e.timeZone);
  const end = instantOf(s.endsAt, e.timeZone);
  if (!start) out.push({ field: 'startsAt', problem: s.startsAt ? 'invalidTime' : 'required' });
  if (!end) out.push({ field: 'endsAt', problem: s.endsAt ? 'invalidTime' : 'required' });
  if (start && end) {
    if (end.getTime() <= start.getTime()) out.push({ field: 'endsAt', problem: 'endBeforeStart' });
    else if (start.getTime() < Date.parse(e.startsAt) || end.getTime() > Date.parse(e.endsAt)) out.push({ field: start.getTime() < Date.parse(e.startsAt) ? 'startsAt' : 'endsAt', problem: 'outsideEvent' });
  }
  if (s.room.length > EVENT_LIMITS.room) out.push({ field: 'room', problem: 'tooLong', limit: EVENT_LIMITS.room });
  const speakers = lines(s.speakers);
  if (speakers.length > EVENT_LIMITS.speakers) out.push({ field: 'speakers', problem: 'tooMany', limit: EVENT_LIMITS.speakers });
  else if (speakers.some((x) => x.length > 200)) out.push({ field: 'speakers', problem: 'tooLong', limit: 200 });
  if (s.interpretation.length > EVENT_LIMITS.interpretation) out.push({ field: 'interpretation', problem: 'tooMany', limit: EVENT_LIMITS.interpretation });
  return out;
}

/** The body of POST …/sessions and PATCH …/sessions/{id}. */
export function sessionBody(s: SessionForm, timeZone: string) {
  return {
    title: s.title.trim(),
    titleTranslations: Object.fromEntries(Object.entries(s.titles).map(([l, v]) => [l, v.trim()])),
    startsAt: instantOf(s.startsAt, timeZone)!.toISOString(),
    endsAt: instantOf(s.endsAt, timeZone)!.toISOString(),
    room: s.room.trim(),
    speakers: lines(s.speakers).map((name) => ({ name })),
    interpretation: s.interpretation,
    status: s.status,
  };
}

// ---------- the minutes ----------

export interface CommitmentForm {
  text: string;
  ownerOrgId: string | null;
  /** YYYY-MM-DD, or empty. */
  due: string;
}

export interface MinutesForm {
  minutes: string;
  commitments: CommitmentForm[];
}

/**
 * What the record format would refuse of the minutes and commitments, found by the records' own
 * check (#shared/records recordProblems) on the record they become; the fields the event fills
 * stand in with values it accepts.
 */
export function minutesProblems(f: MinutesForm): Problem[] {
  const out: Problem[] = [];
  const doc = {
    title: 'Event',
    date: '2000-01-01',
    location: 'Place',
    summary: f.minutes.replace(/\r\n?/g, '\n').trim(),
    characteristics: [],
    actors: [],
    themes: [],
    applications: [],
    commitments: f.commitments.map((c) => ({ text: c.text.trim(), owners: ['Owner'], countries: [], ...(c.due ? { due: c.due } : {}), status: 'planned' as const, progress: 0, milestones: [], evidence: [] })),
  };
  for (const p of recordProblems(doc)) {
    const field = p.field === 'summary' ? 'minutes' : p.field;
    if (field !== 'minutes' && !/^commitments(\.\d+\.(text|due))?$/.test(field)) continue;
    const problem: Problem['problem'] = p.problem === 'date' ? 'date' : p.problem === 'heading' ? 'heading' : p.problem === 'oneLine' ? 'oneLine' : p.problem === 'required' ? 'required' : p.problem === 'tooLong' ? 'tooLong' : p.problem === 'tooMany' ? 'tooMany' : 'invalid';
    out.push({ field, problem, ...(p.limit !== undefined ? { limit: p.limit } : {}) });
  }
  f.commitments.forEach((c, i) => {
    if (!c.ownerOrgId) out.push({ field: `commitments.${i}.ownerOrgId`, problem: 'required' });
    if (c.due && !isRecordDate(c.due) && !out.some((x) => x.field === `commitments.${i}.due`)) out.push({ field: `commitments.${i}.due`, problem: 'date' });
  });
  return out;
}

export const MINUTES_LIMITS = { minutes: RECORD_LIMITS.summary, commitments: RECORD_LIMITS.commitments, commitmentText: RECORD_LIMITS.commitmentText } as const;

/** The body of POST /api/v1/events/{id}/record. */
export function minutesBody(f: MinutesForm) {
  return {
    minutes: f.minutes.replace(/\r\n?/g, '\n').trim(),
    commitments: f.commitments.map((c) => ({ text: c.text.trim(), ownerOrgId: c.ownerOrgId!, ...(c.due ? { due: c.due } : {}) })),
  };
}

// ---------- registrations and exports ----------

/** Each waitlisted registration's place in line (1 is next), in order of arrival. */
export function waitlistPositions(rows: readonly Pick<RegistrationRow, 'id' | 'status' | 'ticket'>[]): Map<string, number> {
  const waiting = rows.filter((r) => r.status === 'waitlisted').sort((a, b) => a.ticket - b.ticket);
  return new Map(waiting.map((r, i) => [r.id, i + 1]));
}

type Cell = string | number | boolean | null | undefined;

/**
 * CSV (RFC 4180: commas, CRLF, quotes doubled) that a spreadsheet opens as text: a cell that
 * would start a formula (=, +, -, @, tab, carriage return) is prefixed with an apostrophe, so a
 * name such as "=HYPERLINK(…)" typed at registration stays a name.
 */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  const cell = (v: Cell) => {
    if (v === null || v === undefined) return '';
    let s = typeof v === 'string' ? v : String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export interface CsvLabels {
  headers: string[];
  status: (s: RegistrationRow['status']) => string;
  yes: string;
  no: string;
  country: (code: string) => string;
  dateTime: (iso: string) => string;
}

/** Every registration with its answers, for the organisers: in order of arrival. */
export function registrationsCsv(rows: readonly RegistrationRow[], questions: readonly Question[], l: CsvLabels, delegationOf: (r: RegistrationRow) => string): string {
  const positions = waitlistPositions(rows);
  const answer = (v: string | boolean | undefined) => (v === undefined ? '' : typeof v === 'boolean' ? (v ? l.yes : l.no) : v);
  return toCsv([
    [...l.headers, ...questions.map((q) => q.label)],
    ...[...rows]
      .sort((a, b) => a.ticket - b.ticket)
      .map((r) => [
        r.ticket,
        l.status(r.status),
        positions.get(r.id) ?? '',
        r.person.name,
        r.organisation.name,
        l.country(r.organisation.country),
        r.consentToList ? l.yes : l.no,
        r.delegation ? delegationOf(r) : '',
        l.dateTime(r.registeredAt),
        ...questions.map((q) => answer(r.answers[q.id])),
      ]),
  ]);
}

/** The participant list as it is published: confirmed participants who agreed to appear, nothing more. */
export function participantsCsv(items: readonly Participant[], l: { headers: string[]; yes: string; no: string; country: (code: string) => string }): string {
  return toCsv([l.headers, ...items.map((p) => [p.name, p.organisation.name, l.country(p.organisation.country), p.delegation ? l.country(p.delegation) : '', p.headOfDelegation ? l.yes : l.no])]);
}

/** A file name from the event's title: letters, digits and dashes. */
export const fileNameOf = (title: string, what: string) =>
  `${title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60) || 'event'}-${what}.csv`;

/** Offer a text as a file download (the browser's save dialog). */
export function download(filename: string, text: string, type = 'text/csv;charset=utf-8') {
  // A byte-order mark: spreadsheets then read the names' accents as UTF-8.
  const blob = new Blob(['\ufeff', text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
