import type { Audience, Pap, Tlp, TranslationInfo } from '../../api/types';

/** GET /api/v1/events answers (server: features/events/schemas.ts). */
export const EVENT_KINDS = ['annual-meeting', 'policy-dialogue', 'webinar', 'exercise', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export type EventStatus = 'draft' | 'published' | 'cancelled';
export type RegistrationStatus = 'pending' | 'confirmed' | 'waitlisted' | 'declined' | 'withdrawn';

export interface EventSummary {
  id: string;
  kind: EventKind;
  title: string;
  translation: { shown: string; source: string; fallback: boolean };
  place: string;
  country: string | null;
  online: boolean;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  organiser: { id: string; name: string; country: string };
  concepts: string[];
  status: EventStatus;
  tlp: Tlp;
  registration: { open: boolean; moderated: boolean; capacity: number | null; confirmed: number; pending: number; waitlisted: number };
  can: { manage: boolean; translate: boolean };
}

export interface EventPage {
  items: EventSummary[];
  nextCursor: string | null;
}

export interface Question {
  id: string;
  label: string;
  type: 'text' | 'choice' | 'yes-no';
  required?: boolean;
  options?: string[];
}

export interface Session {
  id: string;
  title: string;
  titleLanguage: string;
  startsAt: string;
  endsAt: string;
  room: string;
  speakers: { name: string; personId: string | null }[];
  interpretation: string[];
  status: 'scheduled' | 'cancelled';
  /** Every language version of the title, for those who translate the event. */
  titles: Record<string, string> | null;
}

export interface Material {
  id: string;
  sessionId: string | null;
  title: string;
  url: string | null;
  fileName: string | null;
  contentType: string | null;
  size: number | null;
  tlp: Tlp;
}

export interface MyRegistration {
  id: string;
  status: RegistrationStatus;
  waitlistPosition: number | null;
  consentToList: boolean;
  answers: Record<string, string | boolean>;
  delegation: string | null;
  registeredAt: string;
}

/** The activity record an event's minutes became (features/records). */
export interface RecordLink {
  id: string;
  slug: string;
  title: string;
  status: 'draft' | 'proposed' | 'published';
}

export interface EventDetail extends Omit<EventSummary, 'translation' | 'can'> {
  translation: TranslationInfo;
  can: { manage: boolean; translate: boolean; writeMinutes: boolean };
  record: RecordLink | null;
  description: string;
  agenda: string;
  language: string;
  revision: number;
  sequence: number;
  pap: Pap;
  audience: Audience;
  /** The source language's texts, for those who translate the event. */
  sourceTexts: { title: string; description: string; agenda: string } | null;
  descriptionHtml: string;
  agendaHtml: string;
  onlineUrl: string | null;
  registrationOpen: boolean;
  retentionDays: number;
  answersPurged: boolean;
  questions: Question[];
  sessions: Session[];
  materials: Material[];
  myRegistration: MyRegistration | null;
  delegationCountries: string[];
  focalPointOf: string[];
}

export interface RegistrationRow {
  id: string;
  person: { id: string; name: string };
  organisation: { id: string; name: string; country: string };
  status: RegistrationStatus;
  ticket: number;
  consentToList: boolean;
  answers: Record<string, string | boolean>;
  delegation: string | null;
  registeredAt: string;
}

export interface Participant {
  name: string;
  organisation: { id: string; name: string; country: string };
  delegation: string | null;
  headOfDelegation: boolean;
}

export interface Delegation {
  country: string;
  countryName: string;
  quota: number;
  delegateCount: number;
  head: string | null;
  delegates: { registrationId: string; person: { id: string; name: string }; organisation: { id: string; name: string }; head: boolean; status: RegistrationStatus }[] | null;
  can: { nominate: boolean; setQuota: boolean };
}

export interface MyCalendar {
  items: { event: EventSummary; registration: { id: string; status: RegistrationStatus; delegation: string | null } }[];
  feed: { createdAt: string } | null;
}
