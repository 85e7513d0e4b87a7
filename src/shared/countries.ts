/**
 * Country pages (issue 11 §4) as server and web agree on them: the policy tracker's instrument
 * types and statuses with the steps between statuses, the EU instruments a national one may be
 * linked to and the relations it may have to them. The server's CHECK constraints
 * (migration 0022) and the web app's pickers read these lists; a unit test holds them together.
 */

export const INSTRUMENT_TYPES = ['law', 'strategy', 'regulation', 'standard', 'guideline'] as const;
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number];

/** The life of an instrument, in order. */
export const INSTRUMENT_STATUSES = ['draft', 'public_consultation', 'adopted', 'in_force', 'amended', 'repealed'] as const;
export type InstrumentStatus = (typeof INSTRUMENT_STATUSES)[number];

/**
 * The steps an instrument's status may take: forward only (a consultation may be skipped, an
 * adopted text amended before it is in force), an amended text amended again, a repealed one
 * never changes. Anything else is refused (409 INVALID_STATE).
 */
export const NEXT_STATUSES: Record<InstrumentStatus, readonly InstrumentStatus[]> = {
  draft: ['public_consultation', 'adopted'],
  public_consultation: ['adopted'],
  adopted: ['in_force', 'amended', 'repealed'],
  in_force: ['amended', 'repealed'],
  amended: ['amended', 'repealed'],
  repealed: [],
};

export const canMoveTo = (from: InstrumentStatus, to: InstrumentStatus) => NEXT_STATUSES[from].includes(to);

/** The EU instruments national ones are compared with (a fixed list), with their identifiers. */
export const EU_INSTRUMENTS = [
  { id: 'nis2', name: 'NIS2 Directive', reference: 'Directive (EU) 2022/2555', url: 'https://eur-lex.europa.eu/eli/dir/2022/2555/oj' },
  { id: 'cer', name: 'Critical Entities Resilience Directive (CER)', reference: 'Directive (EU) 2022/2557', url: 'https://eur-lex.europa.eu/eli/dir/2022/2557/oj' },
  { id: 'cybersecurity-act', name: 'Cybersecurity Act', reference: 'Regulation (EU) 2019/881', url: 'https://eur-lex.europa.eu/eli/reg/2019/881/oj' },
  {
    id: '5g-toolbox',
    name: 'EU 5G Toolbox',
    reference: 'Cybersecurity of 5G networks: EU Toolbox of risk mitigating measures (NIS Cooperation Group, January 2020)',
    url: 'https://digital-strategy.ec.europa.eu/en/library/cybersecurity-5g-networks-eu-toolbox-risk-mitigating-measures',
  },
] as const;
export const EU_INSTRUMENT_IDS = EU_INSTRUMENTS.map((e) => e.id) as unknown as readonly ['nis2', 'cer', 'cybersecurity-act', '5g-toolbox'];
export type EuInstrumentId = (typeof EU_INSTRUMENTS)[number]['id'];

/** How a national instrument relates to an EU one. */
export const EU_RELATIONS = ['transposes', 'aligns_with', 'inspired_by', 'differs_from'] as const;
export type EuRelation = (typeof EU_RELATIONS)[number];

/** The vocabulary scheme an instrument's sectors come from (features/vocabularies). */
export const SECTOR_SCHEME = 'nis2-sectors';

/** The regions of the 60 states. */
export const COUNTRY_REGIONS = ['EU', 'LAC'] as const;

/**
 * An instrument's ELI-style identifier: `/eli/{country}/{type}/{year}/{number}` (the work), and
 * `…/{language}` for a language version of its text (an expression of the work).
 */
export const eliOf = (country: string, type: string, year: number, number: string) => `/eli/${country.toLowerCase()}/${type}/${year}/${number}`;
export const eliExpressionOf = (work: string, language: string) => `${work}/${language.toLowerCase()}`;

/** The most countries one comparison takes. */
export const COMPARE_MAX = 8;
