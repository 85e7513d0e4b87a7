// Who may take which step of a request (platform/access/abilities.ts requestAbilities): the same
// function answers the API's `can` and the service's 403.
import { describe, expect, it } from 'vitest';
import { requestAbilities, type Actor } from '../../platform/access/abilities.js';

const actor = (o: Partial<Actor> = {}): Actor => ({ personId: 'p', organisationId: 'org', vetted: true, roles: ['member'], communityIds: [], ...o });
const request = (o: Partial<Parameters<typeof requestAbilities>[1]> = {}) => ({ authorId: 'author', authorOrgId: 'req-org', status: 'open', chosenOrgId: null, coordinated: false, ...o });

describe('request abilities', () => {
  it('let the secretariat triage and open, and convene once, never write in it', () => {
    const s = actor({ roles: ['member', 'secretariat'], organisationId: 'sec' });
    expect(requestAbilities(s, request({ status: 'submitted' }))).toMatchObject({ triage: true, own: false, deliver: false, evaluate: false });
    expect(requestAbilities(s, request({ status: 'open' }))).toMatchObject({ triage: false, convene: true });
    expect(requestAbilities(s, request({ status: 'open', coordinated: true })).convene).toBe(false);
    expect(requestAbilities(s, request({ status: 'completed' })).convene).toBe(false);
  });

  it('let the author and their organisation admins choose, deliver and evaluate; a plain colleague none of it', () => {
    expect(requestAbilities(actor({ personId: 'author', organisationId: 'req-org' }), request({ status: 'completed' }))).toMatchObject({ own: true, evaluate: true, deliver: false });
    expect(requestAbilities(actor({ organisationId: 'req-org', roles: ['member', 'org_admin'] }), request({ status: 'matched' }))).toMatchObject({ own: true, deliver: true });
    expect(requestAbilities(actor({ organisationId: 'req-org' }), request({ status: 'matched' }))).toMatchObject({ own: false, deliver: false });
  });

  it('let another organisation’s admin answer an open request, and the chosen one’s admins deliver it', () => {
    const admin = actor({ organisationId: 'prov', roles: ['member', 'org_admin'] });
    expect(requestAbilities(admin, request()).answer).toBe(true);
    expect(requestAbilities(admin, request({ status: 'triaged' })).answer).toBe(false);
    expect(requestAbilities(actor({ organisationId: 'prov' }), request()).answer).toBe(false);
    expect(requestAbilities(actor({ organisationId: 'req-org', roles: ['member', 'org_admin'] }), request()).answer).toBe(false);
    expect(requestAbilities(admin, request({ status: 'in-delivery', chosenOrgId: 'prov' })).deliver).toBe(true);
    expect(requestAbilities(admin, request({ status: 'in-delivery', chosenOrgId: 'other' })).deliver).toBe(false);
  });

  it('give nothing to someone unvetted, whatever their roles', () => {
    const u = actor({ vetted: false, personId: 'author', organisationId: 'req-org', roles: ['member', 'org_admin', 'secretariat'] });
    expect(Object.values(requestAbilities(u, request({ status: 'submitted' }))).some(Boolean)).toBe(false);
    expect(Object.values(requestAbilities(null, request())).some(Boolean)).toBe(false);
  });
});
