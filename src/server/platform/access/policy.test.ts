import { describe, expect, it } from 'vitest';
import { normaliseAudience, canSee, visibilityRule, type Viewer } from './policy.js';
import { AppError } from '../errors.js';

const viewer: Viewer = { personId: 'p1', organisationId: 'o1', vetted: true, communityIds: ['c1'] };

describe('normaliseAudience', () => {
  it('drops the audience of CLEAR and GREEN records', () => {
    expect(normaliseAudience('GREEN', { organisations: ['o'], communities: ['c'], people: ['p'] })).toEqual({ organisations: [], communities: [], people: [] });
  });
  it('refuses communities under AMBER+STRICT', () => {
    expect(() => normaliseAudience('AMBER+STRICT', { communities: ['c'] })).toThrow(AppError);
  });
  it('refuses organisations and communities under RED', () => {
    expect(() => normaliseAudience('RED', { organisations: ['o'] })).toThrow(/named people only/);
    expect(() => normaliseAudience('RED', { communities: ['c'] })).toThrow(/named people only/);
  });
  it('refuses single people under AMBER', () => {
    expect(() => normaliseAudience('AMBER', { people: ['p'] })).toThrow(/not single people/);
  });
  it('removes duplicates', () => {
    expect(normaliseAudience('AMBER', { organisations: ['o', 'o'], communities: ['c', 'c'] })).toEqual({ organisations: ['o'], communities: ['c'], people: [] });
  });
});

describe('canSee', () => {
  const base = { authorId: 'a', authorOrgId: 'o9', audience: { organisations: [], communities: ['c1'], people: [] } };
  it('lets community members see AMBER but never AMBER+STRICT through a community', () => {
    expect(canSee(viewer, { ...base, tlp: 'AMBER' })).toBe(true);
    expect(canSee(viewer, { ...base, tlp: 'AMBER+STRICT' })).toBe(false);
  });
  it('gives no secretariat bypass: a viewer carrying roles gets the same rule and sees nothing outside its audience', () => {
    // As a signed-in principal would carry them, were they ever passed along with the viewer.
    const secretariat = { ...viewer, roles: ['member', 'org_admin', 'secretariat'], isSecretariat: true, isAdmin: true } as Viewer;
    expect(visibilityRule(secretariat)).toEqual(visibilityRule(viewer));
    const elsewhere = { organisations: ['o8'], communities: ['c9'], people: ['p7'] };
    for (const tlp of ['AMBER', 'AMBER+STRICT', 'RED'] as const) expect(canSee(secretariat, { ...base, tlp, audience: elsewhere }), tlp).toBe(false);
  });
});
