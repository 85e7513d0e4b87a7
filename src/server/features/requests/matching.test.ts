import { describe, expect, it } from 'vitest';
import type { MatchableExpert } from '../experts/matchable.js';
import type { MatchableOffer } from '../offers/matchable.js';
import { aggregateProviders, conceptsIn, formatCode, scoreExpert, scoreOffer, WEIGHTS, type RequestNeed } from './matching.js';

const REGIONS: Record<string, 'EU' | 'LAC'> = { DO: 'LAC', CL: 'LAC', GT: 'LAC', ES: 'EU', EE: 'EU' };
const regionOf = (c: string) => REGIONS[c] ?? null;
const TODAY = '2026-12-01';

const need = (n: Partial<RequestNeed> = {}): RequestNeed => ({
  concepts: ['takeaways/7c', 'gfce-themes/b'],
  languages: ['es'],
  audiences: ['csirt-staff'],
  format: 'hybrid',
  country: 'DO',
  from: '2027-01-01',
  to: '2027-06-30',
  ...n,
});

const offer = (o: Partial<MatchableOffer> = {}): MatchableOffer => ({
  id: '00000000-0000-7000-8000-000000000001',
  title: 'CSIRT set-up',
  lang: 'en',
  type: 'assistance-csirt-soc',
  providerOrgId: 'org-te',
  providerName: 'Team Europe',
  partnerOrgIds: [],
  concepts: [],
  languages: [],
  format: 'online',
  audiences: [],
  countries: ['ES'],
  sessions: [],
  evaluation: null,
  ...o,
});

const expert = (e: Partial<MatchableExpert> = {}): MatchableExpert => ({
  id: '00000000-0000-7000-8000-000000000009',
  personId: 'p',
  name: 'Ana',
  organisationId: 'org-cl',
  organisationName: 'CSIRT Chile',
  skills: [],
  concepts: [],
  languages: [],
  countries: [],
  available: [],
  missions: { count: 0, meanEvaluation: null },
  ...e,
});

const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);

describe('scoring an offer against a request', () => {
  it('weighs every reason to at most 100 together', () => {
    expect(Object.values(WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    const perfect = scoreOffer(
      need(),
      offer({
        concepts: ['takeaways/7c', 'gfce-themes/b'],
        languages: ['es-419'],
        audiences: ['csirt-staff'],
        format: 'hybrid',
        countries: ['DO'],
        sessions: [{ id: 's', startsAt: '2027-02-01T09:00:00Z', endsAt: '2027-02-05T17:00:00Z', seats: 20, freeSeats: 5 }],
        evaluation: { count: 10, mean: 5 },
      }),
      regionOf,
      TODAY,
    );
    expect(perfect.score).toBe(100);
    expect(codes(perfect)).toEqual(['concepts', 'languages', 'country-eligible', 'audiences', 'format', 'sessions-in-timeframe', 'evaluation']);
  });

  it('says which concepts and languages are shared, and counts the share of the request covered', () => {
    const half = scoreOffer(need({ languages: [] }), offer({ concepts: ['gfce-themes/b', 'takeaways/1'] }), regionOf, TODAY);
    expect(half.reasons[0]).toEqual({ code: 'concepts', params: { concepts: ['gfce-themes/b'] } });
    expect(half.score).toBe(WEIGHTS.concepts / 2);
    const lang = scoreOffer(need({ concepts: [] }), offer({ languages: ['en', 'es'] }), regionOf, TODAY);
    expect(lang.reasons).toContainEqual({ code: 'languages', params: { languages: ['es'] } });
    expect(lang.score).toBe(WEIGHTS.languages);
  });

  it('gives an offer open to every country half the weight of one naming the requesting country', () => {
    const named = scoreOffer(need({ concepts: [], languages: [] }), offer({ countries: ['DO', 'GT'] }), regionOf, TODAY);
    const open = scoreOffer(need({ concepts: [], languages: [] }), offer({ countries: [] }), regionOf, TODAY);
    const elsewhere = scoreOffer(need({ concepts: [], languages: [] }), offer({ countries: ['CL'] }), regionOf, TODAY);
    expect([named.score, open.score, elsewhere.score]).toEqual([WEIGHTS.place, WEIGHTS.place / 2, 0]);
    expect(codes(named)).toEqual(['country-eligible']);
    expect(codes(open)).toEqual(['open-to-all-countries']);
  });

  it('counts sessions in the timeframe with free seats, and says when they are full; past sessions do not count', () => {
    const session = (startsAt: string, free: number) => ({ id: startsAt, startsAt: `${startsAt}T09:00:00Z`, endsAt: `${startsAt}T17:00:00Z`, seats: 10, freeSeats: free });
    const base = need({ concepts: [], languages: [], country: null });
    const open = scoreOffer(base, offer({ sessions: [session('2027-03-01', 2), session('2027-02-01', 3), session('2027-09-01', 9)] }), regionOf, TODAY);
    expect(open.reasons).toContainEqual({ code: 'sessions-in-timeframe', params: { sessions: 2, freeSeats: 5, first: '2027-02-01T09:00:00Z' } });
    const full = scoreOffer(base, offer({ sessions: [session('2027-03-01', 0)] }), regionOf, TODAY);
    expect(full.reasons).toContainEqual({ code: 'sessions-full', params: { sessions: 1 } });
    expect(full.score).toBe(open.score - WEIGHTS.timing);
    const past = scoreOffer(need({ from: null, to: null }), offer({ sessions: [session('2026-11-01', 5)] }), regionOf, TODAY);
    expect(codes(past)).not.toContain('sessions-in-timeframe');
  });

  it('takes a hybrid offer for any format asked, and compares in_person with in-person', () => {
    expect(formatCode('in_person')).toBe('in-person');
    const base = need({ concepts: [], languages: [], country: null, audiences: [] });
    expect(scoreOffer({ ...base, format: 'in-person' }, offer({ format: 'in_person' }), regionOf, TODAY).score).toBe(WEIGHTS.format);
    expect(scoreOffer({ ...base, format: 'online' }, offer({ format: 'hybrid' }), regionOf, TODAY).score).toBe(WEIGHTS.format);
    expect(scoreOffer({ ...base, format: 'in-person' }, offer({ format: 'online' }), regionOf, TODAY).score).toBe(0);
  });

  it('rates past evaluations, trusting several ratings more than one', () => {
    const base = need({ concepts: [], languages: [], country: null, audiences: [], format: null });
    const one = scoreOffer(base, offer({ evaluation: { count: 1, mean: 5 } }), regionOf, TODAY);
    const many = scoreOffer(base, offer({ evaluation: { count: 30, mean: 5 } }), regionOf, TODAY);
    const poor = scoreOffer(base, offer({ evaluation: { count: 30, mean: 1 } }), regionOf, TODAY);
    expect(many.score).toBe(WEIGHTS.evaluation);
    expect(one.score).toBeLessThan(many.score);
    expect(poor.score).toBe(0);
    expect(many.reasons).toEqual([{ code: 'evaluation', params: { mean: 5, count: 30 } }]);
  });
});

describe('scoring an expert against a request', () => {
  it('counts skill profiles asked for as concepts, and names them apart', () => {
    const e = scoreExpert(need({ concepts: ['gfce-themes/b', 'ecsf-roles/cyber-incident-responder'], languages: [] }), expert({ concepts: ['gfce-themes/b'], skills: ['ecsf-roles/cyber-incident-responder'] }), regionOf);
    expect(e.reasons.slice(0, 2)).toEqual([
      { code: 'concepts', params: { concepts: ['gfce-themes/b'] } },
      { code: 'skills', params: { skills: ['ecsf-roles/cyber-incident-responder'] } },
    ]);
    expect(e.score).toBe(WEIGHTS.concepts);
  });

  it('prefers experience in the country over experience in its region, and says which', () => {
    const base = need({ concepts: [], languages: [] });
    const here = scoreExpert(base, expert({ countries: ['DO'] }), regionOf);
    const region = scoreExpert(base, expert({ countries: ['CL', 'GT', 'ES'] }), regionOf);
    const none = scoreExpert(base, expert({ countries: ['ES'] }), regionOf);
    expect(here.reasons).toEqual([{ code: 'country-experience', params: { country: 'DO' } }]);
    expect(region.reasons).toEqual([{ code: 'region-experience', params: { region: 'LAC', countries: ['CL', 'GT'] } }]);
    expect(none.reasons).toEqual([]);
    expect(here.score).toBeGreaterThan(region.score);
    expect(region.score).toBeGreaterThan(0);
  });

  it('needs an availability window that meets the timeframe, and reports missions', () => {
    const base = need({ concepts: [], languages: [], country: null });
    const fits = scoreExpert(base, expert({ available: [{ from: '2026-11-01', to: '2027-01-15' }], missions: { count: 4, meanEvaluation: 4.5 } }), regionOf);
    expect(fits.reasons).toEqual([
      { code: 'available-in-timeframe', params: { from: '2026-11-01', to: '2027-01-15' } },
      { code: 'missions', params: { count: 4, mean: 4.5 } },
    ]);
    const late = scoreExpert(base, expert({ available: [{ from: '2027-07-01', to: '2027-08-01' }] }), regionOf);
    expect(late.score).toBe(0);
  });
});

describe('providers', () => {
  it('are scored by their best offer and a little more per further offer, best first', () => {
    const n = need();
    const a1 = offer({ id: 'a1', providerOrgId: 'A', providerName: 'A', concepts: ['takeaways/7c'] });
    const a2 = offer({ id: 'a2', providerOrgId: 'A', providerName: 'A', concepts: ['gfce-themes/b'] });
    const b1 = offer({ id: 'b1', providerOrgId: 'B', providerName: 'B', concepts: ['takeaways/7c', 'gfce-themes/b'] });
    const out = aggregateProviders([a1, a2, b1].map((o) => ({ offer: o, scored: scoreOffer(n, o, regionOf, TODAY) })));
    expect(out.map((p) => p.organisationId)).toEqual(['B', 'A']);
    expect(out[1]!.offerIds.sort()).toEqual(['a1', 'a2']);
    expect(out[1]!.reasons[0]).toEqual({ code: 'offers', params: { count: 2 } });
    expect(out[1]!.score).toBe(scoreOffer(n, a1, regionOf, TODAY).score + 3);
  });

  it('lists the concepts reasons name, once', () => {
    expect(conceptsIn([{ code: 'concepts', params: { concepts: ['a/b', 'c/d'] } }, { code: 'skills', params: { skills: ['a/b'] } }, { code: 'languages', params: { languages: ['es'] } }]).sort()).toEqual(['a/b', 'c/d']);
  });
});
