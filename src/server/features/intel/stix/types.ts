/** A STIX 2.1 object as it travels: only `type` and `id` are known to be there. */
export type StixObject = Record<string, unknown> & { type: string; id: string };
