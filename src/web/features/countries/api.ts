import type { Audience, Pap, Tlp, TranslationInfo } from '../../api/types';
import type { EuInstrumentId, EuRelation, InstrumentStatus, InstrumentType } from '#shared/countries';

/** The country pages' API answers (server: features/countries/routes.ts). */

export type Region = 'EU' | 'LAC';
type PersonRef = { id: string; name: string } | null;

export interface CountrySummary {
  code: string;
  name: string;
  region: Region;
  subregion: string;
  organisations: number;
  priorities: number;
  instruments: number;
  focalPoints: number | null;
}

export interface Overview {
  items: CountrySummary[];
  focalCountries: string[];
}

interface Marked {
  tlp: Tlp;
  pap: Pap;
  audience: Audience;
  organisation: { id: string; name: string };
  author: PersonRef;
  updatedBy: PersonRef;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Priority extends Marked {
  id: string;
  country: string;
  title: string;
  body: string;
  language: string;
  translation: TranslationInfo;
  concepts: string[];
  reviewDate: string | null;
  reviewDue: boolean;
  can: { edit: boolean; changeMarking: boolean; translate: boolean };
}

export interface EuLink {
  instrument: EuInstrumentId;
  relation: EuRelation;
  note?: string;
}

export interface Instrument extends Marked {
  id: string;
  country: string;
  eli: string;
  type: InstrumentType;
  status: InstrumentStatus;
  title: string;
  summary: string;
  language: string;
  translation: TranslationInfo;
  year: number;
  number: string;
  date: string | null;
  authority: string;
  authorityOrganisation: { id: string; name: string } | null;
  sectors: string[];
  concepts: string[];
  euLinks: EuLink[];
  expressions: { language: string; url: string; title: string | null; authoritative: boolean; eli: string }[];
  statusHistory: { status: InstrumentStatus; effectiveOn: string; recordedAt: string; by: PersonRef }[];
  dates: Partial<Record<InstrumentStatus, string>>;
  nextStatuses: InstrumentStatus[];
  can: { edit: boolean; changeMarking: boolean; translate: boolean; changeStatus: boolean };
}

interface OrgRef {
  id: string;
  name: string;
  acronym: string | null;
  website: string | null;
}
interface KindCoverage {
  count: number;
  lastConfirmedAt: string | null;
}

export interface CountryPageData {
  code: string;
  name: string;
  region: Region;
  subregion: string;
  languages: string[];
  directory: { mfa: OrgRef[]; agencies: OrgRef[]; csirts: OrgRef[] };
  strategy: { id: string; title: string; language: string; year: number; status: InstrumentStatus; eli: string } | null;
  focalPoints: { person: { id: string; name: string }; organisation: { id: string; name: string } }[] | null;
  coverage: { diplomatic: KindCoverage; technical: KindCoverage; operational_24_7: KindCoverage; lastConfirmedAt: string | null } | null;
  priorities: Priority[];
  instruments: Instrument[];
  can: { addPriority: boolean; addInstrument: boolean };
}

export interface HistoryEntry {
  version: number;
  action: string;
  changed: string[];
  at: string;
  by: PersonRef;
  tlp: Tlp | null;
  content: Record<string, unknown> | null;
}

export interface Comparison {
  countries: { code: string; name: string; region: Region }[];
  filters: { sector: string | null; eu: EuInstrumentId | null; relation: EuRelation | null; type: InstrumentType | null; status: InstrumentStatus | null };
  instruments: { id: string; country: string; eli: string; type: InstrumentType; status: InstrumentStatus; title: string; language: string; year: number; sectors: string[]; euLinks: EuLink[]; tlp: Tlp }[];
  byEu: { eu: EuInstrumentId | null; cells: { country: string; items: { id: string; relation: EuRelation | null }[] }[] }[];
  bySector: { sector: string | null; cells: { country: string; items: string[] }[] }[];
}
