import type { OfferType, RequestStatus } from '#shared/capacity';

/** GET /api/v1/capacity/dashboard (server: features/capacity/routes.ts, docs/capacity.md). */
export interface Duration {
  count: number;
  /** Seconds from submission. */
  median: number | null;
  p75: number | null;
}

export interface Labelled {
  concept: string;
  label: string;
  lang: string;
}

export interface CountryFigures {
  code: string;
  region: 'EU' | 'LAC';
  subregion: string;
  offers: number;
  requests: number;
  participants: number;
}

export interface Dashboard {
  from: string | null;
  to: string | null;
  concept: string | null;
  region: string | null;
  country: string | null;
  lang: string;
  offers: {
    total: number;
    openToAll: number;
    byType: { type: OfferType; offers: number }[];
    byConcept: (Labelled & { offers: number })[];
    byRegion: { region: 'EU' | 'LAC'; subregion: string | null; offers: number }[];
  };
  requests: { total: number; byStatus: { status: RequestStatus; requests: number }[]; toMatched: Duration; toDelivery: Duration };
  participants: {
    selected: number;
    completed: number;
    byCountry: { country: string; selected: number; completed: number }[];
    byConcept: (Labelled & { selected: number; completed: number })[];
  };
  countries: CountryFigures[];
}
