import { describe, expect, it } from 'vitest';
import { v5 as uuidv5 } from 'uuid';
import { PUENTE_EXTENSION_ID, PUENTE_IDENTITY_ID, puenteProps } from './puente-extension.js';
import { PUENTE_EXTENSION, PUENTE_IDENTITY, withPuente } from '../server/features/intel/stix/puente-extension.js';
import { validateObject } from '../server/features/intel/stix/validate.js';

describe('Puente\'s STIX property-extension', () => {
  it('has the fixed ids every installation uses', () => {
    const ns = '7d6a9e0b-6b0e-4f4e-9a53-2d9c1c8f3a10';
    expect(PUENTE_EXTENSION_ID).toBe(`extension-definition--${uuidv5('puente-properties-v1', ns)}`);
    expect(PUENTE_IDENTITY_ID).toBe(`identity--${uuidv5('puente-platform', ns)}`);
  });

  it('its definition and publisher are valid STIX 2.1, and so is an object using it', () => {
    expect(validateObject(PUENTE_IDENTITY)).toEqual([]);
    expect(validateObject(PUENTE_EXTENSION)).toEqual([]);
    const sighting = {
      type: 'sighting',
      spec_version: '2.1',
      id: 'sighting--3e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      sighting_of_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      ...withPuente({ country: 'CL', sector: 'energy' }),
    };
    expect(validateObject(sighting)).toEqual([]);
    expect(puenteProps(sighting)).toEqual({ country: 'CL', sector: 'energy' });
    expect(JSON.parse(String(PUENTE_EXTENSION.schema)).properties.country).toBeDefined();
  });

  it('writes nothing when there is nothing to say, and reads the older x_puente_* properties', () => {
    expect(withPuente({ country: undefined })).toEqual({});
    expect(puenteProps({ x_puente_country: 'UY', x_puente_misp: { uuid: 'u' } })).toEqual({ country: 'UY', misp: { uuid: 'u' } });
  });
});
