/**
 * TLP 2.0 and PAP levels as server and web agree on them. The order of each list is its rank.
 * The access policy, the STIX markings and the web's pickers read them from here; database.test.ts
 * holds the migrations' CHECK constraints to them.
 */

/** From the widest to the narrowest sharing. */
export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

/** From the freest to the most restricted use. */
export const PAP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'RED'] as const;
export type Pap = (typeof PAP_LEVELS)[number];

export const isTlp = (x: unknown): x is Tlp => typeof x === 'string' && (TLP_LEVELS as readonly string[]).includes(x);

/** 0 for CLEAR up to 4 for RED: a higher rank reaches fewer people. */
export const tlpRank = (t: Tlp): number => TLP_LEVELS.indexOf(t);

/** Of two markings, the one that shares less (merging markings must never widen them). */
export const mostRestrictive = (a: Tlp, b: Tlp): Tlp => (tlpRank(a) >= tlpRank(b) ? a : b);

/** The levels that share no more widely than `floor`, in rank order. */
export const tlpAtLeast = (floor: Tlp): Tlp[] => TLP_LEVELS.filter((t) => tlpRank(t) >= tlpRank(floor));

/** A discussion topic is never CLEAR: it belongs to a community. */
export const TOPIC_TLP_LEVELS = ['GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const satisfies readonly Tlp[];
export type TopicTlp = (typeof TOPIC_TLP_LEVELS)[number];
