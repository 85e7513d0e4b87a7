/**
 * Import of points of contact: CSV (the columns of the CSV export), vCard 4.0 and
 * 3.0 (vcard-read.ts), the JSON export, FIRST-style and CSIRTs-Network-style team
 * records (a JSON array). A preview answers per
 * row; a commit writes every row in one transaction, or nothing when any row
 * has an error. The same rules as creating entries one by one apply (org admins
 * for their organisation's technical, 24/7 and capacity-building contacts;
 * national focal points for their country's diplomatic and crisis contacts,
 * which become nominations). A row matching an existing entry the importer
 * sees (organisation + e-mail, else organisation + full name) updates it, or
 * is reported unchanged: importing the same file twice adds nothing.
 *
 * The file is read into rows by import-read.ts (team records: import-teams.ts) and
 * checked against the directory by import-check.ts; the preview and the commit are here.
 */
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { audienceColumns, normaliseAudience, type Tlp } from '../../platform/access/policy.js';
import { requireVetted } from '../../platform/auth/principal.js';
import { plan, type Plan } from './import-check.js';
import { decode, fromCsv, fromJson, IMPORT_MAX_ROWS, type ImportFormat, type ImportOptions } from './import-read.js';
import { fromTeams } from './import-teams.js';
import { fromVcards } from './vcard-read.js';
import { COUNTRY_KINDS, type Kind } from './service.js';

function rowResult(pl: Plan) {
  const d = pl.draft;
  const ok = d.errors.length === 0;
  return {
    row: d.row,
    status: ok ? ('ok' as const) : ('error' as const),
    action: ok ? pl.action : null,
    existingId: pl.existing?.id ?? null,
    changed: pl.changed,
    errors: d.errors,
    warnings: d.warnings,
    contact: {
      organisation: pl.orgId ? { id: pl.orgId, name: pl.orgName ?? '' } : null,
      organisationName: d.organisation,
      country: d.country,
      fullName: d.fullName,
      kinds: d.kinds ?? [],
      ...(d.position !== undefined && { position: d.position }),
      ...(d.emails !== undefined && { emails: d.emails }),
      ...(d.phone !== undefined && { phone: d.phone }),
      ...(d.emergencyPhone !== undefined && { emergencyPhone: d.emergencyPhone }),
      ...(d.languages !== undefined && { languages: d.languages }),
      ...(d.timeZone !== undefined && { timeZone: d.timeZone }),
      ...(d.website !== undefined && { website: d.website }),
      openpgpFingerprint: pl.keyCols?.pgp_fingerprint ?? null,
    },
  };
}

function summary(plans: Plan[]) {
  const rows = plans.map(rowResult);
  const n = (a: string) => rows.filter((r) => r.action === a).length;
  return { rows, total: rows.length, errors: rows.filter((r) => r.status === 'error').length, create: n('create'), update: n('update'), unchanged: n('unchanged') };
}

async function read(p: Platform, actor: Actor, body: Buffer, format: ImportFormat, opts: ImportOptions) {
  requireVetted(actor);
  const text = decode(body);
  const drafts = format === 'csv' ? fromCsv(text) : format === 'vcard' ? await fromVcards(text, { maxCards: IMPORT_MAX_ROWS, kind: opts.kind }) : format === 'json' ? fromJson(text) : fromTeams(text, format);
  if (drafts.length === 0) throw new AppError('CSV_MALFORMED', 'The file holds no rows');
  return plan(p, actor, drafts);
}

export async function previewImport(p: Platform, actor: Actor, body: Buffer, format: ImportFormat, opts: ImportOptions = {}) {
  return summary(await read(p, actor, body, format, opts));
}

export async function commitImport(p: Platform, actor: Actor, body: Buffer, format: ImportFormat, opts: ImportOptions = {}) {
  const pr = requireVetted(actor);
  const plans = await read(p, actor, body, format, opts);
  const result = summary(plans);
  if (result.errors > 0)
    throw new AppError('IMPORT_INVALID', `${result.errors} of ${result.total} rows have errors; nothing was imported`, { rows: result.rows.filter((r) => r.status === 'error') });
  const ids: string[] = [];
  await change(p, async (c) => {
    for (const pl of plans) {
      const d = pl.draft;
      const kinds = [...new Set(d.kinds ?? [])];
      const country = kinds.some((k) => COUNTRY_KINDS.includes(k as Kind));
      if (pl.action === 'create') {
        const id = newId();
        const tlp = (d.tlp ?? 'GREEN') as Tlp;
        const audience = normaliseAudience(tlp, undefined);
        const status = country ? 'nominated' : 'active';
        await c.trx
          .insertInto('contacts')
          .values({
            id,
            organisation_id: pl.orgId!,
            country_code: d.country,
            kinds,
            full_name: d.fullName,
            is_team_mailbox: d.isTeamMailbox ?? false,
            position: d.position ?? '',
            languages: [...new Set(d.languages ?? [])],
            time_zone: d.timeZone ?? null,
            emails: [...new Set(d.emails ?? [])],
            phone: d.phone ?? null,
            emergency_phone: d.emergencyPhone ?? null,
            availability: d.availability ?? null,
            secure_channels: JSON.stringify(d.secureChannels ?? []),
            ...pl.keyCols,
            field_markings: JSON.stringify({}),
            valid_until: d.validUntil ?? null,
            website: d.website ?? null,
            last_confirmed_by: pr.person.id,
            status,
            nominated_by: pr.person.id,
            tlp,
            pap: 'GREEN',
            author_id: pr.person.id,
            author_org_id: pl.orgId!,
            ...audienceColumns(audience),
          })
          .execute();
        ids.push(id);
        await c.audit({
          action: status === 'nominated' ? 'contact.nominated' : 'contact.created',
          ...auditActor(actor),
          organisationId: pl.orgId,
          targetType: 'contact',
          targetId: id,
          details: { kinds, country: d.country, tlp, source: 'import', format, row: d.row },
        });
      } else if (pl.action === 'update') {
        const ex = pl.existing!;
        const gains = ex.status === 'active' && country && !ex.kinds.some((k) => COUNTRY_KINDS.includes(k as Kind));
        const tlp = (d.tlp ?? ex.tlp) as Tlp;
        const audience = tlp === ex.tlp ? null : normaliseAudience(tlp, undefined);
        await c.trx
          .updateTable('contacts')
          .set({
            kinds,
            full_name: d.fullName,
            ...(d.position !== undefined && { position: d.position }),
            ...(d.isTeamMailbox !== undefined && { is_team_mailbox: d.isTeamMailbox }),
            ...(d.languages !== undefined && { languages: [...new Set(d.languages)] }),
            ...(d.timeZone !== undefined && { time_zone: d.timeZone }),
            ...(d.emails !== undefined && { emails: [...new Set(d.emails)] }),
            ...(d.phone !== undefined && { phone: d.phone }),
            ...(d.emergencyPhone !== undefined && { emergency_phone: d.emergencyPhone }),
            ...(d.availability !== undefined && { availability: d.availability }),
            ...(d.secureChannels !== undefined && { secure_channels: JSON.stringify(d.secureChannels) }),
            ...pl.keyCols,
            ...(d.validUntil !== undefined && { valid_until: d.validUntil }),
            ...(d.website !== undefined && { website: d.website }),
            ...(audience && { tlp, ...audienceColumns(audience) }),
            ...(gains && { status: 'nominated' }),
            updated_at: new Date(),
          })
          .where('id', '=', ex.id)
          .execute();
        ids.push(ex.id);
        await c.audit({
          action: 'contact.updated',
          ...auditActor(actor),
          organisationId: ex.organisation_id,
          targetType: 'contact',
          targetId: ex.id,
          details: { changed: pl.changed, source: 'import', format, row: d.row },
        });
      }
    }
    await c.audit({
      action: 'contact.imported',
      ...auditActor(actor),
      organisationId: pr.organisation.id,
      targetType: 'contacts',
      details: { format, rows: result.total, created: result.create, updated: result.update, unchanged: result.unchanged },
    });
  });
  return { ...result, ids };
}
