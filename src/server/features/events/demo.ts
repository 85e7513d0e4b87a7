import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { FeatureDemo } from '../../demo/context.js';
import { newId } from '../../platform/ids.js';
import './tables.js';

const at = (iso: string) => new Date(iso);
const translation = (fields: Record<string, string>) => ({ fields, basedOn: 1, machine: false, at: '2026-11-20T10:00:00.000Z', by: null });

const MEETING = {
  title: 'Reunión anual de ciberdiplomáticos de la UE y de América Latina y el Caribe 2027',
  description:
    'La reunión anual de la Alianza Digital UE-ALC reúne a los puntos de contacto de los ministerios de Relaciones Exteriores, embajadores cibernéticos y agencias nacionales para hacer balance de los compromisos de la hoja de ruta, preparar el Programa de Acción de las Naciones Unidas y acordar las prioridades de cooperación triangular del año.\n\nInterpretación simultánea en español, inglés, francés y portugués en las sesiones plenarias.',
  agenda:
    '**Día 1 — 13 de abril**\n\n- Apertura y balance de la hoja de ruta UE-CELAC\n- Programa de Acción de la ONU: posiciones birregionales\n- Derecho internacional en el ciberespacio: aplicación práctica\n\n**Día 2 — 14 de abril**\n\n- Medidas de fomento de la confianza y puntos de contacto\n- Cooperación triangular: CSIRT sectoriales\n- Conclusiones y compromisos',
};
const MEETING_T = {
  en: {
    title: 'Annual meeting of EU and Latin American and Caribbean cyber diplomats 2027',
    description:
      'The EU-LAC Digital Alliance’s annual meeting brings together the points of contact of foreign ministries, cyber ambassadors and national agencies to take stock of the roadmap’s commitments, prepare the UN Programme of Action and agree on the year’s priorities for triangular cooperation.\n\nSimultaneous interpretation into Spanish, English, French and Portuguese in the plenary sessions.',
    agenda:
      '**Day 1 — 13 April**\n\n- Opening and stock-take of the EU-CELAC roadmap\n- UN Programme of Action: bi-regional positions\n- International law in cyberspace: applying it in practice\n\n**Day 2 — 14 April**\n\n- Confidence-building measures and points of contact\n- Triangular cooperation: sectoral CSIRTs\n- Conclusions and commitments',
  },
  pt: {
    title: 'Reunião anual de ciberdiplomatas da UE e da América Latina e do Caribe 2027',
    description:
      'A reunião anual da Aliança Digital UE-ALC reúne os pontos de contato dos ministérios das Relações Exteriores, embaixadores cibernéticos e agências nacionais para fazer o balanço dos compromissos do roteiro, preparar o Programa de Ação das Nações Unidas e acordar as prioridades de cooperação triangular do ano.\n\nInterpretação simultânea em espanhol, inglês, francês e português nas sessões plenárias.',
    agenda:
      '**Dia 1 — 13 de abril**\n\n- Abertura e balanço do roteiro UE-CELAC\n- Programa de Ação da ONU: posições birregionais\n- Direito internacional no ciberespaço: aplicação prática\n\n**Dia 2 — 14 de abril**\n\n- Medidas de construção de confiança e pontos de contato\n- Cooperação triangular: CSIRTs setoriais\n- Conclusões e compromissos',
  },
  fr: {
    title: 'Réunion annuelle des cyberdiplomates de l’UE et d’Amérique latine et des Caraïbes 2027',
    description:
      'La réunion annuelle de l’Alliance numérique UE-ALC rassemble les points de contact des ministères des Affaires étrangères, les ambassadeurs pour le numérique et les agences nationales pour faire le point sur les engagements de la feuille de route, préparer le Programme d’action des Nations unies et convenir des priorités de coopération triangulaire de l’année.\n\nInterprétation simultanée en espagnol, anglais, français et portugais lors des séances plénières.',
    agenda:
      '**Jour 1 — 13 avril**\n\n- Ouverture et bilan de la feuille de route UE-CELAC\n- Programme d’action de l’ONU : positions birégionales\n- Droit international dans le cyberespace : application pratique\n\n**Jour 2 — 14 avril**\n\n- Mesures de confiance et points de contact\n- Coopération triangulaire : CSIRT sectoriels\n- Conclusions et engagements',
  },
};

/** Sessions: Santo Domingo is UTC−4 all year. Titles in Spanish with their translations. */
const SESSIONS: { es: string; en: string; pt: string; fr: string; start: string; end: string; room: string; speakers: string[]; interpretation: string[] }[] = [
  {
    es: 'Apertura y balance de la hoja de ruta UE-CELAC',
    en: 'Opening and stock-take of the EU-CELAC roadmap',
    pt: 'Abertura e balanço do roteiro UE-CELAC',
    fr: 'Ouverture et bilan de la feuille de route UE-CELAC',
    start: '2027-04-13T13:00:00Z',
    end: '2027-04-13T14:30:00Z',
    room: 'Salón Las Américas',
    speakers: ['María Fernanda Peña', 'Sofia Marchetti'],
    interpretation: ['en', 'fr', 'pt'],
  },
  {
    es: 'Programa de Acción de la ONU: posiciones birregionales',
    en: 'UN Programme of Action: bi-regional positions',
    pt: 'Programa de Ação da ONU: posições birregionais',
    fr: 'Programme d’action de l’ONU : positions birégionales',
    start: '2027-04-13T15:00:00Z',
    end: '2027-04-13T17:00:00Z',
    room: 'Salón Las Américas',
    speakers: ['Javier Ortega Ruiz'],
    interpretation: ['en', 'fr', 'pt'],
  },
  {
    es: 'Derecho internacional en el ciberespacio: aplicación práctica',
    en: 'International law in cyberspace: applying it in practice',
    pt: 'Direito internacional no ciberespaço: aplicação prática',
    fr: 'Droit international dans le cyberespace : application pratique',
    start: '2027-04-13T18:30:00Z',
    end: '2027-04-13T20:00:00Z',
    room: 'Sala Duarte',
    speakers: ['Claire Dubois'],
    interpretation: ['en'],
  },
  {
    es: 'Medidas de fomento de la confianza y puntos de contacto',
    en: 'Confidence-building measures and points of contact',
    pt: 'Medidas de construção de confiança e pontos de contato',
    fr: 'Mesures de confiance et points de contact',
    start: '2027-04-14T13:00:00Z',
    end: '2027-04-14T14:30:00Z',
    room: 'Salón Las Américas',
    speakers: ['María Fernanda Peña'],
    interpretation: ['en', 'fr', 'pt'],
  },
  {
    es: 'Cooperación triangular: CSIRT sectoriales',
    en: 'Triangular cooperation: sectoral CSIRTs',
    pt: 'Cooperação triangular: CSIRTs setoriais',
    fr: 'Coopération triangulaire : CSIRT sectoriels',
    start: '2027-04-14T15:00:00Z',
    end: '2027-04-14T16:30:00Z',
    room: 'Sala Duarte',
    speakers: ['Camila Rojas Fuentes', 'Luis Manuel Batista', 'Claire Dubois'],
    interpretation: ['en', 'pt'],
  },
  {
    es: 'Conclusiones y compromisos',
    en: 'Conclusions and commitments',
    pt: 'Conclusões e compromissos',
    fr: 'Conclusions et engagements',
    start: '2027-04-14T17:00:00Z',
    end: '2027-04-14T18:00:00Z',
    room: 'Salón Las Américas',
    speakers: ['Sofia Marchetti'],
    interpretation: ['en', 'fr', 'pt'],
  },
];

async function register(trx: Transaction<DB>, eventId: string, personId: string, orgId: string, ticket: number, o: { delegationId?: string; consent?: boolean; answers?: Record<string, unknown> } = {}) {
  const id = newId();
  await trx
    .insertInto('event_registrations')
    .values({ id, event_id: eventId, person_id: personId, organisation_id: orgId, status: 'confirmed', ticket, delegation_id: o.delegationId ?? null, consent_to_list: o.consent ?? true, answers: JSON.stringify(o.answers ?? {}) })
    .execute();
  return id;
}

/**
 * The next annual meeting of EU and LAC cyber diplomats (Santo Domingo, April 2027, CLEAR) with
 * its agenda in four languages, a timetable with rooms, speakers and interpretation, registrations
 * and the delegations of Spain and the Dominican Republic named by their focal points within
 * their quotas; and a webinar of the Team Europe agency for members (GREEN).
 */
export const eventsDemo: FeatureDemo = async ({ trx, orgIds, personIds }) => {
  const person = (email: string) => personIds.get(`${email}@demo.puente.test`)!;
  const meeting = newId();
  await trx
    .insertInto('event_items')
    .values({
      id: meeting,
      kind: 'annual-meeting',
      ...MEETING,
      language: 'es',
      translations: JSON.stringify({ en: translation(MEETING_T.en), pt: translation(MEETING_T.pt), fr: translation(MEETING_T.fr) }),
      place: 'Santo Domingo, Ministerio de Relaciones Exteriores',
      country_code: 'DO',
      starts_at: at('2027-04-13T13:00:00Z'),
      ends_at: at('2027-04-14T18:00:00Z'),
      time_zone: 'America/Santo_Domingo',
      organiser_org_id: orgIds.get('do-mfa')!,
      concepts: ['takeaways/3', 'action-areas/diplomatic'],
      status: 'published',
      registration_open: true,
      moderated: false,
      capacity: 120,
      retention_days: 90,
      questions: JSON.stringify([
        { id: 'dietary', label: 'Dietary requirements', type: 'text', required: false },
        { id: 'interpretation', label: 'Interpretation needed into', type: 'choice', required: false, options: ['English', 'Español', 'Français', 'Português'] },
        { id: 'visa', label: 'Do you need an invitation letter for a visa?', type: 'yes-no', required: true },
      ]),
      last_ticket: 7,
      tlp: 'CLEAR',
      pap: 'CLEAR',
      author_id: person('diplomat.do'),
      author_org_id: orgIds.get('do-mfa')!,
      audience_organisations: [],
      audience_communities: [],
      audience_people: [],
    })
    .execute();
  for (const s of SESSIONS)
    await trx
      .insertInto('event_sessions')
      .values({
        id: newId(),
        event_id: meeting,
        title: s.es,
        translations: JSON.stringify({ en: translation({ title: s.en }), pt: translation({ title: s.pt }), fr: translation({ title: s.fr }) }),
        starts_at: at(s.start),
        ends_at: at(s.end),
        room: s.room,
        speakers: JSON.stringify(s.speakers.map((name) => ({ name, personId: null }))),
        interpretation: s.interpretation,
      })
      .execute();

  // Delegations within their quotas: Spain (3 places, 2 named) and the Dominican Republic (4 places, 2 named).
  const es = newId();
  const dom = newId();
  await trx
    .insertInto('event_delegations')
    .values([
      { id: es, event_id: meeting, country_code: 'ES', quota: 3 },
      { id: dom, event_id: meeting, country_code: 'DO', quota: 4 },
    ])
    .execute();
  const esHead = await register(trx, meeting, person('diplomat.es'), orgIds.get('es-mfa')!, 1, { delegationId: es });
  await register(trx, meeting, person('translator.es'), orgIds.get('es-mfa')!, 2, { delegationId: es, consent: false });
  const doHead = await register(trx, meeting, person('diplomat.do'), orgIds.get('do-mfa')!, 3, { delegationId: dom });
  await register(trx, meeting, person('analyst.do'), orgIds.get('do-csirt')!, 4, { delegationId: dom });
  await trx.updateTable('event_delegations').set({ head_registration_id: esHead }).where('id', '=', es).execute();
  await trx.updateTable('event_delegations').set({ head_registration_id: doHead }).where('id', '=', dom).execute();
  await register(trx, meeting, person('provider.eu'), orgIds.get('te-agency')!, 5, { answers: { visa: false, interpretation: 'Français' } });
  await register(trx, meeting, person('analyst.cl'), orgIds.get('cl-csirt')!, 6, { answers: { visa: false } });
  await register(trx, meeting, person('analyst.ee'), orgIds.get('ee-csirt')!, 7, { answers: { visa: true, dietary: 'Vegetarian' }, consent: false });

  const webinar = newId();
  await trx
    .insertInto('event_items')
    .values({
      id: webinar,
      kind: 'webinar',
      title: 'Setting up a sectoral CSIRT: lessons from Team Europe assistance',
      description: 'A one-hour webinar for members on the steps, staffing and services of a sectoral CSIRT, with the Chilean national CSIRT. Questions welcome in English and Spanish.',
      agenda: '- Why a sectoral CSIRT\n- Mandate, constituency and services\n- Staffing and training paths\n- Questions',
      language: 'en',
      translations: JSON.stringify({
        es: translation({
          title: 'Crear un CSIRT sectorial: lecciones de la asistencia de Team Europe',
          description: 'Un seminario web de una hora para los miembros sobre las etapas, el personal y los servicios de un CSIRT sectorial, con el CSIRT nacional de Chile. Preguntas en inglés y en español.',
          agenda: '- Por qué un CSIRT sectorial\n- Mandato, comunidad atendida y servicios\n- Personal y formación\n- Preguntas',
        }),
        pt: translation({
          title: 'Criar um CSIRT setorial: lições da assistência da Team Europe',
          description: 'Um webinar de uma hora para os membros sobre as etapas, a equipe e os serviços de um CSIRT setorial, com o CSIRT nacional do Chile. Perguntas em inglês e em espanhol.',
          agenda: '- Por que um CSIRT setorial\n- Mandato, público atendido e serviços\n- Equipe e capacitação\n- Perguntas',
        }),
        fr: translation({
          title: 'Créer un CSIRT sectoriel : leçons de l’assistance de la Team Europe',
          description: 'Un webinaire d’une heure pour les membres sur les étapes, l’équipe et les services d’un CSIRT sectoriel, avec le CSIRT national du Chili. Questions en anglais et en espagnol.',
          agenda: '- Pourquoi un CSIRT sectoriel\n- Mandat, public desservi et services\n- Équipe et formation\n- Questions',
        }),
      }),
      place: '',
      online: true,
      online_url: 'https://meet.demo.puente.test/sectoral-csirt',
      starts_at: at('2027-02-10T15:00:00Z'),
      ends_at: at('2027-02-10T16:00:00Z'),
      time_zone: 'Europe/Brussels',
      organiser_org_id: orgIds.get('te-agency')!,
      status: 'published',
      registration_open: true,
      capacity: 100,
      retention_days: 30,
      last_ticket: 1,
      tlp: 'GREEN',
      pap: 'GREEN',
      author_id: person('provider.eu'),
      author_org_id: orgIds.get('te-agency')!,
      audience_organisations: [],
      audience_communities: [],
      audience_people: [],
    })
    .execute();
  await register(trx, webinar, person('analyst.do'), orgIds.get('do-csirt')!, 1);
};
