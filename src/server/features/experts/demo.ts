import type { FeatureDemo } from '../../demo/context.js';
import { newId } from '../../platform/ids.js';
import { withTranslation } from '../../platform/translations.js';
import { insertAvailability, insertExpert, insertMission } from './repository.js';

interface DemoMission {
  title: string;
  country: string;
  /** Days from the demo's load (negative: in the past). */
  start: number;
  days: number;
  host: string;
  /** Score and comment of the receiving organisation; `by`: the demo account that gave it, if it has one. */
  evaluation?: { score: number; comment: string; by?: string };
}

interface DemoExpert {
  person: string;
  org: string;
  language: string;
  headline: string;
  biography: string;
  translations?: Record<string, { headline: string; biography: string }>;
  skills: string[];
  concepts: string[];
  languages: string[];
  countries: string[];
  status: 'proposed' | 'vetted';
  tlp: 'GREEN' | 'AMBER';
  /** Under AMBER: the communities (by slug) and organisations (by key) it is shared with. */
  communities?: string[];
  organisations?: string[];
  /** Availability windows, in days from the demo's load. */
  windows: { start: number; days: number; note?: string }[];
  missions: DemoMission[];
}

const EXPERTS: DemoExpert[] = [
  {
    person: 'analyst.cl@demo.puente.test',
    org: 'cl-csirt',
    language: 'es',
    headline: 'Respuesta a incidentes y puesta en marcha de CSIRT sectoriales',
    biography:
      'Coordina la respuesta a incidentes del equipo nacional de Chile. Acompañó la creación de los CSIRT de los sectores de energía y salud: catálogo de servicios, procedimientos de gestión de incidentes, turnos y acuerdos con los operadores.',
    translations: {
      en: {
        headline: 'Incident response and setting up sectoral CSIRTs',
        biography:
          'Coordinates incident response at Chile’s national team. Accompanied the creation of the energy and health sector CSIRTs: service catalogue, incident handling procedures, shifts and agreements with the operators.',
      },
    },
    skills: ['ecsf-roles/cyber-incident-responder', 'ecsf-roles/cybersecurity-architect'],
    concepts: ['gfce-themes/b', 'takeaways/7c', 'takeaways/11b'],
    languages: ['es', 'en'],
    countries: ['CL', 'PE', 'UY'],
    status: 'vetted',
    tlp: 'GREEN',
    windows: [
      { start: 20, days: 45, note: 'Misiones de hasta dos semanas; a distancia el resto del periodo.' },
      { start: 120, days: 30 },
    ],
    missions: [
      {
        title: 'Puesta en marcha del CSIRT del sector financiero del Perú',
        country: 'PE',
        start: -420,
        days: 10,
        host: 'pe-fin-csirt',
        evaluation: { score: 5, comment: 'Procedimientos listos para usar y un acompañamiento muy cercano del equipo.' },
      },
      { title: 'Revisión del plan de respuesta a incidentes del CRI-UY', country: 'UY', start: -150, days: 5, host: 'uy-csirt', evaluation: { score: 4, comment: 'Recomendaciones claras y priorizadas.' } },
    ],
  },
  {
    person: 'provider.eu@demo.puente.test',
    org: 'te-agency',
    language: 'en',
    headline: 'CSIRT and SOC architecture: from the service catalogue to the tooling',
    biography:
      'Leads the Team Europe facility’s technical assistance to national and sectoral CSIRTs: mandate and services, the ticketing and intelligence tools, secure communications and the first exercises. Works in French, English and Spanish.',
    translations: {
      es: {
        headline: 'Arquitectura de CSIRT y SOC: del catálogo de servicios a las herramientas',
        biography:
          'Dirige la asistencia técnica del mecanismo del Equipo Europa a los CSIRT nacionales y sectoriales: mandato y servicios, herramientas de tickets e inteligencia, comunicaciones seguras y los primeros ejercicios. Trabaja en francés, inglés y español.',
      },
      fr: {
        headline: 'Architecture de CSIRT et de SOC : du catalogue de services à l’outillage',
        biography:
          'Dirige l’assistance technique du dispositif de l’Équipe Europe aux CSIRT nationaux et sectoriels : mandat et services, outils de tickets et de renseignement, communications sécurisées et premiers exercices. Travaille en français, en anglais et en espagnol.',
      },
    },
    skills: ['ecsf-roles/cybersecurity-architect', 'ecsf-roles/cyber-incident-responder', 'ecsf-roles/cybersecurity-implementer'],
    concepts: ['gfce-themes/b', 'takeaways/7c', 'takeaways/7e'],
    languages: ['fr', 'en', 'es'],
    countries: ['CR', 'JM', 'PA', 'EC'],
    status: 'vetted',
    tlp: 'GREEN',
    windows: [{ start: 35, days: 60 }],
    missions: [
      {
        title: 'Technical assistance to the national CSIRT of Costa Rica: tooling and procedures',
        country: 'CR',
        start: -300,
        days: 15,
        host: 'cr-csirt',
        evaluation: { score: 4, comment: 'Well prepared; the tooling is in daily use. More time for hand-over next time.' },
      },
      { title: 'Scoping visit for a SOC of the digital government office', country: 'EC', start: -60, days: 3, host: 'ec-gov' },
    ],
  },
  {
    person: 'analyst.ee@demo.puente.test',
    org: 'ee-csirt',
    language: 'en',
    headline: 'Table-top and technical exercises for incident response teams',
    biography: 'Designs and runs exercises for CSIRTs and crisis cells, from a two-hour table-top to a two-day technical drill, and trains the teams that will run them again.',
    translations: {
      es: {
        headline: 'Ejercicios de simulación y técnicos para equipos de respuesta a incidentes',
        biography: 'Diseña y dirige ejercicios para CSIRT y células de crisis, desde una simulación de dos horas hasta un ejercicio técnico de dos días, y forma a los equipos que los repetirán.',
      },
    },
    skills: ['ecsf-roles/cybersecurity-educator', 'ecsf-roles/cyber-incident-responder'],
    concepts: ['gfce-themes/b', 'gfce-themes/d', 'takeaways/7d'],
    languages: ['et', 'en'],
    countries: ['EE', 'UY', 'CL', 'JM'],
    status: 'vetted',
    tlp: 'AMBER',
    communities: ['capacity-building', 'csirts'],
    organisations: ['do-mfa'],
    windows: [{ start: 60, days: 21, note: 'Remote preparation possible before.' }],
    missions: [
      {
        title: 'Regional table-top exercise for Latin American CSIRTs',
        country: 'UY',
        start: -200,
        days: 2,
        host: 'uy-csirt',
        evaluation: { score: 5, comment: 'Realistic injects and a very useful debrief.' },
      },
      {
        title: 'Ransomware exercise with the national CSIRT of Chile',
        country: 'CL',
        start: -90,
        days: 2,
        host: 'cl-csirt',
        evaluation: { score: 5, comment: 'Excelente facilitación; adaptado a nuestros procedimientos.', by: 'analyst.cl@demo.puente.test' },
      },
    ],
  },
  {
    person: 'diplomat.es@demo.puente.test',
    org: 'es-mfa',
    language: 'es',
    headline: 'Ciberdiplomacia: normas de comportamiento responsable y medidas de fomento de la confianza',
    biography: 'Negociador en el Grupo de Trabajo de Composición Abierta y en el Programa de Acción de las Naciones Unidas. Forma a puntos de contacto de ministerios de Asuntos Exteriores.',
    skills: ['ecsf-roles/cyber-legal-policy-compliance-officer'],
    concepts: ['gfce-themes/a-diplomacy', 'takeaways/2a', 'takeaways/2c'],
    languages: ['es', 'en', 'fr'],
    countries: ['ES', 'DO', 'GT', 'HN'],
    status: 'vetted',
    tlp: 'GREEN',
    windows: [{ start: 15, days: 90 }],
    missions: [
      {
        title: 'Taller sobre el marco de las Naciones Unidas para puntos de contacto de la cancillería',
        country: 'DO',
        start: -240,
        days: 2,
        host: 'do-mfa',
        evaluation: { score: 4, comment: 'Muy útil para preparar nuestra intervención en el Programa de Acción.', by: 'diplomat.do@demo.puente.test' },
      },
    ],
  },
  {
    person: 'analyst.br@demo.puente.test',
    org: 'br-csirt',
    language: 'pt-BR',
    headline: 'Inteligência de ameaças e compartilhamento com MISP e STIX',
    biography: 'Analista de inteligência de ameaças do centro nacional. Implantou o compartilhamento de indicadores com CSIRTs setoriais e ministra cursos de análise forense inicial.',
    translations: {
      es: {
        headline: 'Inteligencia de amenazas e intercambio con MISP y STIX',
        biography: 'Analista de inteligencia de amenazas del centro nacional. Implantó el intercambio de indicadores con CSIRT sectoriales e imparte cursos de análisis forense inicial.',
      },
    },
    skills: ['ecsf-roles/cyber-threat-intelligence-specialist', 'ecsf-roles/digital-forensics-investigator'],
    concepts: ['gfce-themes/b', 'takeaways/12'],
    languages: ['pt-BR', 'es', 'en'],
    countries: ['BR', 'PY', 'BO'],
    status: 'vetted',
    tlp: 'AMBER',
    communities: ['csirts'],
    windows: [{ start: 45, days: 30 }],
    missions: [{ title: 'Implantação de uma instância MISP para o centro de pesquisa da Universidad Andina de Tecnología', country: 'BO', start: -120, days: 5, host: 'bo-uni' }],
  },
  {
    person: 'researcher.mx@demo.puente.test',
    org: 'mx-uni',
    language: 'es',
    headline: 'Seguridad de sistemas de control industrial y formación de equipos de respuesta',
    biography: 'Investiga la seguridad de las redes eléctricas y de agua. Imparte el curso de gestión de incidentes para operadores de infraestructuras críticas del laboratorio.',
    skills: ['ecsf-roles/cybersecurity-researcher', 'ecsf-roles/cybersecurity-educator', 'ecsf-roles/cyber-incident-responder'],
    concepts: ['gfce-themes/b', 'gfce-themes/d', 'takeaways/9'],
    languages: ['es', 'en'],
    countries: ['MX', 'GT', 'HN', 'CO'],
    status: 'vetted',
    tlp: 'GREEN',
    windows: [{ start: 10, days: 40 }],
    missions: [
      {
        title: 'Curso de gestión de incidentes para el operador eléctrico andino',
        country: 'CO',
        start: -180,
        days: 4,
        host: 'co-energy',
        evaluation: { score: 4, comment: 'Ejercicios prácticos muy cercanos a nuestra operación.', by: 'energy.co@demo.puente.test' },
      },
    ],
  },
  {
    person: 'translator.es@demo.puente.test',
    org: 'es-mfa',
    language: 'es',
    headline: 'Legislación sobre ciberdelincuencia y el Convenio de Budapest en Iberoamérica',
    biography: 'Jurista y traductora: ha acompañado la adaptación de leyes sobre ciberdelincuencia al Convenio de Budapest en tres países.',
    skills: ['ecsf-roles/cyber-legal-policy-compliance-officer'],
    concepts: ['gfce-themes/c'],
    languages: ['es', 'pt', 'en', 'fr'],
    countries: ['ES', 'PT'],
    // Waiting for the ministry's admin to vet her: only the ministry sees the profile.
    status: 'proposed',
    tlp: 'GREEN',
    windows: [],
    missions: [],
  },
];

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * The expert pool: seven people of demo organisations, six vetted (two of them fit a request to
 * set up a sectoral CSIRT, in Spanish) and one proposed, waiting in her ministry's vetting list.
 * Dates are relative to the day the demo is loaded, so availability is ahead of the reader.
 */
export const expertsDemo: FeatureDemo = async ({ trx, orgIds, personIds, communityIds }) => {
  for (const e of EXPERTS) {
    const id = newId();
    const personId = personIds.get(e.person)!;
    const orgId = orgIds.get(e.org)!;
    let translations = {};
    for (const [lang, t] of Object.entries(e.translations ?? {})) translations = withTranslation(translations, { language: e.language, source_rev: 1 }, lang, t, { by: null });
    const admin = e.org === 'es-mfa' ? personIds.get('diplomat.es@demo.puente.test')! : personId;
    await insertExpert(trx, {
      id,
      person_id: personId,
      headline: e.headline,
      biography: e.biography,
      language: e.language,
      translations: JSON.stringify(translations),
      skills: e.skills,
      concepts: e.concepts,
      languages: e.languages,
      countries: e.countries,
      status: e.status,
      vetted_by: e.status === 'vetted' ? admin : null,
      vetted_at: e.status === 'vetted' ? new Date() : null,
      tlp: e.tlp,
      pap: 'GREEN',
      author_id: personId,
      author_org_id: orgId,
      audience_organisations: e.tlp === 'AMBER' ? (e.organisations ?? []).map((k) => orgIds.get(k)!) : [],
      audience_communities: e.tlp === 'AMBER' ? (e.communities ?? []).map((k) => communityIds.get(k)!) : [],
      audience_people: [],
    });
    for (const w of e.windows) await insertAvailability(trx, { id: newId(), expertId: id, from: day(w.start), to: day(w.start + w.days), note: w.note ?? '' });
    for (const m of e.missions) {
      const missionId = newId();
      const host = orgIds.get(m.host)!;
      await insertMission(trx, missionId, id, personId, { title: m.title, country: m.country, startsOn: day(m.start), endsOn: day(m.start + m.days - 1), offerId: null, requestId: null, hostOrgId: host });
      if (m.evaluation)
        await trx
          .updateTable('expert_missions')
          .set({ evaluation: m.evaluation.score, evaluation_comment: m.evaluation.comment, evaluated_by: m.evaluation.by ? personIds.get(m.evaluation.by)! : null, evaluated_by_org: host, evaluated_at: day(m.start + m.days + 7) })
          .where('id', '=', missionId)
          .execute();
    }
  }
};
