import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { DemoContext, FeatureDemo } from '../../demo/context.js';
import type { Viewer } from '../../platform/access/policy.js';
import { newId } from '../../platform/ids.js';
import { matchableExperts } from '../experts/matchable.js';
import { matchableOffers } from '../offers/matchable.js';
import { insertRequest, insertStep } from './repository.js';
import { PROVIDERS_COMMUNITY_SLUG, type Texts } from './service.js';

const DAY = 86_400_000;

interface DemoInterest {
  author: string;
  org: string;
  partners?: string[];
  message: string;
  chosen?: boolean;
}

interface DemoRequest {
  author: string;
  org: string;
  /** Asked by the national focal point for this country. */
  country?: string;
  language: string;
  texts: Texts;
  translations?: Record<string, Texts>;
  concepts: string[];
  audiences: string[];
  languages: string[];
  urgency: string;
  format: string | null;
  timeframe: [string | null, string | null];
  /** Only these providers instead of the providers' community. */
  providers?: string[];
  /** The steps taken, with how many days ago, and the notes. */
  steps: [status: string, daysAgo: number, by: string, note?: string][];
  interests?: DemoInterest[];
  evaluation?: [number, string];
}

const REQUESTS: DemoRequest[] = [
  {
    author: 'diplomat.do@demo.puente.test',
    org: 'do-mfa',
    country: 'DO',
    language: 'es',
    texts: {
      title: 'Puesta en marcha de un CSIRT sectorial para el sector eléctrico',
      description:
        'La República Dominicana quiere crear un CSIRT sectorial para las empresas de generación, transmisión y distribución eléctrica, coordinado con el CSIRT nacional. Hoy no existe un equipo con capacidad de respuesta en entornos OT ni procedimientos compartidos con los operadores.',
      wanted: 'Acompañamiento para definir el mandato, los servicios y la gobernanza del CSIRT sectorial; formación práctica del equipo en respuesta a incidentes en sistemas de control industrial; un ejercicio de simulación con los operadores al final.',
      constraints: 'La formación debe poder darse en español. Los detalles sobre las carencias actuales no deben salir del círculo de proveedores.',
    },
    translations: {
      en: {
        title: 'Setting up a sectoral CSIRT for the electricity sector',
        description:
          'The Dominican Republic wants to create a sectoral CSIRT for electricity generation, transmission and distribution companies, coordinated with the national CSIRT. Today no team can respond in OT environments and there are no procedures shared with the operators.',
        wanted: 'Support to define the sectoral CSIRT’s mandate, services and governance; hands-on training of the team in incident response for industrial control systems; a table-top exercise with the operators at the end.',
        constraints: 'Training must be possible in Spanish. Details of the current gaps must not leave the circle of providers.',
      },
    },
    concepts: ['takeaways/7c', 'takeaways/11', 'takeaways/9', 'gfce-themes/b', 'ecsf-roles/cyber-incident-responder'],
    audiences: ['csirt-staff', 'officials'],
    languages: ['es', 'en'],
    urgency: 'high',
    format: 'hybrid',
    timeframe: ['2026-10-01', '2027-06-30'],
    steps: [
      ['submitted', 75, 'diplomat.do@demo.puente.test'],
      ['triaged', 72, 'admin@demo.puente.test', 'Fits Team Europe’s CSIRT set-up assistance; the Chilean CSIRT has done the same for its energy sector.'],
      ['open', 70, 'admin@demo.puente.test'],
      ['matched', 50, 'diplomat.do@demo.puente.test'],
      ['in-delivery', 30, 'provider.eu@demo.puente.test', 'Kick-off mission in Santo Domingo held; training of the first cohort scheduled.'],
    ],
    interests: [
      {
        author: 'provider.eu@demo.puente.test',
        org: 'te-agency',
        partners: ['cl-csirt'],
        message:
          'Team Europe proposes CSIRT set-up assistance in triangular cooperation with the national CSIRT of Chile, which set up the CSIRT of its own electricity sector in 2023: a scoping mission, six months of mentoring in Spanish, OT incident-response training for the first team and a closing table-top exercise with the operators.',
        chosen: true,
      },
      {
        author: 'researcher.mx@demo.puente.test',
        org: 'mx-uni',
        message: 'Nuestro laboratorio puede ofrecer un curso en línea de seguridad de sistemas de control industrial (40 horas, en español) para el personal del futuro CSIRT.',
      },
    ],
  },
  {
    author: 'ngo.gt@demo.puente.test',
    org: 'gt-ngo',
    language: 'es',
    texts: {
      title: 'Formación de formadores en ciberhigiene para jóvenes',
      description: 'Queremos formar a 30 formadores comunitarios para que lleven talleres de ciberhigiene y seguridad digital a jóvenes de zonas rurales.',
      wanted: 'Un programa de formación de formadores, con materiales reutilizables en español y en idiomas mayas si es posible.',
      constraints: 'Presupuesto limitado: preferimos formato en línea.',
    },
    concepts: ['gfce-themes/d', 'takeaways/11c'],
    audiences: ['youth', 'civil-society'],
    languages: ['es'],
    urgency: 'normal',
    format: 'online',
    timeframe: ['2027-02-01', '2027-07-31'],
    steps: [['submitted', 3, 'ngo.gt@demo.puente.test']],
  },
  {
    author: 'energy.co@demo.puente.test',
    org: 'co-energy',
    language: 'es',
    texts: {
      title: 'Ejercicio de simulación de respuesta a incidentes en redes de transmisión',
      description: 'Necesitamos poner a prueba nuestro plan de respuesta a incidentes en la red de transmisión con el CSIRT nacional y el regulador.',
      wanted: 'El diseño y la facilitación de un ejercicio de simulación (table-top) de un día, con un escenario de ransomware que alcance sistemas OT.',
      constraints: '',
    },
    concepts: ['takeaways/7d', 'takeaways/11b', 'gfce-themes/b'],
    audiences: ['private-sector', 'csirt-staff'],
    languages: ['es', 'en'],
    urgency: 'normal',
    format: 'in-person',
    timeframe: ['2027-03-01', '2027-05-31'],
    steps: [
      ['submitted', 12, 'energy.co@demo.puente.test'],
      ['triaged', 9, 'admin@demo.puente.test', 'To be opened once the exercise scenario library is ready.'],
    ],
  },
  {
    author: 'researcher.mx@demo.puente.test',
    org: 'mx-uni',
    language: 'es',
    texts: {
      title: 'Curso de derecho internacional aplicable al ciberespacio para docentes',
      description: 'Nuestra facultad quiere incorporar el derecho internacional aplicable al ciberespacio y las normas de comportamiento responsable de los Estados a sus programas.',
      wanted: 'Un curso intensivo para 15 docentes, con materiales que puedan reutilizar en clase.',
      constraints: '',
    },
    concepts: ['takeaways/2b', 'takeaways/2c', 'gfce-themes/a-diplomacy', 'un-norms-2015/h'],
    audiences: ['officials', 'civil-society'],
    languages: ['es', 'en'],
    urgency: 'low',
    format: 'online',
    timeframe: ['2027-01-15', '2027-06-30'],
    steps: [
      ['submitted', 20, 'researcher.mx@demo.puente.test'],
      ['triaged', 18, 'admin@demo.puente.test'],
      ['open', 17, 'admin@demo.puente.test'],
    ],
  },
  {
    author: 'analyst.br@demo.puente.test',
    org: 'br-csirt',
    language: 'pt',
    texts: {
      title: 'Implantação de uma plataforma de compartilhamento de inteligência de ameaças',
      description: 'O CNRIC quer implantar uma plataforma de compartilhamento de indicadores com os CSIRTs setoriais do país, interoperável com MISP e TAXII.',
      wanted: 'Assessoria técnica para a arquitetura, a taxonomia de marcação (TLP) e os procedimentos de compartilhamento; um estágio curto da equipe em um CSIRT europeu.',
      constraints: 'Compartilhado apenas com o provedor nomeado.',
    },
    concepts: ['takeaways/4', 'takeaways/12', 'ecsf-roles/cyber-threat-intelligence-specialist'],
    audiences: ['csirt-staff'],
    languages: ['pt', 'en'],
    urgency: 'normal',
    format: 'hybrid',
    timeframe: ['2026-01-15', '2026-09-30'],
    providers: ['ee-csirt'],
    steps: [
      ['submitted', 330, 'analyst.br@demo.puente.test'],
      ['triaged', 328, 'admin@demo.puente.test'],
      ['open', 327, 'admin@demo.puente.test'],
      ['matched', 310, 'analyst.br@demo.puente.test'],
      ['in-delivery', 290, 'analyst.ee@demo.puente.test'],
      ['completed', 80, 'analyst.br@demo.puente.test', 'Platform in production with four sectoral CSIRTs connected.'],
      ['evaluated', 70, 'analyst.br@demo.puente.test'],
    ],
    interests: [
      {
        author: 'analyst.ee@demo.puente.test',
        org: 'ee-csirt',
        message: 'RKK can advise on the architecture and host two analysts for a three-week placement; we run the same stack with our sectoral teams.',
        chosen: true,
      },
    ],
    evaluation: [5, 'The placement in Tallinn was decisive: the team came back able to run the platform themselves.'],
  },
];

async function insertOne(trx: Transaction<DB>, ctx: DemoContext, d: DemoRequest, secretariat: string, community: string | undefined) {
  const { orgIds, personIds } = ctx;
  const id = newId();
  const person = (email: string) => personIds.get(email)!;
  const chosen = d.interests?.find((i) => i.chosen);
  const keep = chosen ? [orgIds.get(chosen.org)!, ...(chosen.partners ?? []).map((o) => orgIds.get(o)!)] : [];
  const providers = (d.providers ?? []).map((o) => orgIds.get(o)!);
  const status = d.steps.at(-1)![0];
  const created = new Date(Date.now() - d.steps[0]![1] * DAY);
  await insertRequest(trx, {
    id,
    country_code: d.country ?? null,
    ...d.texts,
    language: d.language,
    translations: JSON.stringify(
      Object.fromEntries(Object.entries(d.translations ?? {}).map(([l, f]) => [l, { fields: f, basedOn: 1, machine: false, at: created.toISOString(), by: person(d.author) }])),
    ),
    concepts: d.concepts,
    audiences: d.audiences,
    languages: d.languages,
    urgency: d.urgency,
    format: d.format,
    timeframe_from: d.timeframe[0],
    timeframe_to: d.timeframe[1],
    status,
    evaluation: d.evaluation?.[0] ?? null,
    evaluation_comment: d.evaluation?.[1] ?? '',
    tlp: 'AMBER',
    pap: 'AMBER',
    author_id: person(d.author),
    author_org_id: orgIds.get(d.org)!,
    audience_organisations: [...new Set([secretariat, ...providers, ...keep])],
    audience_communities: providers.length || !community ? [] : [community],
    audience_people: [],
    created_at: created,
    updated_at: new Date(Date.now() - d.steps.at(-1)![1] * DAY),
  });
  for (const [s, daysAgo, by, note] of d.steps) {
    const byPerson = person(by);
    const byOrg = (await trx.selectFrom('people').select('organisation_id').where('id', '=', byPerson).executeTakeFirstOrThrow()).organisation_id;
    await insertStep(trx, { id: newId(), requestId: id, status: s, byPerson, byOrg, note: note ?? '', at: new Date(Date.now() - daysAgo * DAY) });
  }
  const matchedAgo = d.steps.find((s) => s[0] === 'matched')?.[1];
  const skills = d.concepts.filter((c) => c.startsWith('ecsf-roles/'));
  for (const [n, i] of (d.interests ?? []).entries()) {
    const interestId = newId();
    const partners = (i.partners ?? []).map((o) => orgIds.get(o)!);
    const author = orgIds.get(i.org)!;
    // What the answer proposes: the answering organisations' own published offers and vetted
    // experts that share the request's concepts, as the catalogue and the pool hand them to it.
    const viewer: Viewer = { personId: person(i.author), organisationId: author, vetted: true, communityIds: [] };
    const ours = new Set([author, ...partners]);
    const offers = (await matchableOffers(trx, viewer, { concepts: d.concepts, languages: [], limit: 200 })).filter((o) => ours.has(o.providerOrgId)).slice(0, 3);
    const experts = (await matchableExperts(trx, viewer, { concepts: d.concepts.filter((c) => !skills.includes(c)), skills, languages: [], limit: 200 })).filter((e) => ours.has(e.organisationId)).slice(0, 3);
    await trx
      .insertInto('request_interests')
      .values({
        id: interestId,
        request_id: id,
        message: i.message,
        partner_org_ids: partners,
        offer_ids: offers.map((o) => o.id),
        expert_ids: experts.map((e) => e.id),
        status: i.chosen ? 'chosen' : matchedAgo !== undefined ? 'declined' : 'proposed',
        tlp: 'AMBER+STRICT',
        pap: 'AMBER',
        author_id: person(i.author),
        author_org_id: author,
        audience_organisations: [...new Set([orgIds.get(d.org)!, secretariat, ...partners])].filter((o) => o !== author),
        created_at: new Date(Date.now() - ((matchedAgo ?? 10) + 10 - n) * DAY),
      })
      .execute();
    if (i.chosen) await trx.updateTable('assistance_requests').set({ chosen_interest_id: interestId }).where('id', '=', id).execute();
  }
}

/**
 * Requests from LAC members at every stage: the Dominican focal point's sectoral CSIRT (AMBER to
 * the secretariat and the providers, answered jointly by the Team Europe agency and the Chilean
 * CSIRT, in delivery), and others from Guatemala, Colombia, Mexico and Brazil — submitted,
 * triaged, open, and one evaluated that was shared with one named provider only.
 */
export const requestsDemo: FeatureDemo = async (ctx) => {
  const secretariat = ctx.orgIds.get('secretariat')!;
  const community = ctx.communityIds.get(PROVIDERS_COMMUNITY_SLUG);
  for (const d of REQUESTS) await insertOne(ctx.trx, ctx, d, secretariat, community);
};
