import { IATI_ORGANISATION_ROLES, type PartnerRole } from '#shared/capacity';
import type { Actor } from '../../platform/actor.js';
import { conceptLabels } from '../../platform/concepts.js';
import type { Platform } from '../../platform/deps.js';
import { translationsOf } from '../../platform/translations.js';
import { xmlAttr, xmlText } from '../../platform/xml.js';
import { ORG_TYPE, puenteOrgRef } from './iati-codes.js';
import type { OfferRow } from './repository.js';
import { allOffers, filtersOf, type ListQuery, type TextField } from './service.js';

/**
 * The catalogue as an IATI 2.03 activity file (iatistandard.org): one `iati-activity` per offer
 * the reader may see under the list's filters — published and closed offers, never drafts. It
 * validates against the IATI schema (offers.int.test.ts runs xmllint with the XSD).
 *
 * Mapping: the provider is the reporting organisation, and a participating organisation in the
 * role it holds (extending, 3, unless its partners list says otherwise); each partner is a
 * participating organisation with its role code (1 funding … 4 implementing); titles and
 * summaries are narratives in every language version; sessions give the planned start and end;
 * eligible countries are recipient countries; concepts are sectors in the reporting
 * organisation's own vocabulary (99), whose codes are Puente's concept tags.
 */

/** Most activities in one file: a larger catalogue is exported filtered. */
export const IATI_EXPORT_MAX = 20_000;



const narratives = (items: { lang: string; text: string }[], indent: string) =>
  items
    .filter((x) => x.text.trim())
    .map((x) => `${indent}<narrative xml:lang="${xmlAttr(x.lang)}">${xmlText(x.text)}</narrative>`)
    .join('\n');

/** Every language version of a field: the source first, then each translation. */
function versionsOf(r: OfferRow, field: TextField, column: string): { lang: string; text: string }[] {
  const source = (r as unknown as Record<string, string>)[column] ?? '';
  const out = [{ lang: r.language, text: source }];
  for (const [lang, t] of Object.entries(translationsOf<TextField>(r.translations))) out.push({ lang, text: t.fields[field] ?? '' });
  return out;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const plain = (s: string) => s.replace(/[#>*_`|~]+/g, ' ').replace(/\s+/g, ' ').trim();

export async function exportIati(p: Platform, actor: Actor, q: ListQuery & { include?: 'assistance' }): Promise<string> {
  const f = filtersOf(q);
  // Completed assistance (features/capacity/iati.ts) answers to the filters a request has: concept, country, language, format, dates.
  const assistance =
    q.include === 'assistance'
      ? await (await import('../capacity/iati.js')).assistanceActivities(p, actor, { concept: f.concept, country: f.country, language: f.language, format: f.format, from: f.from, to: f.to }, IATI_EXPORT_MAX)
      : [];
  // Drafts are their provider's work in progress, never reported.
  const status = f.status === 'draft' ? 'draft' : (f.status ?? 'open');
  const { rows, details } = status === 'draft' ? { rows: [], details: null } : await allOffers(p, actor, { ...f, status }, IATI_EXPORT_MAX);
  const labels = await conceptLabels(p.db, [...new Set(rows.flatMap((r) => r.concepts))]);
  const base = p.config.baseUrl;
  const now = new Date();
  const activity = (r: OfferRow) => {
    const sessions = details!.sessions(r.id);
    const partners = details!.partners(r.id);
    const providerRef = r.provider_ref ?? puenteOrgRef(r.author_org_id!);
    const providerType = ORG_TYPE[r.org_type] ?? '90';
    const providerRoles = partners.filter((x) => x.organisation?.id === r.author_org_id).map((x) => x.role);
    const orgs: { ref: string | null; type: string | null; role: PartnerRole; name: string }[] = [
      ...(providerRoles.length ? [] : [{ ref: providerRef, type: providerType, role: 'extending' as const, name: r.org_name }]),
      ...partners.map((x) =>
        x.organisation
          ? { ref: x.organisation.id === r.author_org_id ? providerRef : (x.iatiRef ?? puenteOrgRef(x.organisation.id)), type: x.iatiType ?? ORG_TYPE[partnerType(x.organisation.id)] ?? null, role: x.role, name: x.name }
          : { ref: x.iatiRef, type: x.iatiType, role: x.role, name: x.name },
      ),
    ];
    const starts = sessions.map((s) => s.startsAt).sort();
    const ends = sessions.map((s) => s.endsAt).sort();
    const allOver = ends.length > 0 && Date.parse(ends.at(-1)!) < now.getTime();
    // 2 implementation; a closed offer is in finalisation (3) until its last session is over, then closed (4).
    const activityStatus = r.status === 'closed' ? (allOver || !ends.length ? '4' : '3') : '2';
    const dates = starts.length
      ? [`      <activity-date type="1" iso-date="${starts[0]!.slice(0, 10)}"/>`, `      <activity-date type="3" iso-date="${ends.at(-1)!.slice(0, 10)}"/>`]
      : [`      <activity-date type="1" iso-date="${day(r.published_at ?? r.created_at)}"/>`];
    const summaries = versionsOf(r, 'summary', 'summary').map((v, i) => ({ lang: v.lang, text: plain(v.text) || plain(versionsOf(r, 'description', 'description')[i]?.text ?? '').slice(0, 2000) }));
    const descriptions = summaries.some((x) => x.text) ? summaries : versionsOf(r, 'title', 'title');
    return [
      `  <iati-activity last-updated-datetime="${r.updated_at.toISOString().replace(/\.\d{3}Z$/, 'Z')}" xml:lang="${xmlAttr(r.language)}">`,
      `    <iati-identifier>${xmlText(`${providerRef}-${r.id}`)}</iati-identifier>`,
      `    <reporting-org ref="${xmlAttr(providerRef)}" type="${providerType}">`,
      `      <narrative>${xmlText(r.org_name)}</narrative>`,
      '    </reporting-org>',
      '    <title>',
      narratives(versionsOf(r, 'title', 'title'), '      '),
      '    </title>',
      '    <description type="1">',
      narratives(descriptions, '      '),
      '    </description>',
      ...orgs.map((o) =>
        [
          `    <participating-org role="${IATI_ORGANISATION_ROLES[o.role]}"${o.ref ? ` ref="${xmlAttr(o.ref)}"` : ''}${o.type ? ` type="${xmlAttr(o.type)}"` : ''}>`,
          `      <narrative>${xmlText(o.name)}</narrative>`,
          '    </participating-org>',
        ].join('\n'),
      ),
      `    <activity-status code="${activityStatus}"/>`,
      ...dates.map((d) => d.slice(2)),
      ...r.countries.map((c) => `    <recipient-country code="${xmlAttr(c)}"/>`),
      ...r.concepts.map((c) => {
        const l = labels.get(c) ?? {};
        const label = l.en ?? Object.values(l)[0] ?? c;
        return [
          `    <sector vocabulary="99" vocabulary-uri="${xmlAttr(`${base}/vocabularies/${c.split('/')[0]}`)}" code="${xmlAttr(c)}">`,
          `      <narrative xml:lang="en">${xmlText(label)}</narrative>`,
          '    </sector>',
        ].join('\n');
      }),
      r.collaboration_type ? `    <collaboration-type code="${xmlAttr(r.collaboration_type)}"/>` : null,
      r.flow_type ? `    <default-flow-type code="${xmlAttr(r.flow_type)}"/>` : null,
      r.aid_type ? `    <default-aid-type code="${xmlAttr(r.aid_type)}" vocabulary="1"/>` : null,
      `    <document-link format="text/html" url="${xmlAttr(`${base}/offers/${r.slug}`)}">`,
      '      <title>',
      narratives(versionsOf(r, 'title', 'title').slice(0, 1), '        '),
      '      </title>',
      '      <category code="A01"/>',
      '    </document-link>',
      '  </iati-activity>',
    ]
      .filter((x) => x !== null && x !== '')
      .join('\n');
  };
  const partnerTypes = new Map<string, string>();
  const partnerIds = [...new Set(rows.flatMap((r) => details!.partners(r.id).flatMap((x) => (x.organisation ? [x.organisation.id] : []))))];
  if (partnerIds.length) for (const o of await p.db.selectFrom('organisations').select(['id', 'type']).where('id', 'in', partnerIds).execute()) partnerTypes.set(o.id, o.type);
  const partnerType = (id: string) => partnerTypes.get(id) ?? '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- Published with Puente. Format: IATI Standard 2.03 (http://iatistandard.org/), CC BY 4.0. -->',
    `<iati-activities version="2.03" generated-datetime="${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}">`,
    ...rows.map(activity),
    ...assistance,
    '</iati-activities>',
    '',
  ].join('\n');
}
