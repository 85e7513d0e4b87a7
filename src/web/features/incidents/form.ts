/**
 * The incident form's state and its translation to the API's body, kept apart from the page so
 * that the rules (what is missing, which times are impossible, times read in the person's zone)
 * are tested without a browser.
 */
import { fromZonedInput, toZonedInput } from '../../components/time';
import type { Audience, Pap, Tlp } from '../../api/types';
import type { IncidentInput, IncidentReport } from './api';
import { SUBSECTORS_OF } from './subsectors';

export interface IncidentForm {
  language: string;
  title: string;
  description: string;
  category: string | null;
  /** `category/type` */
  rsitClass: string | null;
  rootCause: string;
  threatSeverity: string;
  impactSeverity: string;
  impactOutlook: string;
  countries: string[];
  sectors: string[];
  subsectors: string[];
  crossBorder: boolean;
  usersAffected: string;
  /** datetime-local values ("2026-12-07T09:30"), in the person's time zone. */
  awareAt: string;
  startedAt: string;
  endedAt: string;
  exercise: boolean;
}

export interface Marking {
  tlp: Tlp;
  pap: Pap;
  audience: Audience;
}

export function emptyForm(language: string, now: Date, timeZone: string): IncidentForm {
  return {
    language,
    title: '',
    description: '',
    category: null,
    rsitClass: null,
    rootCause: '',
    threatSeverity: '',
    impactSeverity: '',
    impactOutlook: '',
    countries: [],
    sectors: [],
    subsectors: [],
    crossBorder: false,
    usersAffected: '',
    awareAt: toZonedInput(now, timeZone),
    startedAt: '',
    endedAt: '',
    exercise: false,
  };
}

/** The form of an existing report, its times in the person's zone. The source text is edited, not a translation. */
export function formOf(r: IncidentReport, timeZone: string): IncidentForm {
  const local = (iso: string | null) => (iso ? toZonedInput(new Date(iso), timeZone) : '');
  return {
    language: r.translation.source,
    title: r.title,
    description: r.description,
    category: r.rsitClass.split('/')[0] ?? null,
    rsitClass: r.rsitClass,
    rootCause: r.rootCause ?? '',
    threatSeverity: r.threatSeverity ?? '',
    impactSeverity: r.impactSeverity ?? '',
    impactOutlook: r.impactOutlook ?? '',
    countries: r.countries,
    sectors: r.sectors,
    subsectors: r.subsectors,
    crossBorder: r.crossBorder,
    usersAffected: r.usersAffected === null ? '' : String(r.usersAffected),
    awareAt: local(r.awareAt),
    startedAt: local(r.startedAt),
    endedAt: local(r.endedAt),
    exercise: r.exercise,
  };
}

export type Problem = 'title' | 'rsit' | 'awareAt' | 'time' | 'future' | 'endedBeforeStart' | 'number';
export type Problems = Partial<Record<'title' | 'rsitClass' | 'awareAt' | 'startedAt' | 'endedAt' | 'usersAffected', Problem>>;

/** What keeps the form from being sent, by field (the server checks the same and says so too). */
export function problemsOf(f: IncidentForm, timeZone: string, now: Date): Problems {
  const out: Problems = {};
  if (!f.title.trim()) out.title = 'title';
  if (!f.rsitClass) out.rsitClass = 'rsit';
  // A minute of slack: the form opens with "now" as the moment of awareness.
  const future = (d: Date) => d.getTime() > now.getTime() + 60_000;
  const time = (k: 'awareAt' | 'startedAt' | 'endedAt', required: boolean): Date | null => {
    const v = f[k];
    if (!v) {
      if (required) out[k] = 'awareAt';
      return null;
    }
    const d = fromZonedInput(v, timeZone);
    if (!d) out[k] = 'time';
    else if (future(d)) out[k] = 'future';
    return d;
  };
  time('awareAt', true);
  const started = time('startedAt', false);
  const ended = time('endedAt', false);
  if (started && ended && ended < started && !out.endedAt) out.endedAt = 'endedBeforeStart';
  if (f.usersAffected.trim() && !/^\d{1,15}$/.test(f.usersAffected.trim())) out.usersAffected = 'number';
  return out;
}

/** Subsectors kept only while their sector is chosen. */
export function subsectorsWithin(sectors: readonly string[], subsectors: readonly string[]): string[] {
  const allowed = new Set(sectors.flatMap((s) => SUBSECTORS_OF[s as keyof typeof SUBSECTORS_OF] ?? []));
  return subsectors.filter((s) => allowed.has(s));
}

/** The audience without one organisation: the owner, which the server always keeps in it, so that pickers name the others. */
export function withoutOrganisation(a: Audience, organisationId: string): Audience {
  return { ...a, organisations: a.organisations.filter((o) => o !== organisationId) };
}

/** Only the parts of the audience the TLP level allows (as notes/MarkingFields does). */
function audienceFor(tlp: Tlp, a: Audience): Audience {
  if (tlp === 'AMBER') return { organisations: a.organisations, communities: a.communities, people: [] };
  if (tlp === 'AMBER+STRICT') return { organisations: a.organisations, communities: [], people: [] };
  if (tlp === 'RED') return { organisations: [], communities: [], people: a.people };
  return { organisations: [], communities: [], people: [] };
}

/** The body of POST /api/v1/incidents (or PATCH, where `exercise` is left out: it cannot change). */
export function bodyOf(f: IncidentForm, marking: Marking, timeZone: string, forCreate: boolean): IncidentInput {
  const iso = (v: string) => (v ? (fromZonedInput(v, timeZone)?.toISOString() ?? null) : null);
  const orNull = <T extends string>(v: string) => (v ? (v as T) : null);
  const body: IncidentInput = {
    title: f.title.trim(),
    description: f.description,
    language: f.language,
    rsitClass: f.rsitClass ?? '',
    rootCause: orNull(f.rootCause),
    threatSeverity: orNull(f.threatSeverity),
    impactSeverity: orNull(f.impactSeverity),
    impactOutlook: orNull(f.impactOutlook),
    countries: f.countries,
    sectors: f.sectors,
    subsectors: subsectorsWithin(f.sectors, f.subsectors),
    crossBorder: f.crossBorder,
    usersAffected: f.usersAffected.trim() ? Number(f.usersAffected.trim()) : null,
    startedAt: iso(f.startedAt),
    endedAt: iso(f.endedAt),
    awareAt: iso(f.awareAt) ?? '',
    tlp: marking.tlp,
    pap: marking.pap,
    audience: audienceFor(marking.tlp, marking.audience),
  };
  if (forCreate) body.exercise = f.exercise;
  return body;
}
