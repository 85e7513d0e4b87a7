import { IATI_ORGANISATION_ROLES, type PartnerRole } from '#shared/capacity';
import type { Actor } from '../../platform/actor.js';
import { ANONYMOUS } from '../../platform/access/policy.js';
import { hasRole } from '../../platform/auth/principal.js';
import { conceptLabels } from '../../platform/concepts.js';
import type { Platform } from '../../platform/deps.js';
import { translationsOf } from '../../platform/translations.js';
import { xmlAttr, xmlText } from '../../platform/xml.js';
import { ORG_TYPE, puenteOrgRef } from '../offers/iati-codes.js';
import { chosenInterest, completedAssistance, firstSteps, memberStates, organisationsFor, proposedOfferPartners } from './repository.js';

/**
 * Completed assistance as IATI 2.03 activities, for the offers' activity file with
 * `include=assistance` (features/offers/iati.ts): one `iati-activity` per request, completed or
 * evaluated, that the reader may see, together with the expression of interest the requester
 * chose — that answer names who delivered, and it is marked on its own (the requester, the
 * secretariat and the answering organisations), so a reader who may see the request but not the
 * answer gets no activity for it rather than one without its organisations.
 *
 * Mapping: the answering organisation reports it and is a participating organisation in the
 * implementing role (4), as are its partners in the answer; the partners of the offers the answer
 * proposed (those the reader may see) join with the IATI roles recorded on the offer (funding,
 * accountable, extending, implementing). The country helped is the recipient country; concepts are
 * sectors in Puente's vocabulary (99); started (2) when delivery started, ended (4) when it was
 * completed; status finalisation (3), or closed (4) once evaluated; technical assistance (D02).
 * An EU and a LAC organisation together helping a third LAC country is triangular cooperation (8).
 */

export interface AssistanceFilters {
  concept?: string;
  country?: string;
  language?: string;
  format?: string;
  from?: Date;
  to?: Date;
}

const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;
const isSecretariat = (actor: Actor) => !!actor.principal && actor.principal.viewer.vetted && hasRole(actor.principal, 'secretariat');
const plain = (s: string) => s.replace(/[#>*_`|~]+/g, ' ').replace(/\s+/g, ' ').trim();
const day = (d: Date) => d.toISOString().slice(0, 10);

const narratives = (items: { lang: string; text: string }[], indent: string) =>
  items
    .filter((x) => x.text.trim())
    .map((x) => `${indent}<narrative xml:lang="${xmlAttr(x.lang)}">${xmlText(x.text)}</narrative>`)
    .join('\n');

export async function assistanceActivities(p: Platform, actor: Actor, f: AssistanceFilters, limit: number): Promise<string[]> {
  const viewer = viewerOf(actor);
  const rows = await completedAssistance(p.db, viewer, isSecretariat(actor), f, limit);
  const chosen = new Map<string, NonNullable<Awaited<ReturnType<typeof chosenInterest>>>>();
  for (const r of rows) {
    if (!r.chosen_interest_id) continue;
    const i = await chosenInterest(p.db, viewer, r.id, r.chosen_interest_id);
    if (i) chosen.set(r.id, i);
  }
  const delivered = rows.filter((r) => chosen.has(r.id));
  if (!delivered.length) return [];
  const steps = await firstSteps(
    p.db,
    delivered.map((r) => r.id),
  );
  const stepAt = new Map(steps.map((s) => [`${s.request_id} ${s.status}`, new Date(s.at)]));
  const orgs = await organisationsFor(p.db, [...chosen.values()].flatMap((i) => [i.author_org_id!, ...i.partner_org_ids]));
  const regions = new Map((await memberStates(p.db)).map((s) => [s.code, s.region]));
  const labels = await conceptLabels(p.db, [...new Set(delivered.flatMap((r) => r.concepts))]);
  const base = p.config.baseUrl;

  const out: string[] = [];
  for (const r of delivered) {
    const answer = chosen.get(r.id)!;
    const reporter = orgs.get(answer.author_org_id!)!;
    const reporterRef = puenteOrgRef(reporter.id);
    const participants: { ref: string | null; type: string | null; role: PartnerRole; name: string }[] = [];
    const add = (o: (typeof participants)[number]) => {
      if (!participants.some((x) => x.role === o.role && (x.ref ?? x.name) === (o.ref ?? o.name))) participants.push(o);
    };
    for (const id of [reporter.id, ...answer.partner_org_ids]) {
      const o = orgs.get(id);
      if (o) add({ ref: puenteOrgRef(o.id), type: ORG_TYPE[o.type] ?? null, role: 'implementing', name: o.name });
    }
    for (const x of await proposedOfferPartners(p.db, viewer, answer.offer_ids))
      add(
        x.organisation_id
          ? { ref: x.iati_ref ?? puenteOrgRef(x.organisation_id), type: x.iati_type ?? ORG_TYPE[x.org_type ?? ''] ?? null, role: x.role as PartnerRole, name: x.org_name ?? x.name }
          : { ref: x.iati_ref, type: x.iati_type, role: x.role as PartnerRole, name: x.name },
      );

    const recipient = r.country_code ?? (r.org_country.length === 2 && regions.has(r.org_country) ? r.org_country : null);
    const helpers = [reporter.id, ...answer.partner_org_ids].map((id) => orgs.get(id)).filter((o) => !!o && o.country !== recipient);
    const triangular = !!recipient && regions.get(recipient) === 'LAC' && helpers.some((o) => regions.get(o!.country) === 'EU') && helpers.some((o) => regions.get(o!.country) === 'LAC');

    const versions = (field: 'title' | 'wanted' | 'description') => {
      const source = { lang: r.language, text: plain(r[field]) };
      return [source, ...Object.entries(translationsOf<string>(r.translations)).map(([lang, x]) => ({ lang, text: plain(x.fields[field] ?? '') }))];
    };
    const titles = versions('title');
    const wanted = versions('wanted');
    const described = versions('description');
    const descriptions = titles.map((x, i) => ({ lang: x.lang, text: (wanted[i]?.text || described[i]?.text || x.text).slice(0, 2000) }));
    const started = stepAt.get(`${r.id} in-delivery`) ?? stepAt.get(`${r.id} matched`) ?? r.created_at;
    const ended = stepAt.get(`${r.id} completed`) ?? r.completed_at ?? r.updated_at;
    out.push(
      [
        `  <iati-activity last-updated-datetime="${r.updated_at.toISOString().replace(/\.\d{3}Z$/, 'Z')}" xml:lang="${xmlAttr(r.language)}">`,
        `    <iati-identifier>${xmlText(`${reporterRef}-${r.id}`)}</iati-identifier>`,
        `    <reporting-org ref="${xmlAttr(reporterRef)}" type="${ORG_TYPE[reporter.type] ?? '90'}">`,
        `      <narrative>${xmlText(reporter.name)}</narrative>`,
        '    </reporting-org>',
        '    <title>',
        narratives(titles, '      '),
        '    </title>',
        '    <description type="1">',
        narratives(descriptions, '      '),
        '    </description>',
        ...participants.map((o) =>
          [
            `    <participating-org role="${IATI_ORGANISATION_ROLES[o.role]}"${o.ref ? ` ref="${xmlAttr(o.ref)}"` : ''}${o.type ? ` type="${xmlAttr(o.type)}"` : ''}>`,
            `      <narrative>${xmlText(o.name)}</narrative>`,
            '    </participating-org>',
          ].join('\n'),
        ),
        `    <activity-status code="${r.status === 'evaluated' ? '4' : '3'}"/>`,
        `    <activity-date type="2" iso-date="${day(new Date(started))}"/>`,
        `    <activity-date type="4" iso-date="${day(new Date(ended))}"/>`,
        recipient ? `    <recipient-country code="${xmlAttr(recipient)}"/>` : null,
        ...r.concepts.map((c) => {
          const l = labels.get(c) ?? {};
          return [
            `    <sector vocabulary="99" vocabulary-uri="${xmlAttr(`${base}/vocabularies/${c.split('/')[0]}`)}" code="${xmlAttr(c)}">`,
            `      <narrative xml:lang="en">${xmlText(l.en ?? Object.values(l)[0] ?? c)}</narrative>`,
            '    </sector>',
          ].join('\n');
        }),
        triangular ? '    <collaboration-type code="8"/>' : null,
        '    <default-aid-type code="D02" vocabulary="1"/>',
        '  </iati-activity>',
      ]
        .filter((x) => x !== null && x !== '')
        .join('\n'),
    );
  }
  return out;
}
