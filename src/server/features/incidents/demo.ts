import type { Transaction } from 'kysely';
import type { IncidentOutcome, IncidentStatus } from '#shared/incidents';
import type { DB } from '../../db/schema.js';
import type { FeatureDemo } from '../../demo/context.js';
import { newId } from '../../platform/ids.js';
import { ingestInTransaction } from '../intel/store.js';
import { lockIncident } from './repository.js';
import { addMonths, dueTimes } from './service.js';
import { incidentObject } from './stix-object.js';

const HOUR = 3_600_000;
const EMAIL = (x: string) => `${x}@demo.puente.test`;

interface DemoIncident {
  title: string;
  description: string;
  language: 'es' | 'pt' | 'en';
  rsit: string;
  severity: 'red' | 'yellow' | 'green' | 'white' | null;
  rootCause?: string;
  outlook?: string;
  sectors: string[];
  subsectors?: string[];
  countries: string[];
  users?: number;
  /** Hours before now the reporter became aware. */
  awareHoursAgo: number;
  status: IncidentStatus;
  outcome?: IncidentOutcome;
  /** The reporter's demo account (local part) and, when handed over, the organisation key that owns it now. */
  by: string;
  owner?: string;
  tlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
  /** Organisation keys and community slugs of an AMBER audience. */
  orgs?: string[];
  communities?: string[];
  /** Which NIS2 reports were given, and how many hours after they were due (negative: early). */
  given?: Partial<Record<'early-warning' | 'notification' | 'final', number>>;
  translation?: { lang: string; title: string; description: string };
  updates?: { text: string; language: string; hoursAfterAware: number }[];
}

/** The ransomware of the demo story, then a month of past reports across countries, sectors, classes and markings. */
const INCIDENTS: DemoIncident[] = [
  {
    title: 'Ransomware en el centro de control de una transmisora eléctrica',
    description:
      'Cifrado de servidores de la red corporativa y de dos estaciones de ingeniería del centro de control. La operación de la red continúa en modo manual. Variante compatible con LockBit 3.0; acceso inicial por VPN sin segundo factor.',
    language: 'es',
    rsit: 'malicious-code/infected-system',
    severity: 'red',
    rootCause: 'malicious-actions',
    outlook: 'worsening',
    sectors: ['energy'],
    subsectors: ['electricity'],
    countries: ['CO'],
    users: 850000,
    awareHoursAgo: 42,
    status: 'investigating',
    by: 'analyst.co',
    tlp: 'AMBER',
    orgs: ['co-csirt'],
    communities: ['csirts-americas'],
    given: { 'early-warning': -3 },
    translation: {
      lang: 'en',
      title: 'Ransomware at the control centre of an electricity transmission operator',
      description: 'Corporate servers and two engineering workstations of the control centre encrypted. The grid runs in manual mode. A LockBit 3.0-like variant; initial access through a VPN without a second factor.',
    },
    updates: [
      { text: 'Segmentación completada entre la red corporativa y la red OT. Sin propagación a subestaciones.', language: 'es', hoursAfterAware: 6 },
      { text: 'Indicators shared with the national CSIRT; two more operators in the region report the same initial access.', language: 'en', hoursAfterAware: 20 },
    ],
  },
];

// A month of past reports: each line is one report; its clocks are met or missed as the line says.
const PAST: [string, DemoIncident['language'], string, DemoIncident['severity'], string[], string[], number, IncidentStatus, IncidentOutcome | undefined, string, DemoIncident['tlp'], boolean][] = [
  ['Phishing dirigido a clientes de banca en línea', 'es', 'fraud/phishing', 'yellow', ['banking'], ['CL'], 30 * 24, 'closed', 'blocked', 'analyst.cl', 'GREEN', true],
  ['DDoS contra portales de gobierno', 'es', 'availability/ddos', 'yellow', ['public-administration'], ['CL'], 29 * 24, 'closed', 'failed-attempt', 'analyst.cl', 'GREEN', true],
  ['Vazamento de dados de pacientes em hospital estadual', 'pt', 'information-content-security/data-leak', 'red', ['health'], ['BR'], 28 * 24, 'closed', 'successful-attempt', 'analyst.br', 'AMBER', true],
  ['Comprometimento de conta privilegiada em provedor de nuvem', 'pt', 'intrusions/privileged-account-compromise', 'yellow', ['ict-services'], ['BR'], 27 * 24, 'closed', 'successful-attempt', 'analyst.br', 'AMBER', false],
  ['Escaneo masivo contra subestaciones eléctricas', 'es', 'information-gathering/scanner', 'green', ['energy'], ['DO'], 26 * 24, 'closed', 'low-value', 'analyst.do', 'GREEN', true],
  ['Malware en estaciones de trabajo del puerto', 'es', 'malicious-code/infected-system', 'yellow', ['transport'], ['PA', 'CR'], 25 * 24, 'closed', 'successful-attempt', 'analyst.cl', 'AMBER', true],
  ['Credential stuffing against a telecom customer portal', 'en', 'intrusion-attempts/brute-force', 'green', ['digital-infrastructure'], ['JM'], 24 * 24, 'closed', 'blocked', 'analyst.do', 'GREEN', true],
  ['Defacement of ministry websites', 'en', 'intrusions/application-compromise', 'white', ['public-administration'], ['TT', 'BB'], 23 * 24, 'closed', 'successful-attempt', 'analyst.do', 'CLEAR', true],
  ['Interrupção do serviço de pagamentos instantâneos', 'pt', 'availability/outage', 'red', ['banking', 'financial'], ['BR'], 22 * 24, 'closed', 'false-positive', 'analyst.br', 'AMBER', false],
  ['Exfiltración de expedientes de un ministerio', 'es', 'information-content-security/unauthorised-information-access', 'red', ['public-administration'], ['PE'], 21 * 24, 'closed', 'successful-attempt', 'analyst.cl', 'AMBER+STRICT', true],
  ['Ransomware en distribuidora de gas', 'es', 'malicious-code/infected-system', 'red', ['energy'], ['CO'], 20 * 24, 'closed', 'successful-attempt', 'analyst.co', 'AMBER', true],
  ['Sabotaje de la telemetría de una planta de agua', 'es', 'availability/sabotage', 'yellow', ['drinking-water'], ['MX'], 19 * 24, 'recovered', undefined, 'researcher.mx', 'AMBER', false],
  ['Botnet C2 hosted at a university network', 'en', 'malicious-code/c2-server', 'green', ['research'], ['MX'], 18 * 24, 'closed', 'blocked', 'researcher.mx', 'GREEN', true],
  ['Misconfigured storage bucket exposing citizen records', 'en', 'vulnerable/information-disclosure', 'yellow', ['public-administration'], ['GT'], 17 * 24, 'closed', 'low-value', 'ngo.gt', 'AMBER', true],
  ['Campanha de phishing com tema fiscal', 'pt', 'fraud/phishing', 'green', ['public-administration'], ['BR', 'PT'], 16 * 24, 'closed', 'blocked', 'analyst.br', 'GREEN', true],
  ['DDoS contra operador de telecomunicaciones', 'es', 'availability/ddos', 'yellow', ['digital-infrastructure'], ['SV', 'GT', 'HN'], 15 * 24, 'closed', 'failed-attempt', 'analyst.do', 'GREEN', true],
  ['Intrusión en el sistema de peajes', 'es', 'intrusions/system-compromise', 'yellow', ['transport'], ['EC'], 14 * 24, 'contained', undefined, 'analyst.cl', 'AMBER', false],
  ['Supply-chain compromise of a remote-support tool', 'en', 'intrusions/application-compromise', 'red', ['ict-services', 'energy'], ['EE', 'FI', 'CL'], 13 * 24, 'recovered', undefined, 'analyst.ee', 'AMBER', true],
  ['Fraude por suplantación de un banco regional', 'es', 'fraud/masquerade', 'green', ['banking'], ['UY', 'AR'], 12 * 24, 'closed', 'blocked', 'analyst.cl', 'GREEN', true],
  ['Ataque de força bruta a VPN de distribuidora elétrica', 'pt', 'intrusion-attempts/brute-force', 'yellow', ['energy'], ['BR'], 11 * 24, 'closed', 'blocked', 'analyst.br', 'AMBER', true],
  ['Explotación de una vulnerabilidad en un firewall perimetral', 'es', 'intrusion-attempts/exploit', 'yellow', ['public-administration'], ['CR'], 10 * 24, 'investigating', undefined, 'analyst.do', 'AMBER', false],
  ['Fuga de credenciales de correo institucional', 'es', 'information-content-security/data-leak', 'yellow', ['public-administration'], ['DO'], 9 * 24, 'contained', undefined, 'analyst.do', 'AMBER', true],
  ['Ransomware em rede de laboratórios clínicos', 'pt', 'malicious-code/infected-system', 'red', ['health'], ['BR'], 8 * 24, 'investigating', undefined, 'analyst.br', 'AMBER', true],
  ['Outage of a national certificate authority', 'en', 'availability/outage', 'yellow', ['digital-infrastructure'], ['EE'], 7 * 24, 'closed', 'false-positive', 'analyst.ee', 'GREEN', true],
  ['Malware en cajeros automáticos', 'es', 'malicious-code/malware-distribution', 'yellow', ['banking'], ['MX', 'GT'], 6 * 24, 'investigating', undefined, 'researcher.mx', 'AMBER', false],
  ['Spam masivo desde servidores comprometidos', 'es', 'abusive-content/spam', 'white', ['ict-services'], ['AR'], 5 * 24, 'closed', 'low-value', 'analyst.cl', 'CLEAR', true],
  ['Intrusão em sistema SCADA de saneamento', 'pt', 'intrusions/system-compromise', 'red', ['waste-water'], ['BR'], 4 * 24, 'triage', undefined, 'analyst.br', 'RED', false],
  ['Escaneo de vulnerabilidades en hospitales', 'es', 'information-gathering/scanner', 'green', ['health'], ['CL', 'PE'], 3 * 24 + 6, 'triage', undefined, 'analyst.cl', 'GREEN', true],
  ['DDoS against a port community system', 'en', 'availability/ddos', 'yellow', ['transport'], ['PA'], 3 * 24, 'investigating', undefined, 'analyst.do', 'AMBER', false],
  ['Acceso no autorizado a un registro civil', 'es', 'information-content-security/unauthorised-information-access', 'yellow', ['public-administration'], ['HN'], 2 * 24 + 10, 'new', undefined, 'analyst.do', 'AMBER', true],
  ['Ransomware en hidroeléctrica', 'es', 'malicious-code/infected-system', 'red', ['energy'], ['CL'], 2 * 24, 'investigating', undefined, 'analyst.cl', 'AMBER', true],
  ['Ransomware em comercializadora de energia', 'pt', 'malicious-code/infected-system', 'yellow', ['energy'], ['BR'], 36, 'triage', undefined, 'analyst.br', 'AMBER', true],
  ['Ransomware en distribuidora eléctrica', 'es', 'malicious-code/infected-system', 'red', ['energy'], ['DO'], 30, 'investigating', undefined, 'analyst.do', 'AMBER', false],
  ['Phishing con tema de la crisis energética', 'es', 'fraud/phishing', 'green', ['energy'], ['CO', 'CL', 'DO'], 20, 'new', undefined, 'analyst.co', 'GREEN', true],
  ['Suspicious scans of electricity market platforms', 'en', 'information-gathering/scanner', 'white', ['energy'], ['ES', 'PT'], 16, 'new', undefined, 'diplomat.es', 'GREEN', false],
  ['Cuentas de correo del regulador comprometidas', 'es', 'intrusions/unprivileged-account-compromise', 'yellow', ['energy', 'public-administration'], ['CO'], 10, 'new', undefined, 'analyst.co', 'AMBER+STRICT', false],
  ['Vulnerabilidad explotada en inversores solares', 'es', 'vulnerable/vulnerable-system', 'yellow', ['energy'], ['CL', 'UY'], 6, 'new', undefined, 'analyst.cl', 'AMBER', false],
  ['Teste de notificação do CSIRT', 'pt', 'test/test', null, ['public-administration'], ['BR'], 4, 'closed', 'false-positive', 'analyst.br', 'GREEN', false],
  ['Interrupción de la red de una cooperativa eléctrica', 'es', 'availability/outage', 'yellow', ['energy'], ['CR'], 3, 'new', undefined, 'analyst.do', 'AMBER', false],
  ['Unauthorised modification of a grid forecast dataset', 'en', 'information-content-security/unauthorised-information-modification', 'green', ['energy'], ['FI', 'EE'], 2, 'new', undefined, 'analyst.ee', 'AMBER', false],
];

for (const [title, language, rsit, severity, sectors, countries, awareHoursAgo, status, outcome, by, tlp, onTime] of PAST) {
  const due = (h: number) => (awareHoursAgo > h ? (onTime ? -2 : 5) : undefined);
  const given: DemoIncident['given'] = {};
  if (due(24) !== undefined) given['early-warning'] = due(24);
  if (due(72) !== undefined && (onTime || status === 'closed')) given.notification = due(72);
  if (status === 'closed' && awareHoursAgo > 72 + 30 * 24 && onTime) given.final = -24;
  INCIDENTS.push({
    title,
    description: '',
    language,
    rsit,
    severity,
    sectors,
    countries,
    awareHoursAgo,
    status,
    outcome,
    by,
    tlp,
    // AMBER reports go to the national CSIRTs' community; the others stay with their marking.
    communities: tlp === 'AMBER' ? ['csirts-americas'] : [],
    given,
  });
}

async function insertIncident(trx: Transaction<DB>, i: DemoIncident, ids: { person: string; org: string; owner: string; orgs: string[]; communities: string[] }) {
  const now = Date.now();
  const aware = new Date(now - i.awareHoursAgo * HOUR);
  const id = newId();
  const closed = i.status === 'closed';
  const audience = {
    audience_organisations: i.tlp === 'AMBER' || i.tlp === 'AMBER+STRICT' ? [...new Set([...ids.orgs, ids.owner])] : [],
    audience_communities: i.tlp === 'AMBER' ? ids.communities : [],
    audience_people: i.tlp === 'RED' ? [ids.person] : [],
  };
  const updated = new Date(Math.min(now, aware.getTime() + 12 * HOUR));
  await trx
    .insertInto('incident_reports')
    .values({
      id,
      stix_id: `incident--${crypto.randomUUID()}`,
      title: i.title,
      description: i.description,
      language: i.language,
      translations: JSON.stringify(
        i.translation ? { [i.translation.lang]: { fields: { title: i.translation.title, description: i.translation.description }, basedOn: 1, machine: false, at: updated.toISOString(), by: ids.person } } : {},
      ),
      rsit_class: i.rsit,
      root_cause: i.rootCause ?? (i.rsit.startsWith('availability/outage') ? 'system-failures' : 'malicious-actions'),
      impact_severity: i.severity,
      impact_outlook: i.outlook ?? (closed ? 'improving' : 'stable'),
      sectors: i.sectors,
      subsectors: i.subsectors ?? [],
      countries: i.countries,
      cross_border: i.countries.length > 1,
      users_affected: i.users ?? null,
      started_at: new Date(aware.getTime() - 2 * HOUR),
      aware_at: aware,
      status: i.status,
      outcome: closed ? (i.outcome ?? 'successful-attempt') : null,
      closed_at: closed ? new Date(Math.min(now - HOUR, aware.getTime() + 5 * 24 * HOUR)) : null,
      owner_org_id: ids.owner,
      tlp: i.tlp,
      pap: i.tlp === 'CLEAR' || i.tlp === 'GREEN' ? 'GREEN' : 'AMBER',
      author_id: ids.person,
      author_org_id: ids.org,
      ...audience,
      created_at: aware,
      updated_at: updated,
    })
    .execute();
  // The clocks: given when the line says (early or late), else open, and overdue once past.
  const due = dueTimes(aware);
  const notified = i.given?.notification !== undefined ? new Date(due.notification.getTime() + i.given.notification * HOUR) : null;
  for (const kind of ['early-warning', 'notification', 'final'] as const) {
    const dueAt = kind === 'final' && notified ? addMonths(notified, 1) : due[kind];
    const late = i.given?.[kind];
    const submitted = late !== undefined ? new Date(Math.min(now - 60_000, dueAt.getTime() + late * HOUR)) : null;
    await trx
      .insertInto('incident_nis2_reports')
      .values({
        id: newId(),
        incident_id: id,
        kind,
        due_at: dueAt,
        submitted_at: submitted,
        submitted_by: submitted ? ids.person : null,
        text: submitted ? (i.language === 'pt' ? 'Relatório enviado ao CSIRT nacional.' : i.language === 'es' ? 'Reporte enviado al CSIRT nacional.' : 'Report sent to the national CSIRT.') : '',
        // Past reports are not reminded again when the demo starts.
        reminded_at: !submitted && dueAt.getTime() < now ? new Date(now) : null,
      })
      .execute();
  }
  const marking = { tlp: i.tlp, pap: 'AMBER', author_id: ids.person, author_org_id: ids.org, ...audience };
  await trx.insertInto('incident_entries').values({ id: newId(), incident_id: id, at: aware, action: 'created', detail: JSON.stringify({ status: 'new', rsitClass: i.rsit }), ...marking }).execute();
  if (i.status !== 'new')
    await trx
      .insertInto('incident_entries')
      .values({ id: newId(), incident_id: id, at: new Date(Math.min(now, aware.getTime() + HOUR)), action: 'status', detail: JSON.stringify({ from: 'new', to: i.status, ...(closed ? { outcome: i.outcome ?? 'successful-attempt' } : {}) }), ...marking })
      .execute();
  // In the STIX store too, as every write of the service keeps it (TAXII carries it).
  const row = await lockIncident(trx, id);
  const orgs = i.tlp === 'AMBER' || i.tlp === 'AMBER+STRICT' ? [...new Set([...audience.audience_organisations, ids.org])] : [];
  await ingestInTransaction(trx, [incidentObject(row)], {
    source: 'incident',
    actor: { personId: ids.person, organisationId: ids.org, viewer: null },
    defaultTlp: i.tlp,
    tlp: i.tlp,
    audience: { organisations: orgs, communities: audience.audience_communities, people: audience.audience_people },
    keepWhenAllRejected: true,
  });
  for (const u of i.updates ?? [])
    await trx
      .insertInto('incident_entries')
      .values({ id: newId(), incident_id: id, at: new Date(aware.getTime() + u.hoursAfterAware * HOUR), action: 'update', detail: '{}', text: u.text, language: u.language, ...marking })
      .execute();
  return id;
}

/**
 * The incident reports of the demo: the Colombian energy CSIRT's ransomware report of the story
 * (AMBER to the national CSIRT and the CSIRTs of the Americas, its early warning given, the
 * notification's clock running), and a month of past reports across the demo countries, sectors,
 * RSIT classes, statuses and markings, in Spanish, Portuguese and English, clocks met and missed.
 */
export const incidentsDemo: FeatureDemo = async ({ trx, orgIds, personIds, communityIds }) => {
  for (const i of INCIDENTS) {
    const person = personIds.get(EMAIL(i.by));
    if (!person) continue;
    const org = (await trx.selectFrom('people').select('organisation_id').where('id', '=', person).executeTakeFirstOrThrow()).organisation_id;
    await insertIncident(trx, i, {
      person,
      org,
      owner: (i.owner && orgIds.get(i.owner)) || org,
      orgs: (i.orgs ?? []).flatMap((k) => (orgIds.get(k) ? [orgIds.get(k)!] : [])),
      communities: (i.communities ?? []).flatMap((k) => (communityIds.get(k) ? [communityIds.get(k)!] : [])),
    });
  }
};
