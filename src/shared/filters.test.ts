import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ContactQuery } from '../server/features/contacts/schemas.js';
import { ListQuerySchema } from '../server/features/intel/routes.js';
import { validateDirectorySearch } from '../web/features/contacts/search.js';
import { exportUrl, listUrl, validateIntelSearch } from '../web/features/intel/filters.js';
import { DIRECTORY_FILTER_KEYS, DIRECTORY_PARAMS, INTEL_FILTER_KEYS, INTEL_LIST_PARAMS, isRealDay } from './filters.js';

// Query strings are validated as the server does (http.ts): coerced, unknown parameters refused.
const ajv = new Ajv({ coerceTypes: 'array', useDefaults: true, strict: false });
addFormats.default(ajv);
const queryOf = (url: string) => {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URL(url, 'http://puente.test').searchParams) {
    const had = out[k];
    out[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
  }
  return out;
};

describe('filter keys', () => {
  it('are exactly the parameters the server reads', () => {
    expect(Object.keys(ListQuerySchema.properties).sort()).toEqual([...INTEL_LIST_PARAMS].sort());
    expect(Object.keys(ContactQuery.properties).sort()).toEqual([...DIRECTORY_PARAMS].sort());
  });

  it('make intel lists and exports the server accepts', () => {
    const search = validateIntelSearch({
      q: 'phishing',
      type: 'indicator,malware',
      tlp: 'amber,red',
      organisation: '0b0e0d2c-6a46-4c55-9d57-3f7b6f5e6a10',
      country: 'br',
      sector: 'energy',
      since: '2024-01-01',
      until: '2024-12-31',
      technique: 't0801',
      confidence: '70',
    });
    expect(Object.keys(search).sort()).toEqual([...INTEL_FILTER_KEYS].sort());
    const list = ajv.compile(ListQuerySchema);
    for (const url of [listUrl(search, 'next-page', 25), listUrl({}), listUrl({ show: 'all' })]) expect(list(queryOf(url)), `${url} ${ajv.errorsText(list.errors)}`).toBe(true);
    const exportSchema = { ...ListQuerySchema, properties: { ...ListQuerySchema.properties, format: { type: 'string' }, id: { type: 'array', items: { type: 'string' } } } };
    const exp = ajv.compile(exportSchema);
    expect(exp(queryOf(exportUrl('csv', search))), ajv.errorsText(exp.errors)).toBe(true);
  });

  it('make directory searches the server accepts', () => {
    const search = validateDirectorySearch({ q: 'cert', country: 'CL', kind: 'technical', organisation: '0b0e0d2c-6a46-4c55-9d57-3f7b6f5e6a10', sector: 'energy', language: 'es', stale: 'true', status: 'active', page: '2', other: 'dropped' });
    expect(Object.keys(search).sort()).toEqual([...DIRECTORY_FILTER_KEYS, 'page'].sort());
    const check = ajv.compile(ContactQuery);
    const query: Record<string, unknown> = { ...search, pageSize: '25' };
    expect(check(query), ajv.errorsText(check.errors)).toBe(true);
  });
});

describe('isRealDay', () => {
  it('accepts days that exist and refuses the rest without throwing', () => {
    for (const d of ['2027-01-31', '2028-02-29', '1999-12-31']) expect(isRealDay(d), d).toBe(true);
    for (const d of ['2027-02-29', '2027-02-30', '2027-13-01', '2027-00-10', '2027-04-31', '27-01-01', '2027-1-1', '', 'soon']) expect(isRealDay(d), d).toBe(false);
  });
});
