import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { FeatureDemo } from '../../demo/context.js';
import { audienceColumns, type Marking } from '../../platform/access/policy.js';
import { newId } from '../../platform/ids.js';
import { SITREP_CADENCE_HOURS } from '#shared/incidents';
import { insertRoomCommunity } from './repository.js';
import './tables.js';

const HOUR = 3_600_000;
const EMAIL = (x: string) => `${x}@demo.puente.test`;

interface DemoSitrep {
  by: string;
  hoursAgo: number;
  impact: string;
  outlook: string;
  language: string;
  conditions: string;
  actions: string;
  needs: string;
  summary: string;
  translations?: Record<string, { conditions: string; actions: string; needs: string; summary: string }>;
}

/** Rows of a room, written as the service would (demo content is loaded inside the demo's transaction, without a platform). */
async function room(
  trx: Transaction<DB>,
  r: {
    title: string;
    description: string;
    language: string;
    level: 'serious' | 'elevated';
    levels: { level: string; hoursAgo: number; note?: string }[];
    countries: string[];
    sectors: string[];
    exercise: boolean;
    declarer: string;
    declarerOrg: string;
    members: { person: string; role: string; source: string }[];
    organisations: string[];
    declaredHoursAgo: number;
    closedHoursAgo?: number;
  },
) {
  const id = newId();
  const community = newId();
  const now = Date.now();
  await insertRoomCommunity(trx, { id: community, crisisId: id, createdBy: r.declarer, language: r.language, people: [r.declarer, ...r.members.map((m) => m.person)], organisations: r.organisations });
  const marking: Marking = { tlp: 'AMBER', authorId: r.declarer, authorOrgId: r.declarerOrg, audience: { organisations: [], communities: [community], people: [] } };
  const closed = r.closedHoursAgo !== undefined ? new Date(now - r.closedHoursAgo * HOUR) : null;
  const cadence = SITREP_CADENCE_HOURS[r.level];
  await trx
    .insertInto('crises')
    .values({
      id,
      title: r.title,
      description: r.description,
      language: r.language,
      level: r.level,
      status: closed ? 'closed' : 'open',
      exercise: r.exercise,
      countries: r.countries,
      sectors: r.sectors,
      room_community_id: community,
      declared_at: new Date(now - r.declaredHoursAgo * HOUR),
      closed_at: closed,
      // The last report was two hours ago: the next is due within the cadence.
      next_sitrep_due: closed || cadence === null ? null : new Date(now + (cadence - 2) * HOUR),
      tlp: 'AMBER',
      pap: 'AMBER',
      author_id: r.declarer,
      author_org_id: r.declarerOrg,
      ...audienceColumns(marking.audience),
    })
    .execute();
  await trx
    .insertInto('crisis_members')
    .values([{ crisis_id: id, person_id: r.declarer, role: 'coordinator', source: 'declarer' }, ...r.members.map((m) => ({ crisis_id: id, person_id: m.person, role: m.role, source: m.source }))])
    .execute();
  for (const l of r.levels) await trx.insertInto('crisis_level_changes').values({ id: newId(), crisis_id: id, level: l.level, at: new Date(now - l.hoursAgo * HOUR), by_person: r.declarer, note: l.note ?? '' }).execute();
  return { id, marking, community };
}

const cols = (m: Marking, by: string, org: string) => ({ tlp: m.tlp, pap: 'AMBER', author_id: by, author_org_id: org, ...audienceColumns(m.audience) });

/**
 * The ongoing crisis of the demo story: ransomware against energy operators in Colombia, Chile
 * and the Dominican Republic, at level serious, coordinated by the secretariat, with sitreps in
 * Spanish, Portuguese and English, decisions, actions and alerts (some acknowledged); and a
 * finished table-top exercise with its injects, after-action report and evaluation.
 */
export const crisesDemo: FeatureDemo = async ({ trx, orgIds, personIds }) => {
  const person = (x: string) => personIds.get(EMAIL(x));
  const admin = person('admin')!;
  const sec = orgIds.get('secretariat')!;
  // The Colombian energy CSIRT's analyst when the incidents demo made one, else the energy operator.
  const co = person('analyst.co') ?? person('energy.co')!;
  const orgOf = async (p: string) => (await trx.selectFrom('people').select('organisation_id').where('id', '=', p).executeTakeFirstOrThrow()).organisation_id;
  const cl = person('analyst.cl')!;
  const dO = person('analyst.do')!;
  const br = person('analyst.br')!;
  const now = Date.now();

  const live = await room(trx, {
    title: 'Ransomware contra operadores de energía',
    description: 'Campaña de ransomware dirigida a operadores de transmisión y distribución eléctrica en Colombia, Chile y la República Dominicana.',
    language: 'es',
    level: 'serious',
    levels: [
      { level: 'elevated', hoursAgo: 40, note: 'Primer operador afectado en Colombia' },
      { level: 'serious', hoursAgo: 26, note: 'Segundo y tercer país afectados' },
    ],
    countries: ['CO', 'CL', 'DO'],
    sectors: ['energy'],
    exercise: false,
    declarer: admin,
    declarerOrg: sec,
    members: [
      { person: co, role: 'liaison', source: 'crisis_management' },
      { person: cl, role: 'scribe', source: 'operational_24_7' },
      { person: dO, role: 'member', source: 'crisis_management' },
      { person: br, role: 'liaison', source: 'added' },
    ],
    organisations: [orgIds.get('te-agency')!],
    declaredHoursAgo: 40,
  });
  await trx.updateTable('crises').set({ translations: JSON.stringify({ en: { fields: { title: 'Ransomware against energy operators', description: 'A ransomware campaign against electricity transmission and distribution operators in Colombia, Chile and the Dominican Republic.' }, basedOn: 1, machine: false, at: new Date(now - 39 * HOUR).toISOString(), by: admin }, pt: { fields: { title: 'Ransomware contra operadores de energia', description: 'Campanha de ransomware contra operadores de transmissão e distribuição de eletricidade na Colômbia, no Chile e na República Dominicana.' }, basedOn: 1, machine: false, at: new Date(now - 39 * HOUR).toISOString(), by: br } }) }).where('id', '=', live.id).execute();

  const sitreps: DemoSitrep[] = [
    {
      by: co,
      hoursAgo: 38,
      impact: 'yellow',
      outlook: 'worsening',
      language: 'es',
      conditions: 'Un operador de transmisión en Antioquia con servidores de gestión cifrados; la operación de la red continúa en modo manual.',
      actions: 'Aislamiento de la red OT, activación del plan de continuidad, notificación al CSIRT nacional.',
      needs: 'Indicadores de compromiso de otros operadores de la región.',
      summary: 'Ransomware en un operador eléctrico colombiano; sin cortes de suministro por ahora.',
    },
    {
      by: cl,
      hoursAgo: 25,
      impact: 'red',
      outlook: 'worsening',
      language: 'es',
      conditions: 'Dos distribuidoras chilenas afectadas por la misma variante; cortes parciales en la región de Valparaíso.',
      actions: 'Bloqueo de la infraestructura de mando y control compartida por TAXII; reuniones cada seis horas con los operadores.',
      needs: 'Apoyo forense en sistemas SCADA.',
      summary: 'La campaña alcanza Chile con cortes parciales de suministro.',
      translations: { en: { conditions: 'Two Chilean distributors hit by the same variant; partial outages in the Valparaíso region.', actions: 'Command-and-control infrastructure blocked and shared over TAXII; six-hourly meetings with the operators.', needs: 'Forensic support on SCADA systems.', summary: 'The campaign reaches Chile with partial power outages.' } },
    },
    {
      by: br,
      hoursAgo: 14,
      impact: 'yellow',
      outlook: 'stable',
      language: 'pt',
      conditions: 'O CNRIC identificou a mesma família de ransomware em tentativas bloqueadas contra duas distribuidoras brasileiras.',
      actions: 'Regras de detecção compartilhadas com a sala; equipe de resposta disponível para apoio remoto.',
      needs: 'Amostras do instalador inicial para comparação.',
      summary: 'Sem impacto no Brasil; apoio técnico oferecido aos países afetados.',
    },
    {
      by: admin,
      hoursAgo: 2,
      impact: 'yellow',
      outlook: 'improving',
      language: 'en',
      conditions: 'Supply restored in Valparaíso; the Dominican operator contained the intrusion before encryption.',
      actions: 'Team Europe forensic mission requested; decryption keys not paid for.',
      needs: 'Coordination of a joint public statement.',
      summary: 'The situation is stabilising; no new victims in the last twelve hours.',
      translations: { es: { conditions: 'Suministro restablecido en Valparaíso; el operador dominicano contuvo la intrusión antes del cifrado.', actions: 'Solicitada una misión forense de Team Europe; no se ha pagado rescate.', needs: 'Coordinación de una declaración pública conjunta.', summary: 'La situación se estabiliza; sin nuevas víctimas en las últimas doce horas.' } },
    },
  ];
  for (const [n, s] of sitreps.entries()) {
    const id = newId();
    await trx
      .insertInto('crisis_sitreps')
      .values({
        id,
        crisis_id: live.id,
        number: n + 1,
        impact_severity: s.impact,
        outlook: s.outlook,
        sectors: ['energy'],
        root_cause: 'malicious-actions',
        conditions: s.conditions,
        actions: s.actions,
        needs: s.needs,
        summary: s.summary,
        language: s.language,
        translations: JSON.stringify(Object.fromEntries(Object.entries(s.translations ?? {}).map(([l, f]) => [l, { fields: f, basedOn: 1, machine: false, at: new Date(now - s.hoursAgo * HOUR).toISOString(), by: s.by }]))),
        created_at: new Date(now - s.hoursAgo * HOUR),
        ...cols(live.marking, s.by, await orgOf(s.by)),
      })
      .execute();
  }
  for (const [text, hoursAgo] of [
    ['Share all indicators of the campaign over TAXII at TLP:AMBER with the CSIRTs community', 36],
    ['Ask Team Europe for a forensic mission to the Chilean distributors', 12],
  ] as const)
    await trx.insertInto('crisis_decisions').values({ id: newId(), crisis_id: live.id, text, decided_at: new Date(now - hoursAgo * HOUR), ...cols(live.marking, admin, sec) }).execute();
  for (const a of [
    { text: 'Publish the YARA rules of the variant', owner: br, due: -6, status: 'done' },
    { text: 'Draft the joint public statement', owner: co, due: 20, status: 'open' },
    { text: 'Confirm the 24/7 contacts of the Dominican operators', owner: dO, due: -1, status: 'open' },
  ])
    await trx
      .insertInto('crisis_actions')
      .values({ id: newId(), crisis_id: live.id, text: a.text, owner_person_id: a.owner, due_at: new Date(now + a.due * HOUR), status: a.status, created_at: new Date(now - 30 * HOUR), ...cols(live.marking, admin, sec) })
      .execute();
  // Alerts of the declaration and the raise: most acknowledged, the Dominican one still pending.
  for (const [p, acked] of [
    [co, true],
    [cl, true],
    [dO, false],
    [br, true],
  ] as const)
    await trx
      .insertInto('crisis_alerts')
      .values({ id: newId(), crisis_id: live.id, kind: 'level_raised', level: 'serious', person_id: p, created_at: new Date(now - 26 * HOUR), acknowledged_at: acked ? new Date(now - 25.5 * HOUR) : null, ...cols(live.marking, admin, sec) })
      .execute();

  // A finished table-top exercise, run by the Estonian CSIRT with Chile and Brazil.
  const ee = person('analyst.ee')!;
  const eeOrg = orgIds.get('ee-csirt')!;
  const ex = await room(trx, {
    title: 'Table-top exercise: attack on a port logistics operator',
    description: 'A one-day table-top exercise of the CSIRTs of Estonia, Chile and Brazil on a ransomware scenario in maritime logistics.',
    language: 'en',
    level: 'elevated',
    levels: [{ level: 'elevated', hoursAgo: 24 * 21 }],
    countries: ['EE', 'CL', 'BR'],
    sectors: ['transport'],
    exercise: true,
    declarer: ee,
    declarerOrg: eeOrg,
    members: [
      { person: cl, role: 'member', source: 'operational_24_7' },
      { person: br, role: 'scribe', source: 'operational_24_7' },
    ],
    organisations: [],
    declaredHoursAgo: 24 * 21,
    closedHoursAgo: 24 * 21 - 8,
  });
  for (const [k, title, body] of [
    [0, 'Inject 1: the port scheduling system is down', 'At 09:00 the container terminal reports that its scheduling system shows a ransom note.'],
    [2, 'Inject 2: data leak claimed', 'A leak site claims 40 GB of customs data from the operator.'],
    [4, 'Inject 3: a second port in another country', 'A port operator in Chile reports the same ransom note.'],
  ] as const)
    await trx
      .insertInto('crisis_injects')
      .values({ id: newId(), crisis_id: ex.id, title, body, planned_at: new Date(now - (24 * 21 - k) * HOUR), released_at: new Date(now - (24 * 21 - k) * HOUR), ...cols(ex.marking, ee, eeOrg) })
      .execute();
  await trx
    .insertInto('crisis_sitreps')
    .values({
      id: newId(),
      crisis_id: ex.id,
      number: 1,
      impact_severity: 'yellow',
      outlook: 'stable',
      sectors: ['transport'],
      root_cause: 'malicious-actions',
      conditions: 'EXERCISE — Two ports affected; manual operations.',
      actions: 'EXERCISE — Indicators shared; customs authorities informed.',
      needs: 'EXERCISE — Legal advice on the data leak.',
      summary: 'EXERCISE — The scenario is contained by the end of the day.',
      language: 'en',
      translations: '{}',
      created_at: new Date(now - (24 * 21 - 5) * HOUR),
      ...cols(ex.marking, br, orgIds.get('br-csirt')!),
    })
    .execute();
  await trx.insertInto('crisis_decisions').values({ id: newId(), crisis_id: ex.id, text: 'EXERCISE — Notify the customs authorities of both countries', decided_at: new Date(now - (24 * 21 - 3) * HOUR), ...cols(ex.marking, ee, eeOrg) }).execute();
  const after = {
    exercise: true,
    note: 'Objectives met; contact paths between the three CSIRTs tested.',
    declaredAt: new Date(now - 24 * 21 * HOUR).toISOString(),
    closedAt: new Date(now - (24 * 21 - 8) * HOUR).toISOString(),
    levels: [{ level: 'elevated', at: new Date(now - 24 * 21 * HOUR).toISOString() }],
    timeline: [{ at: new Date(now - (24 * 21 - 3) * HOUR).toISOString(), kind: 'decision', text: 'EXERCISE — Notify the customs authorities of both countries' }],
    decisions: [{ at: new Date(now - (24 * 21 - 3) * HOUR).toISOString(), text: 'EXERCISE — Notify the customs authorities of both countries' }],
    actions: [],
    sitreps: { count: 1, worstImpact: 'yellow', last: { number: 1, summary: 'EXERCISE — The scenario is contained by the end of the day.', language: 'en' }, languages: ['en'] },
  };
  await trx.updateTable('crises').set({ after_action: JSON.stringify(after) }).where('id', '=', ex.id).execute();
  for (const e of [
    { by: cl, org: orgIds.get('cl-csirt')!, scores: [4, 3, 4], strengths: 'Clear injects; the roster with keys worked.', improvements: 'Agree on a common sitrep template in Spanish and Portuguese.' },
    { by: br, org: orgIds.get('br-csirt')!, scores: [5, 4, 4], strengths: 'Fast exchange of indicators.', improvements: 'Involve the customs authority earlier.' },
  ])
    await trx
      .insertInto('crisis_evaluations')
      .values({ id: newId(), crisis_id: ex.id, objectives: e.scores[0]!, communication: e.scores[1]!, coordination: e.scores[2]!, strengths: e.strengths, improvements: e.improvements, created_at: new Date(now - (24 * 21 - 9) * HOUR), ...cols(ex.marking, e.by, e.org) })
      .execute();

  // A table-top exercise under way, run by the Dominican CSIRT with the Colombian energy CSIRT:
  // the first inject is out, the next two are timed and the release job puts them out when their
  // time comes (an hour and three hours after the demo was loaded), as it would for the controller.
  const dr = person('analyst.do')!;
  const drOrg = orgIds.get('do-csirt')!;
  const drill = await room(trx, {
    title: 'Ejercicio de mesa: denegación de servicio contra el sistema nacional de pagos',
    description: 'Ejercicio de medio día del CSIRT dominicano y del CSIRT del sector eléctrico de Colombia sobre un ataque DDoS que afecta pagos y facturación de energía.',
    language: 'es',
    level: 'elevated',
    levels: [{ level: 'elevated', hoursAgo: 1 }],
    countries: ['DO', 'CO'],
    sectors: ['banking', 'energy'],
    exercise: true,
    declarer: dr,
    declarerOrg: drOrg,
    members: [{ person: co, role: 'member', source: 'operational_24_7' }],
    organisations: [],
    declaredHoursAgo: 1,
  });
  for (const [hours, title, body, released] of [
    [-1, 'Inyección 1: el sistema de pagos no responde', 'A las 09:00 el banco central informa que la pasarela de pagos interbancarios no responde; el tráfico entrante es 40 veces el habitual.', true],
    [1, 'Inyección 2: la facturación de energía también cae', 'La distribuidora eléctrica colombiana informa que su portal de pagos recibe el mismo tráfico desde las mismas redes.', false],
    [3, 'Inyección 3: una exigencia de rescate', 'Un correo a ambos operadores exige un pago en criptomonedas para detener el ataque.', false],
  ] as const)
    await trx
      .insertInto('crisis_injects')
      .values({ id: newId(), crisis_id: drill.id, title, body, planned_at: new Date(now + hours * HOUR), released_at: released ? new Date(now + hours * HOUR) : null, ...cols(drill.marking, dr, drOrg) })
      .execute();
};
