/** STIX objects for tests of the store: a bundle, and an indicator whose fields a test overrides. */
export const bundle = (objects: unknown[]) => ({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects });

export const indicator = (over: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${crypto.randomUUID()}`,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: 'C2 address',
  pattern: "[ipv4-addr:value = '198.51.100.7']",
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00Z',
  ...over,
});
