import { describe, expect, it } from 'vitest';
import { bodyOf, emptyForm, problemsOf, subsectorsWithin, withoutOrganisation, type IncidentForm, type Marking } from './form';

const zone = 'America/Bogota';
const now = new Date('2026-12-07T15:00:00Z'); // 10:00 in Bogotá
const marking: Marking = { tlp: 'AMBER', pap: 'AMBER', audience: { organisations: ['csirt-co'], communities: ['americas'], people: ['p1'] } };
const filled = (patch: Partial<IncidentForm> = {}): IncidentForm => ({ ...emptyForm('es', now, zone), title: 'Ransomware', category: 'malicious-code', rsitClass: 'malicious-code/infected-system', ...patch });

describe('the incident form', () => {
  it('starts with the moment of awareness at now, in the person’s time zone', () => {
    expect(emptyForm('es', now, zone).awareAt).toBe('2026-12-07T10:00');
    expect(emptyForm('es', now, 'Europe/Madrid').awareAt).toBe('2026-12-07T16:00');
  });

  it('says what is missing or impossible, by field', () => {
    expect(problemsOf(filled(), zone, now)).toEqual({});
    expect(problemsOf({ ...emptyForm('en', now, zone), awareAt: '' }, zone, now)).toEqual({ title: 'title', rsitClass: 'rsit', awareAt: 'awareAt' });
    expect(problemsOf(filled({ awareAt: '2026-12-08T10:00' }), zone, now)).toEqual({ awareAt: 'future' });
    expect(problemsOf(filled({ startedAt: '2026-12-06T10:00', endedAt: '2026-12-05T10:00' }), zone, now)).toEqual({ endedAt: 'endedBeforeStart' });
    expect(problemsOf(filled({ startedAt: 'yesterday' }), zone, now)).toEqual({ startedAt: 'time' });
    expect(problemsOf(filled({ usersAffected: '12k' }), zone, now)).toEqual({ usersAffected: 'number' });
  });

  it('keeps subsectors only while their sector is chosen', () => {
    expect(subsectorsWithin(['energy'], ['electricity', 'rail', 'gas'])).toEqual(['electricity', 'gas']);
    expect(subsectorsWithin([], ['electricity'])).toEqual([]);
  });

  it('sends times as instants read in the person’s zone, empty choices as null, and the audience the level allows', () => {
    const body = bodyOf(filled({ startedAt: '2026-12-06T22:30', sectors: ['energy'], subsectors: ['electricity', 'rail'], usersAffected: ' 1200 ', impactSeverity: 'red' }), marking, zone, true);
    expect(body).toMatchObject({
      title: 'Ransomware',
      language: 'es',
      rsitClass: 'malicious-code/infected-system',
      awareAt: '2026-12-07T15:00:00.000Z',
      startedAt: '2026-12-07T03:30:00.000Z',
      endedAt: null,
      rootCause: null,
      impactSeverity: 'red',
      subsectors: ['electricity'],
      usersAffected: 1200,
      exercise: false,
      tlp: 'AMBER',
      audience: { organisations: ['csirt-co'], communities: ['americas'], people: [] },
    });
    expect(bodyOf(filled(), { ...marking, tlp: 'AMBER+STRICT' }, zone, true).audience).toEqual({ organisations: ['csirt-co'], communities: [], people: [] });
    expect(bodyOf(filled(), { ...marking, tlp: 'GREEN' }, zone, true).audience).toEqual({ organisations: [], communities: [], people: [] });
    // Whether a report is an exercise one is said once, when it is made.
    expect('exercise' in bodyOf(filled(), marking, zone, false)).toBe(false);
  });

  it('leaves the owner organisation, always in the audience, out of the pickers', () => {
    expect(withoutOrganisation({ organisations: ['owner', 'csirt-co'], communities: ['americas'], people: [] }, 'owner')).toEqual({ organisations: ['csirt-co'], communities: ['americas'], people: [] });
  });
});
