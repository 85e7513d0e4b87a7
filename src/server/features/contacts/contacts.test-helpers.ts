import type { Database } from '../../db/connect.js';
import type { Tlp } from '../../platform/access/policy.js';
import { newId } from '../../platform/ids.js';
import './tables.js';

/** A point of contact straight into the database, for tests: the entry's marking and any field markings as given. */
export async function makeContact(
  db: Database['db'],
  c: {
    organisation: string;
    country: string;
    name: string;
    email: string;
    tlp?: Tlp;
    audience?: { organisations?: string[]; communities?: string[]; people?: string[] };
    author?: string | null;
    position?: string;
    phone?: string;
    fieldMarkings?: Record<string, { tlp: Tlp; audience: { organisations: string[]; communities: string[]; people: string[] } }>;
  },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('contacts')
    .values({
      id,
      organisation_id: c.organisation,
      country_code: c.country,
      kinds: ['technical'],
      full_name: c.name,
      ...(c.position !== undefined && { position: c.position }),
      languages: ['es'],
      emails: [c.email],
      phone: c.phone ?? null,
      status: 'active',
      tlp: c.tlp ?? 'GREEN',
      pap: 'GREEN',
      author_id: c.author ?? null,
      author_org_id: c.organisation,
      audience_organisations: c.audience?.organisations ?? [],
      audience_communities: c.audience?.communities ?? [],
      audience_people: c.audience?.people ?? [],
      field_markings: JSON.stringify(c.fieldMarkings ?? {}),
    })
    .execute();
  return id;
}
