/**
 * A search term as LIKE/ILIKE text: its wildcards (% and _) and the escape character
 * (\, PostgreSQL's default) escaped, so that what a person types is matched literally
 * ("50%" finds "50%", not "50 anything").
 */
export function likeLiteral(term: string): string {
  return term.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** `%term%`, escaped: the pattern for "contains". */
export const likeContains = (term: string): string => `%${likeLiteral(term)}%`;
