import { describe, expect, it } from 'vitest';
import { displayName } from './names';

describe('display names of STIX objects', () => {
  it('prefers the name', () => {
    expect(displayName({ id: 'malware--1', name: 'GridWorm', object: { value: 'x' } })).toBe('GridWorm');
  });
  it('names a relationship by its type and the types of its ends', () => {
    expect(displayName({ id: 'relationship--1', name: null, object: { relationship_type: 'indicates', source_ref: 'indicator--a', target_ref: 'malware--b' } })).toBe('indicates: indicator → malware');
  });
  it('names observables by their value or first hash, else the id', () => {
    expect(displayName({ id: 'ipv4-addr--1', name: null, object: { value: '203.0.113.7' } })).toBe('203.0.113.7');
    expect(displayName({ id: 'file--1', name: null, object: { hashes: { 'SHA-256': 'abc' } } })).toBe('SHA-256: abc');
    expect(displayName({ id: 'sighting--1', name: null, object: { type: 'sighting', sighting_of_ref: 'indicator--x' } })).toBe('sighting: indicator');
    expect(displayName({ id: 'x-custom--1', name: null, object: {} })).toBe('x-custom--1');
    expect(displayName({ id: 'x-custom--2', name: null })).toBe('x-custom--2');
  });
});
