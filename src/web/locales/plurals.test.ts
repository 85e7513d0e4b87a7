// Counts are said with i18next plural forms (key_one, key_other, and key_many where CLDR has
// it: French, Spanish, Portuguese), never "1 personas" or "1 people".
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { flatten, keysUsedWithCount, LANGUAGES, loadCatalogue, PLURAL_SUFFIX, pluralCategories } from './catalogues.test-helpers';

const catalogues = Object.fromEntries(LANGUAGES.map((l) => [l, loadCatalogue(l)]));
const flat = Object.fromEntries(LANGUAGES.map((l) => [l, flatten(catalogues[l]!)])) as Record<(typeof LANGUAGES)[number], Map<string, unknown>>;
const used = keysUsedWithCount();

describe('plural forms', () => {
  it('finds the counted keys in the sources', () => {
    // A guard for the scan itself: these are known to be said with a count.
    for (const k of ['organisations.caption', 'home.organisationCount', 'communities.peopleCount', 'notes.redKeepsPeople', 'errors.retryAfter', 'intel.sightings.total']) expect([...used.keys()]).toContain(k);
  });

  for (const lang of LANGUAGES) {
    it(`every key used with a count has the forms ${lang} needs (${pluralCategories(lang).join(', ')}) and no bare form`, () => {
      const problems: string[] = [];
      for (const [key, files] of used) {
        const missing = pluralCategories(lang).filter((c) => !flat[lang].has(`${key}_${c}`));
        if (missing.length) problems.push(`${key} (${files[0]}): no ${missing.map((c) => `${key}_${c}`).join(', ')}`);
        if (flat[lang].has(key)) problems.push(`${key}: a bare form next to the plural forms`);
      }
      expect(problems).toEqual([]);
    });

    it(`${lang}: every plural key has all the forms ${lang} needs, and only those`, () => {
      const groups = new Map<string, string[]>();
      for (const k of flat[lang].keys()) {
        const m = PLURAL_SUFFIX.exec(k);
        if (m) groups.set(k.replace(PLURAL_SUFFIX, ''), [...(groups.get(k.replace(PLURAL_SUFFIX, '')) ?? []), m[1]!]);
      }
      const bad = [...groups].filter(([, forms]) => JSON.stringify(forms.sort()) !== JSON.stringify(pluralCategories(lang))).map(([k, forms]) => `${k}: ${forms.join(', ')}`);
      expect(bad).toEqual([]);
    });
  }

  it('i18next picks the right form in each language', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: catalogues[l] }])), lng: 'en', fallbackLng: false, interpolation: { escapeValue: false } });
    const say = (lng: string, key: string, count: number) => i18n.getFixedT(lng)(key, { count });
    expect(say('en', 'organisations.caption', 1)).toBe('1 organisation');
    expect(say('en', 'organisations.caption', 2)).toBe('2 organisations');
    expect(say('es', 'communities.peopleCount', 1)).toBe('1 persona');
    expect(say('es', 'communities.peopleCount', 3)).toBe('3 personas');
    expect(say('pt', 'home.replyCount', 1)).toBe('1 resposta');
    expect(say('pt', 'home.replyCount', 2)).toBe('2 respostas');
    expect(say('fr', 'organisations.caption', 1)).toBe('1 organisation');
    expect(say('fr', 'organisations.caption', 1_000_000)).toBe('1000000 organisations');
    expect(say('en', 'communities.peopleCount', 1)).toBe('1 person');
  });
});
