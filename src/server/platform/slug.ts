/**
 * Addresses on the public portal (`/records/{slug}`, `/practices/{slug}`): the words of a title,
 * accents dropped, then the end of the id (its random part; ids start with their time). The id
 * part keeps slugs unique without looking at other records — a "-2" after a taken slug would
 * tell its writer that something with that title exists, even something they may not see.
 */
export function slugWords(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `words` cut to `max` characters (no trailing hyphen), then the id's last 8 hex digits. */
export const slugOf = (id: string, words: string, max: number) => `${words.slice(0, max).replace(/-+$/, '')}-${id.replace(/-/g, '').slice(-8)}`;
