/**
 * Pure checks for organisation profiles: CIDR ranges, hostnames, time zones,
 * dates (shared with the web app), image types by their magic bytes, and the
 * choice of a description language. No database here (see profile.test.ts).
 */
import { UI_LANGUAGES } from '#shared/languages';
import type { LogoType } from '#shared/profile';

// The checks the web form runs too live in src/shared; the service keeps importing them from here.
export { ASN_MAX, isAsn, isPastDate, isTimeZone, isWebsite, LOGO_MAX_BYTES, LOGO_TYPES, parseCidr, parseDomain } from '#shared/profile';
export { UI_LANGUAGES };

/** The image type its first bytes say it is (PNG, JPEG, WebP), or null. SVG and everything else: null. */
export function sniffImage(b: Buffer): LogoType | null {
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/**
 * The description to show: in the viewer's language, else the organisation's
 * first language that has one, else any (English first), else the legacy text.
 */
export function pickDescription(
  descriptions: Record<string, string>,
  viewerLanguage: string | null,
  orgLanguages: string[],
  legacy: string,
): { text: string; language: string | null } {
  const has = (l: string | null | undefined): l is string => !!l && !!descriptions[l];
  if (has(viewerLanguage)) return { text: descriptions[viewerLanguage], language: viewerLanguage };
  const own = orgLanguages.find(has);
  if (own) return { text: descriptions[own], language: own };
  const any = [...UI_LANGUAGES, ...Object.keys(descriptions).sort()].find(has);
  if (any) return { text: descriptions[any], language: any };
  return { text: legacy, language: null };
}
