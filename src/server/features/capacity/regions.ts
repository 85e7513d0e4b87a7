import { t, type UiLanguage } from '../../platform/i18n.js';

/** A region's name in the reader's language, with its UN M49 subregion when there is one (the dashboard, its CSV and its PDF). */
export function regionLabel(lang: UiLanguage, region: string, subregion: string | null) {
  const r = t(lang, `capacity.region.${region}`);
  if (!subregion) return r;
  const key = `capacity.subregion.${subregion.replace(/ /g, '')}`;
  let sub: string;
  try {
    sub = t(lang, key);
  } catch {
    sub = subregion;
  }
  return `${r} — ${sub}`;
}
