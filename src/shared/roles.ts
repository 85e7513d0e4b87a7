/**
 * What a person may do beyond reading as a member: administer their organisation, translate
 * its content (the translation queue, XLIFF), or run the platform (the secretariat).
 * Migration 0020 holds the `people.roles` CHECK to this list; database.test.ts checks they agree.
 */
export const ROLES = ['member', 'org_admin', 'translator', 'secretariat'] as const;
export type Role = (typeof ROLES)[number];
