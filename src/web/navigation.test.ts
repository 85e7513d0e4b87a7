import { describe, expect, it } from 'vitest';
import { chosenPersona, navFor, personasFor } from './navigation';

const keys = (items: { key: string }[]) => items.map((i) => i.key);

describe('navFor', () => {
  it('a diplomat starts from the good-practice library, the activity records, the country pages, the roadmap, the capacity-building offers and the events, notes, communities and contacts; their applications, the assistance requests, the directory, the vocabularies, the dashboard and threat intelligence are under More', () => {
    const nav = navFor('diplomat', ['member']);
    expect(keys(nav.primary)).toEqual(['home', 'practices', 'records', 'countries', 'roadmap', 'offers', 'events', 'notes', 'communities', 'contacts']);
    expect(keys(nav.more)).toEqual(['intel', 'incidents', 'situation', 'crises', 'organisations', 'applications', 'requests', 'experts', 'vocabularies', 'capacity']);
  });

  it('an analyst starts from threat intelligence, the incident reports, the situational picture and the crisis rooms; the rest is under More', () => {
    const nav = navFor('analyst', ['member', 'org_admin']);
    expect(keys(nav.primary)).toEqual(['home', 'intel', 'incidents', 'situation', 'crises', 'notes', 'contacts', 'communities', 'organisations', 'orgAdmin', 'translations']);
    expect(keys(nav.more)).toEqual(['records', 'practices', 'offers', 'applications', 'requests', 'experts', 'events', 'countries', 'vocabularies', 'roadmap', 'capacity']);
  });

  it('a capacity-building provider starts from the catalogue of offers, the assistance requests, the events, the expert pool, the capacity-building dashboard, communities, the directory and the good-practice library; their own applications are under More', () => {
    const nav = navFor('capacity', ['member']);
    expect(keys(nav.primary).slice(0, 9)).toEqual(['home', 'offers', 'requests', 'events', 'experts', 'capacity', 'communities', 'organisations', 'practices']);
    expect(keys(nav.more)).toContain('applications');
  });

  it('the secretariat starts from its own pages; its role pages stay in the menu in any view', () => {
    const roles = ['member', 'secretariat'];
    expect(keys(navFor('secretariat', roles).primary).slice(0, 8)).toEqual(['home', 'secretariat', 'checks', 'situation', 'crises', 'requests', 'capacity', 'roadmap']);
    const asDiplomat = navFor('diplomat', roles);
    expect(keys(asDiplomat.primary)).toEqual(expect.arrayContaining(['secretariat', 'checks']));
    // Role pages are never offered without the role.
    expect(keys(navFor('secretariat', ['member']).primary)).not.toContain('secretariat');
    expect(keys(navFor('secretariat', ['member']).primary)).not.toContain('checks');
  });

  it('before the view is known, every member page in the usual order', () => {
    expect(keys(navFor(null, ['member']).primary)).toEqual(['home', 'notes', 'intel', 'incidents', 'situation', 'crises', 'communities', 'organisations', 'contacts', 'records', 'practices', 'offers', 'applications', 'requests', 'experts', 'events', 'countries', 'vocabularies', 'roadmap', 'capacity']);
  });

  it('the translation queue is in the menu of translators, organisation admins and the secretariat only', () => {
    expect(keys(navFor('analyst', ['member', 'translator']).primary)).toContain('translations');
    expect(keys(navFor('diplomat', ['member']).primary)).not.toContain('translations');
    expect(keys(navFor('diplomat', ['member']).more)).not.toContain('translations');
  });

  it('every page has its address', () => {
    const nav = navFor('secretariat', ['member', 'org_admin', 'secretariat']);
    for (const item of [...nav.primary, ...nav.more]) expect(item.to).toMatch(/^\//);
  });
});

describe('the views a person may switch to', () => {
  it('offers the secretariat view only with the role, and keeps only a stored choice that is allowed', () => {
    expect(personasFor(['member'])).toEqual(['analyst', 'diplomat', 'capacity']);
    expect(personasFor(['member', 'secretariat'])).toEqual(['analyst', 'diplomat', 'capacity', 'secretariat']);
    expect(chosenPersona('diplomat', ['member'])).toBe('diplomat');
    expect(chosenPersona('secretariat', ['member'])).toBeNull();
    expect(chosenPersona('admin', ['member'])).toBeNull();
    expect(chosenPersona(null, ['member'])).toBeNull();
  });
});
