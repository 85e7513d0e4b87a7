import { describe, expect, it } from 'vitest';
import { personaOf } from './persona.js';

const member = (organisationType: string | null, contactKinds: string[] = [], roles = ['member']) => personaOf({ roles, organisationType, contactKinds });

describe('personaOf', () => {
  it('the secretariat role comes first, whatever the organisation or contact kinds', () => {
    expect(personaOf({ roles: ['member', 'secretariat'], organisationType: 'national_csirt', contactKinds: ['technical'] })).toEqual({ persona: 'secretariat', basis: 'role' });
  });

  it('follows the organisation type when the person is no point of contact', () => {
    expect(member('mfa')).toEqual({ persona: 'diplomat', basis: 'organisation' });
    expect(member('national_csirt')).toEqual({ persona: 'analyst', basis: 'organisation' });
    expect(member('national_cyber_agency').persona).toBe('analyst');
    expect(member('team_europe_agency')).toEqual({ persona: 'capacity', basis: 'organisation' });
    expect(member('private_sector').persona).toBe('analyst');
    // org_admin says nothing of the persona.
    expect(member('mfa', [], ['member', 'org_admin']).persona).toBe('diplomat');
  });

  it('the kinds of contact the person is decide before the organisation type', () => {
    expect(member('national_csirt', ['diplomatic'])).toEqual({ persona: 'diplomat', basis: 'contact' });
    expect(member('mfa', ['capacity_building']).persona).toBe('capacity');
    expect(member('academia', ['technical', 'operational_24_7'])).toEqual({ persona: 'analyst', basis: 'contact' });
  });

  it('among several kinds the organisation type picks; crisis management alone says nothing', () => {
    expect(member('mfa', ['technical', 'diplomatic']).persona).toBe('diplomat');
    expect(member('national_csirt', ['technical', 'diplomatic']).persona).toBe('analyst');
    expect(member('civil_society', ['technical', 'diplomatic']).persona).toBe('analyst');
    expect(member('mfa', ['crisis_management'])).toEqual({ persona: 'diplomat', basis: 'organisation' });
  });

  it('an unknown organisation type falls back to the analyst view', () => {
    expect(member(null)).toEqual({ persona: 'analyst', basis: 'default' });
    expect(member('something_new')).toEqual({ persona: 'analyst', basis: 'default' });
  });
});
