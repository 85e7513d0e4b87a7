import type { OfferFormat, OfferType, PartnerRole, TargetAudience } from '#shared/capacity';
import type { FeatureDemo } from '../../demo/context.js';
import { newId } from '../../platform/ids.js';
import { offerSlug, TEXT_FIELDS, type Texts } from './service.js';
import { instantOf } from './zones.js';

type Lang = 'en' | 'es' | 'pt-BR' | 'fr';
type Part = Partial<Texts> & { title: string };

interface DemoOffer {
  author: string;
  org: string;
  type: OfferType;
  format: OfferFormat;
  tlp: 'CLEAR' | 'GREEN' | 'AMBER';
  communities?: string[];
  status: 'draft' | 'published';
  language: Lang;
  source: Part;
  translations?: Partial<Record<Lang, Part>>;
  concepts: string[];
  audiences: TargetAudience[];
  languages: string[];
  countries: string[];
  requiresEndorsement?: boolean;
  collaborationType?: string;
  aidType?: string;
  flowType?: string;
  partners: { org: string; role: PartnerRole }[];
  sessions: { starts: string; ends: string; tz: string; place: string; country: string | null; online?: boolean; seats: number; deadline?: string }[];
}

/**
 * The offers the demo names — a summer school of cyber diplomacy modelled on Tallinn's,
 * a study visit, CSIRT set-up assistance in triangular cooperation (a Team Europe agency with the
 * Chilean national CSIRT, for the Dominican Republic and its neighbours), a table-top exercise —
 * and a provider's draft. Fictitious content written for the demo community.
 */
const OFFERS: DemoOffer[] = [
  {
    author: 'analyst.ee@demo.puente.test',
    org: 'ee-csirt',
    type: 'summer-school',
    format: 'in-person',
    tlp: 'CLEAR',
    status: 'published',
    language: 'en',
    source: {
      title: 'Summer School of Cyber Diplomacy 2027',
      summary: 'Five days in Tallinn on international law in cyberspace, the UN norms and the Programme of Action, for diplomats and points of contact of the EU and Latin America and the Caribbean.',
      description:
        '## Programme\n\n- **Day 1** — how international law applies in cyberspace: sovereignty, due diligence, countermeasures.\n- **Day 2** — the eleven UN norms in practice, with cases from both regions.\n- **Day 3** — confidence-building measures and the point-of-contact directories.\n- **Day 4** — a crisis simulation: a cyber operation against a ministry during a summit.\n- **Day 5** — the UN Programme of Action: what each delegation brings.\n\nTeaching by practitioners of foreign ministries, national CSIRTs and academia.',
      eligibility: 'Officials of foreign ministries and national cyber agencies of member countries, with at least two years in a cyber-related post. Good working English.',
      selectionCriteria: 'Role in cyber diplomacy (points of contact first), balance between regions and genders, one place per ministry unless places remain.',
      cost: 'No fee. Travel and accommodation are covered for participants from Latin America and the Caribbean.',
      funding: 'Funded by the Team Europe Cyber Resilience Facility.',
      howToApply: 'Apply in Puente before 30 April 2027, with the endorsement of your ministry. Selected applicants hear by 15 May.',
    },
    translations: {
      es: {
        title: 'Escuela de Verano de Ciberdiplomacia 2027',
        summary: 'Cinco días en Tallin sobre el derecho internacional en el ciberespacio, las normas de la ONU y el Programa de Acción, para diplomáticos y puntos de contacto de la UE y de América Latina y el Caribe.',
        description:
          '## Programa\n\n- **Día 1** — cómo se aplica el derecho internacional en el ciberespacio: soberanía, diligencia debida, contramedidas.\n- **Día 2** — las once normas de la ONU en la práctica, con casos de ambas regiones.\n- **Día 3** — medidas de fomento de la confianza y directorios de puntos de contacto.\n- **Día 4** — simulación de crisis: una ciberoperación contra un ministerio durante una cumbre.\n- **Día 5** — el Programa de Acción de la ONU: qué aporta cada delegación.\n\nDocentes de cancillerías, CSIRT nacionales y universidades.',
        eligibility: 'Funcionarios de cancillerías y agencias nacionales de ciberseguridad de los países miembros, con al menos dos años en un puesto relacionado. Buen nivel de inglés de trabajo.',
        selectionCriteria: 'Función en ciberdiplomacia (primero los puntos de contacto), equilibrio entre regiones y géneros, una plaza por ministerio salvo que queden plazas.',
        cost: 'Sin costo. Viaje y alojamiento cubiertos para participantes de América Latina y el Caribe.',
        funding: 'Financiada por el Mecanismo de Ciberresiliencia del Equipo Europa.',
        howToApply: 'Postule en Puente antes del 30 de abril de 2027, con el aval de su ministerio. Los seleccionados reciben respuesta antes del 15 de mayo.',
      },
      'pt-BR': {
        title: 'Escola de Verão de Diplomacia Cibernética 2027',
        summary: 'Cinco dias em Tallinn sobre direito internacional no ciberespaço, as normas da ONU e o Programa de Ação, para diplomatas e pontos de contato da UE e da América Latina e Caribe.',
        description:
          '## Programa\n\n- **Dia 1** — como o direito internacional se aplica ao ciberespaço: soberania, devida diligência, contramedidas.\n- **Dia 2** — as onze normas da ONU na prática, com casos das duas regiões.\n- **Dia 3** — medidas de construção de confiança e diretórios de pontos de contato.\n- **Dia 4** — simulação de crise: uma operação cibernética contra um ministério durante uma cúpula.\n- **Dia 5** — o Programa de Ação da ONU: o que cada delegação traz.\n\nDocentes de chancelarias, CSIRTs nacionais e universidades.',
        eligibility: 'Servidores de chancelarias e agências nacionais de cibersegurança dos países membros, com pelo menos dois anos em função relacionada. Bom inglês de trabalho.',
        selectionCriteria: 'Função em diplomacia cibernética (pontos de contato primeiro), equilíbrio entre regiões e gêneros, uma vaga por ministério salvo se sobrarem vagas.',
        cost: 'Sem custo. Viagem e hospedagem cobertas para participantes da América Latina e Caribe.',
        funding: 'Financiada pelo Mecanismo de Ciber-resiliência da Equipe Europa.',
        howToApply: 'Candidate-se no Puente até 30 de abril de 2027, com o aval do seu ministério. Os selecionados recebem resposta até 15 de maio.',
      },
      fr: {
        title: 'École d’été de cyberdiplomatie 2027',
        summary: 'Cinq jours à Tallinn sur le droit international dans le cyberespace, les normes de l’ONU et le Programme d’action, pour les diplomates et points de contact de l’UE et d’Amérique latine et des Caraïbes.',
        description:
          '## Programme\n\n- **Jour 1** — l’application du droit international au cyberespace : souveraineté, diligence requise, contre-mesures.\n- **Jour 2** — les onze normes de l’ONU en pratique, avec des cas des deux régions.\n- **Jour 3** — mesures de confiance et annuaires de points de contact.\n- **Jour 4** — simulation de crise : une cyberopération contre un ministère pendant un sommet.\n- **Jour 5** — le Programme d’action de l’ONU : ce que chaque délégation apporte.\n\nEnseignement par des praticiens de ministères, de CSIRT nationaux et d’universités.',
        eligibility: 'Agents des ministères des affaires étrangères et des agences nationales de cybersécurité des pays membres, avec au moins deux ans dans un poste lié. Bon anglais de travail.',
        selectionCriteria: 'Rôle en cyberdiplomatie (points de contact d’abord), équilibre entre régions et genres, une place par ministère sauf places restantes.',
        cost: 'Gratuit. Voyage et hébergement pris en charge pour les participants d’Amérique latine et des Caraïbes.',
        funding: 'Financée par la Facilité de cyber-résilience de l’Équipe Europe.',
        howToApply: 'Postulez dans Puente avant le 30 avril 2027, avec l’approbation de votre ministère. Réponse aux candidats retenus avant le 15 mai.',
      },
    },
    concepts: ['takeaways/7a', 'takeaways/2b', 'takeaways/2c', 'takeaways/2d', 'gfce-themes/a-diplomacy', 'un-norms-2015/h'],
    audiences: ['mfa-points-of-contact', 'cyber-ambassadors', 'officials'],
    languages: ['en'],
    countries: [],
    requiresEndorsement: true,
    aidType: 'D02',
    flowType: '10',
    partners: [
      { org: 'ee-programme', role: 'implementing' },
      { org: 'te-agency', role: 'funding' },
    ],
    sessions: [{ starts: '2027-06-21T09:00', ends: '2027-06-25T17:00', tz: 'Europe/Tallinn', place: 'Tallinn', country: 'EE', seats: 40, deadline: '2027-04-30T23:59' }],
  },
  {
    author: 'provider.eu@demo.puente.test',
    org: 'te-agency',
    type: 'study-visit',
    format: 'in-person',
    tlp: 'CLEAR',
    status: 'published',
    language: 'en',
    source: {
      title: 'Study visit: how EU national CSIRTs coordinate',
      summary: 'A week with three national CSIRTs of the EU CSIRTs Network for heads and analysts of LAC national and sectoral CSIRTs.',
      description: 'Visits to the national CSIRTs of Estonia, Finland and Belgium: their shift organisation, vulnerability coordination, the cooperation of the CSIRTs Network during a cross-border incident, and their work with sectoral teams under NIS2.',
      eligibility: 'Staff of national or sectoral CSIRTs of Latin American and Caribbean member countries.',
      cost: 'Travel, accommodation and daily allowance covered.',
      funding: 'Team Europe Cyber Resilience Facility.',
      howToApply: 'Apply in Puente with a short note on what your team wants to take home.',
    },
    translations: {
      es: {
        title: 'Visita de estudio: cómo se coordinan los CSIRT nacionales de la UE',
        summary: 'Una semana con tres CSIRT nacionales de la Red de CSIRT de la UE para responsables y analistas de CSIRT nacionales y sectoriales de ALC.',
        description: 'Visitas a los CSIRT nacionales de Estonia, Finlandia y Bélgica: organización por turnos, coordinación de vulnerabilidades, la cooperación de la Red de CSIRT en un incidente transfronterizo y su trabajo con los equipos sectoriales bajo NIS2.',
        eligibility: 'Personal de CSIRT nacionales o sectoriales de países miembros de América Latina y el Caribe.',
        cost: 'Viaje, alojamiento y viáticos cubiertos.',
        funding: 'Mecanismo de Ciberresiliencia del Equipo Europa.',
        howToApply: 'Postule en Puente con una nota breve sobre lo que su equipo quiere llevarse.',
      },
    },
    concepts: ['takeaways/7b', 'gfce-themes/b', 'takeaways/12'],
    audiences: ['csirt-staff'],
    languages: ['en', 'es'],
    countries: ['AR', 'BR', 'CL', 'CO', 'CR', 'DO', 'GT', 'JM', 'MX', 'PE', 'UY'],
    aidType: 'D02',
    flowType: '10',
    partners: [{ org: 'fi-csirt', role: 'implementing' }],
    sessions: [{ starts: '2027-03-08T09:00', ends: '2027-03-12T16:00', tz: 'Europe/Brussels', place: 'Brussels, Tallinn and Helsinki', country: 'BE', seats: 12, deadline: '2027-01-31T23:59' }],
  },
  {
    author: 'provider.eu@demo.puente.test',
    org: 'te-agency',
    type: 'assistance-csirt-soc',
    format: 'hybrid',
    tlp: 'CLEAR',
    status: 'published',
    language: 'es',
    source: {
      title: 'Asistencia para crear CSIRT sectoriales en Centroamérica y el Caribe',
      summary: 'Cooperación triangular: el Equipo Europa financia y el CSIRT nacional de Chile acompaña, paso a paso, la creación de un CSIRT sectorial (energía, salud o finanzas).',
      description:
        '## Qué incluye\n\n1. Diagnóstico del sector y de sus operadores esenciales.\n2. Mandato, servicios y gobernanza del CSIRT sectorial.\n3. Procedimientos de gestión de incidentes y de intercambio con el CSIRT nacional.\n4. Formación del primer equipo y un ejercicio de mesa de puesta en marcha.\n\nEl CSIRT nacional de Chile comparte la experiencia de sus CSIRT sectoriales; el Equipo Europa aporta la financiación y expertos de la Red de CSIRT.',
      eligibility: 'Gobiernos y CSIRT nacionales de los países beneficiarios que quieran crear un CSIRT sectorial.',
      selectionCriteria: 'Compromiso institucional (un mandato o su borrador), un equipo designado y un sector priorizado en la estrategia nacional.',
      cost: 'Sin costo para el país beneficiario.',
      funding: 'Mecanismo de Ciberresiliencia del Equipo Europa, con aportes en especie del CSIRT nacional de Chile.',
      howToApply: 'La solicitud la presenta el punto focal nacional en Puente, como solicitud de asistencia; la secretaría la pone en contacto con los socios.',
    },
    translations: {
      en: {
        title: 'Assistance to set up sectoral CSIRTs in Central America and the Caribbean',
        summary: 'Triangular cooperation: Team Europe funds and the national CSIRT of Chile accompanies, step by step, the set-up of a sectoral CSIRT (energy, health or finance).',
        description:
          '## What it includes\n\n1. An assessment of the sector and its essential operators.\n2. The sectoral CSIRT’s mandate, services and governance.\n3. Incident-handling procedures and sharing with the national CSIRT.\n4. Training of the first team and a launch table-top exercise.\n\nThe national CSIRT of Chile shares the experience of its sectoral CSIRTs; Team Europe brings the funding and experts of the CSIRTs Network.',
        eligibility: 'Governments and national CSIRTs of the beneficiary countries that want to set up a sectoral CSIRT.',
        selectionCriteria: 'Institutional commitment (a mandate or its draft), a designated team and a sector prioritised in the national strategy.',
        cost: 'No cost to the beneficiary country.',
        funding: 'Team Europe Cyber Resilience Facility, with in-kind contributions of the national CSIRT of Chile.',
        howToApply: 'The national focal point files it in Puente as a request for assistance; the secretariat puts them in touch with the partners.',
      },
    },
    concepts: ['takeaways/7c', 'takeaways/7e', 'takeaways/11', 'gfce-themes/b', 'un-norms-2015/h'],
    audiences: ['csirt-staff', 'officials'],
    languages: ['es', 'en'],
    countries: ['DO', 'GT', 'HN', 'SV', 'PA'],
    collaborationType: '8',
    aidType: 'D02',
    flowType: '10',
    partners: [
      { org: 'te-agency', role: 'funding' },
      { org: 'te-agency', role: 'extending' },
      { org: 'cl-csirt', role: 'implementing' },
    ],
    sessions: [{ starts: '2027-02-15T09:00', ends: '2027-02-17T17:00', tz: 'America/Santo_Domingo', place: 'Santo Domingo', country: 'DO', seats: 20, deadline: '2027-01-29T23:59' }],
  },
  {
    author: 'analyst.cl@demo.puente.test',
    org: 'cl-csirt',
    type: 'exercise-tabletop',
    format: 'online',
    tlp: 'AMBER',
    communities: ['csirts'],
    status: 'published',
    language: 'es',
    source: {
      title: 'Ejercicio de mesa regional: ransomware en una red de hospitales',
      summary: 'Cuatro horas en línea para CSIRT nacionales y sectoriales: coordinar la respuesta a un ransomware que paraliza hospitales de dos países.',
      description: 'Escenario con inyecciones cada 20 minutos: cifrado de historias clínicas, exigencia de rescate, filtración de datos, consultas de la prensa y de la cancillería. Al final, una revisión conjunta de lo aprendido.',
      eligibility: 'CSIRT de la comunidad de CSIRT de Puente.',
      cost: 'Sin costo.',
      howToApply: 'Inscriba a su equipo (hasta tres personas) en Puente.',
    },
    translations: {
      en: {
        title: 'Regional table-top exercise: ransomware in a hospital network',
        summary: 'Four hours online for national and sectoral CSIRTs: coordinating the response to ransomware that halts hospitals in two countries.',
        description: 'A scenario with injects every 20 minutes: encrypted patient records, a ransom demand, a data leak, questions from the press and the foreign ministry. A joint review of the lessons at the end.',
        eligibility: 'CSIRTs of Puente’s CSIRTs community.',
        cost: 'No cost.',
        howToApply: 'Register your team (up to three people) in Puente.',
      },
    },
    concepts: ['takeaways/7d', 'takeaways/11b', 'gfce-themes/b', 'nis2-sectors/health'],
    audiences: ['csirt-staff'],
    languages: ['es', 'en'],
    countries: [],
    partners: [{ org: 'ee-csirt', role: 'implementing' }],
    sessions: [{ starts: '2027-01-20T14:00', ends: '2027-01-20T18:00', tz: 'America/Santiago', place: '', country: null, online: true, seats: 30, deadline: '2027-01-13T23:59' }],
  },
  {
    author: 'provider.eu@demo.puente.test',
    org: 'te-agency',
    type: 'webinar',
    format: 'online',
    tlp: 'GREEN',
    status: 'draft',
    language: 'fr',
    source: {
      title: 'Webinaire : la boîte à outils 5G de l’UE expliquée aux régulateurs',
      summary: 'Une heure pour présenter les mesures de la boîte à outils et leur mise en œuvre.',
    },
    translations: {},
    concepts: ['takeaways/6'],
    audiences: ['officials', 'private-sector'],
    languages: ['fr', 'es'],
    countries: [],
    partners: [],
    sessions: [],
  },
];

const full = (x: Part): Texts => Object.fromEntries(TEXT_FIELDS.map((f) => [f, x[f] ?? ''])) as Texts;

export const offersDemo: FeatureDemo = async ({ trx, orgIds, personIds, communityIds }) => {
  const at = new Date('2026-11-30T10:00:00Z').toISOString();
  for (const o of OFFERS) {
    const id = newId();
    const author = personIds.get(o.author)!;
    const t = full(o.source);
    await trx
      .insertInto('offers')
      .values({
        id,
        slug: offerSlug(id, t.title),
        type: o.type,
        title: t.title,
        summary: t.summary,
        description: t.description,
        eligibility: t.eligibility,
        cost: t.cost,
        funding: t.funding,
        how_to_apply: t.howToApply,
        selection_criteria: t.selectionCriteria,
        language: o.language,
        translations: JSON.stringify(Object.fromEntries(Object.entries(o.translations ?? {}).map(([lang, x]) => [lang, { fields: full(x), basedOn: 1, machine: false, at, by: author }]))),
        concepts: o.concepts,
        audiences: o.audiences,
        languages: o.languages,
        format: o.format,
        countries: o.countries,
        requires_endorsement: !!o.requiresEndorsement,
        collaboration_type: o.collaborationType ?? null,
        aid_type: o.aidType ?? null,
        flow_type: o.flowType ?? null,
        status: o.status,
        published_at: o.status === 'published' ? new Date(at) : null,
        tlp: o.tlp,
        pap: o.tlp === 'CLEAR' ? 'CLEAR' : 'GREEN',
        author_id: author,
        author_org_id: orgIds.get(o.org)!,
        audience_communities: o.tlp === 'AMBER' ? (o.communities ?? []).map((c) => communityIds.get(c)!) : [],
      })
      .execute();
    if (o.partners.length)
      await trx
        .insertInto('offer_partners')
        .values(o.partners.map((x, position) => ({ id: newId(), offer_id: id, organisation_id: orgIds.get(x.org)!, role: x.role, position })))
        .execute();
    for (const s of o.sessions)
      await trx
        .insertInto('offer_sessions')
        .values({
          id: newId(),
          offer_id: id,
          starts_at: instantOf(s.starts, s.tz, 'startsAt'),
          ends_at: instantOf(s.ends, s.tz, 'endsAt'),
          time_zone: s.tz,
          place: s.place,
          country: s.country,
          online: !!s.online,
          seats: s.seats,
          application_deadline: s.deadline ? instantOf(s.deadline, s.tz, 'applicationDeadline') : null,
        })
        .execute();
  }
};
