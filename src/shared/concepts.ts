/**
 * The kinds of things that carry concepts of the vocabularies. A concept's pages name each kind
 * in words (server strings `portal.vocab.kinds.*`, web `vocabularies.kinds.*`): a kind missing
 * from this list does not compile where an item is tagged, and a kind here without its words
 * fails the locale tests.
 */
export const TAGGED_KINDS = ['practice', 'priority', 'instrument', 'record', 'offer', 'event', 'expert', 'request'] as const;
export type TaggedKind = (typeof TAGGED_KINDS)[number];
