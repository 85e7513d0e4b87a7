/**
 * Exports of the directory: vCard 4.0, CSV and JSON. Every format is built
 * from service.contactView, the same view the JSON API answers with, so a
 * field withheld from the viewer never appears in any export. Exports are
 * audited (format, filters and count; never contents).
 */
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { requirePrincipal } from '../../platform/auth/principal.js';
import { searchContacts, type ContactFilters } from './repository.js';
import { contactView, flaggedFor, getContact, powersOf } from './service.js';
import { writeCsv } from '../../platform/csv.js';
import { vcardOf, vcardsOf } from './vcard.js';

export type ContactView = ReturnType<typeof contactView>;
export type ExportFormat = 'vcf' | 'csv' | 'json';

/** The most entries one export holds. */
export const EXPORT_MAX = 10_000;

export const CSV_COLUMNS = [
  'id',
  'organisation',
  'country',
  'fullName',
  'position',
  'kinds',
  'isTeamMailbox',
  'emails',
  'phone',
  'emergencyPhone',
  'availability',
  'secureChannels',
  'languages',
  'timeZone',
  'openpgpKey',
  'openpgpFingerprint',
  'website',
  'validUntil',
  'tlp',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** One entry as a CSV record; withheld fields are empty. Lists: ';' between items; secure channels one per line as "type: address". */
export function csvRecord(c: ContactView): string[] {
  const cells: Record<CsvColumn, string> = {
    id: c.id,
    organisation: c.organisation.name,
    country: c.country,
    fullName: c.fullName,
    position: c.position,
    kinds: c.kinds.join(';'),
    isTeamMailbox: c.isTeamMailbox ? 'yes' : 'no',
    emails: (c.emails ?? []).join(';'),
    phone: c.phone ?? '',
    emergencyPhone: c.emergencyPhone ?? '',
    availability: c.availability ?? '',
    secureChannels: (c.secureChannels ?? []).map((s) => `${s.type}: ${s.address}`).join('\n'),
    languages: c.languages.join(';'),
    timeZone: c.timeZone ?? '',
    openpgpKey: c.openpgpKey?.armored ?? '',
    openpgpFingerprint: c.openpgpFingerprint ?? '',
    website: c.website ?? '',
    validUntil: c.validUntil ?? '',
    tlp: c.tlp,
  };
  return CSV_COLUMNS.map((k) => cells[k]);
}

const cleanFilters = (f: ContactFilters) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== ''));

async function audit(p: Platform, actor: Actor, format: ExportFormat, filters: object, count: number, targetId?: string) {
  await change(p, async (c) => {
    await c.audit({
      action: 'export.performed',
      ...auditActor(actor),
      organisationId: actor.principal?.organisation.id ?? null,
      targetType: targetId ? 'contact' : 'contacts',
      targetId: targetId ?? null,
      details: { feature: 'contacts', format, filters, count },
    });
  });
}

export async function exportContacts(p: Platform, actor: Actor, f: ContactFilters & { page?: number; pageSize?: number }, format: ExportFormat) {
  const pr = requirePrincipal(actor);
  const { page: _page, pageSize: _size, ...filters } = f;
  const powers = await powersOf(p.db, pr);
  const { rows } = await searchContacts(p.db, pr.viewer, filters, 1, EXPORT_MAX);
  const flagged = await flaggedFor(p.db, pr, rows);
  const items = rows.map((r) => contactView(pr, powers, r, flagged.has(r.id)));
  await audit(p, actor, format, cleanFilters(filters), items.length);
  if (format === 'vcf') return vcardsOf(items);
  if (format === 'csv') return writeCsv(CSV_COLUMNS, items.map(csvRecord));
  return { exportedAt: new Date().toISOString(), filters: cleanFilters(filters), count: items.length, items };
}

export async function exportOneVcard(p: Platform, actor: Actor, id: string) {
  const c = await getContact(p, actor, id);
  await audit(p, actor, 'vcf', { id }, 1, id);
  return { card: vcardOf(c), name: c.fullName };
}

/** A safe file name for Content-Disposition. */
export const fileName = (base: string, ext: string) => `${base.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'contact'}.${ext}`;
