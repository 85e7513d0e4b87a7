import type { FeatureDemo } from '../../demo/context.js';
import { newId } from '../../platform/ids.js';
import { withTranslation, type Translations } from '../../platform/translations.js';
import { eliOf, type EuInstrumentId, type EuRelation, type InstrumentStatus, type InstrumentType } from '#shared/countries';

/**
 * Country pages of the demo: priorities stated by the demo's national focal points (Spain:
 * diplomat.es, the Dominican Republic: diplomat.do) and policy-tracker entries for those two and
 * for Brazil and Chile (entered by the secretariat). Written in Spanish and Portuguese with
 * some English versions — some missing, one outdated, one made by a machine — and marked CLEAR,
 * GREEN and AMBER for the cyber diplomats' or the 5G policy community. The instruments are real
 * ones, summarised for the demo; dates of drafts are illustrative.
 */

interface DemoTranslation {
  fields: Record<string, string>;
  machine?: boolean;
  /** Made from an earlier text of the source: shown as outdated. */
  outdated?: boolean;
}

interface Marked {
  country: string;
  author: string;
  org: string;
  tlp: 'CLEAR' | 'GREEN' | 'AMBER';
  /** AMBER: community slugs. */
  communities?: string[];
  language: string;
  translations?: Record<string, DemoTranslation>;
}

interface DemoPriority extends Marked {
  title: string;
  body: string;
  /** The text before its last edit (the history then has two versions). */
  earlierBody?: string;
  concepts: string[];
  reviewDate: string;
}

interface DemoInstrument extends Marked {
  type: InstrumentType;
  title: string;
  summary: string;
  year: number;
  number: string;
  date?: string;
  authority: string;
  timeline: [InstrumentStatus, string][];
  sectors: string[];
  concepts: string[];
  euLinks: { instrument: EuInstrumentId; relation: EuRelation; note?: string }[];
  expressions: { language: string; url: string; title?: string; authoritative?: boolean }[];
}

const ES = { country: 'ES', author: 'diplomat.es@demo.puente.test', org: 'es-mfa' };
const DO = { country: 'DO', author: 'diplomat.do@demo.puente.test', org: 'do-mfa' };
const SEC = { author: 'admin@demo.puente.test', org: 'secretariat' };

export const DEMO_PRIORITIES: DemoPriority[] = [
  {
    ...ES,
    tlp: 'CLEAR',
    language: 'es',
    title: 'Aplicación de las normas de comportamiento responsable de los Estados en el ciberespacio',
    body: 'España impulsa la aplicación práctica de las once normas del informe de 2015 del Grupo de Expertos Gubernamentales de las Naciones Unidas, con especial atención a la protección de las infraestructuras críticas y a la cooperación entre equipos de respuesta a incidentes. Proponemos compartir con los socios de América Latina y el Caribe listas de verificación nacionales sobre la aplicación de las normas y presentarlas en la reunión anual de diplomáticos del ciberespacio UE-ALC.',
    concepts: ['un-norms-2015/f', 'un-norms-2015/g', 'un-norms-2015/k', 'takeaways/2c', 'action-areas/diplomatic'],
    reviewDate: '2027-06-30',
    translations: {
      en: {
        fields: {
          title: 'Implementing the norms of responsible state behaviour in cyberspace',
          body: 'Spain promotes the practical implementation of the eleven norms of the 2015 report of the UN Group of Governmental Experts, with particular attention to the protection of critical infrastructure and to cooperation between incident response teams. We propose to share national checklists on norms implementation with partners in Latin America and the Caribbean and to present them at the annual EU-LAC meeting of cyber diplomats.',
        },
      },
    },
  },
  {
    ...ES,
    tlp: 'GREEN',
    language: 'es',
    title: 'Un Programa de Acción de las Naciones Unidas permanente y orientado a la acción',
    body: 'España apoya que el futuro mecanismo permanente de las Naciones Unidas sobre la seguridad de las TIC tenga un enfoque práctico: desarrollo de capacidades, puntos de contacto y un repositorio voluntario de buenas prácticas. Buscamos posiciones comunes con los Estados de la CELAC antes de cada sesión plenaria.',
    earlierBody: 'España apoya un Programa de Acción de las Naciones Unidas permanente para promover el comportamiento responsable de los Estados en el ciberespacio.',
    concepts: ['takeaways/2d', 'workstreams/joint-initiatives'],
    reviewDate: '2026-03-31',
    translations: {
      en: {
        outdated: true,
        fields: { title: 'A permanent, action-oriented UN Programme of Action', body: 'Spain supports a permanent UN Programme of Action to advance responsible state behaviour in cyberspace.' },
      },
    },
  },
  {
    ...ES,
    tlp: 'AMBER',
    communities: ['cyber-diplomats'],
    language: 'es',
    title: 'Coordinación previa de las declaraciones de atribución',
    body: 'Propuesta de trabajo para la comunidad de diplomáticos del ciberespacio: intercambiar por canales seguros las evaluaciones nacionales antes de una declaración pública de atribución y acordar un plazo de consultas de 48 horas entre cancillerías.',
    concepts: ['un-norms-2015/b', 'takeaways/3'],
    reviewDate: '2027-01-31',
  },
  {
    ...DO,
    tlp: 'CLEAR',
    language: 'es',
    title: 'Fortalecer el CSIRT nacional y la fuerza laboral en ciberseguridad',
    body: 'La República Dominicana prioriza la formación de analistas de respuesta a incidentes y un programa nacional de pasantías con las universidades, con el apoyo de la asistencia técnica del Equipo Europa y la cooperación triangular con socios de la región.',
    concepts: ['santo-domingo-pillars/workforce', 'takeaways/7c', 'takeaways/7e', 'gfce-themes/d'],
    reviewDate: '2027-09-30',
    translations: {
      en: {
        machine: true,
        fields: {
          title: 'Strengthen the national CSIRT and the cybersecurity workforce',
          body: 'The Dominican Republic prioritises the training of incident response analysts and a national internship programme with universities, with the support of Team Europe technical assistance and triangular cooperation with partners in the region.',
        },
      },
    },
  },
  {
    ...DO,
    tlp: 'GREEN',
    language: 'es',
    title: 'Medidas de fomento de la confianza en la OEA',
    body: 'Actualizar cada año la lista nacional de puntos de contacto y participar en los ejercicios de comunicación del grupo de trabajo de la OEA sobre medidas de fomento de la cooperación y la confianza en el ciberespacio.',
    concepts: ['takeaways/3', 'gfce-themes/a-diplomacy', 'santo-domingo-pillars/cooperation'],
    reviewDate: '2027-05-31',
  },
  {
    ...DO,
    tlp: 'AMBER',
    communities: ['cyber-diplomats'],
    language: 'es',
    title: 'Ejercicio regional de gestión de crisis en el Caribe',
    body: 'Borrador para la comunidad: un ejercicio de mesa entre cancillerías y CSIRT del Caribe en 2026, con un escenario de ransomware contra un puerto regional. Buscamos copatrocinadores europeos.',
    concepts: ['takeaways/7d', 'takeaways/12'],
    reviewDate: '2027-02-28',
  },
];

export const DEMO_INSTRUMENTS: DemoInstrument[] = [
  {
    ...ES,
    tlp: 'CLEAR',
    language: 'es',
    type: 'strategy',
    title: 'Estrategia Nacional de Ciberseguridad 2019',
    summary: 'Marco estratégico de la política de ciberseguridad de España: cinco objetivos y siete líneas de acción, con el Consejo Nacional de Ciberseguridad como órgano de coordinación.',
    year: 2019,
    number: 'pci-487',
    date: '2019-04-26',
    authority: 'Consejo de Seguridad Nacional',
    timeline: [
      ['adopted', '2019-04-26'],
      ['in_force', '2019-05-01'],
    ],
    sectors: [],
    concepts: ['gfce-themes/a-strategy'],
    euLinks: [],
    expressions: [{ language: 'es', url: 'https://www.boe.es/eli/es/o/2019/04/26/pci487', authoritative: true }],
    translations: {
      en: { fields: { title: 'National Cybersecurity Strategy 2019', summary: 'The strategic framework of Spain’s cybersecurity policy: five objectives and seven lines of action, coordinated by the National Cybersecurity Council.' } },
    },
  },
  {
    ...ES,
    tlp: 'CLEAR',
    language: 'es',
    type: 'law',
    title: 'Real Decreto-ley 12/2018, de seguridad de las redes y sistemas de información',
    summary: 'Obligaciones de seguridad y notificación de incidentes para los operadores de servicios esenciales y los proveedores de servicios digitales.',
    year: 2018,
    number: 'rdl-12',
    date: '2018-09-07',
    authority: 'Ministerio del Interior; Secretaría de Estado de Digitalización e Inteligencia Artificial',
    timeline: [
      ['adopted', '2018-09-07'],
      ['in_force', '2018-09-09'],
    ],
    sectors: ['energy', 'transport', 'banking', 'financial', 'health', 'drinking-water', 'digital-infrastructure'],
    concepts: ['takeaways/8'],
    euLinks: [{ instrument: 'nis2', relation: 'differs_from', note: 'Transpone la primera Directiva NIS (2016/1148); la NIS2 se transpone con una nueva ley.' }],
    expressions: [{ language: 'es', url: 'https://www.boe.es/eli/es/rdl/2018/09/07/12', authoritative: true }],
  },
  {
    ...ES,
    tlp: 'CLEAR',
    language: 'es',
    type: 'law',
    title: 'Real Decreto-ley 7/2022, sobre requisitos para garantizar la seguridad de las redes y servicios de comunicaciones electrónicas de quinta generación',
    summary: 'Evaluación de riesgos de los suministradores y medidas de seguridad para las redes 5G.',
    year: 2022,
    number: 'rdl-7',
    date: '2022-03-29',
    authority: 'Ministerio para la Transformación Digital',
    timeline: [
      ['adopted', '2022-03-29'],
      ['in_force', '2022-03-31'],
    ],
    sectors: ['digital-infrastructure'],
    concepts: ['takeaways/6'],
    euLinks: [{ instrument: '5g-toolbox', relation: 'transposes', note: 'Lleva a la ley las medidas estratégicas de la caja de herramientas.' }],
    expressions: [{ language: 'es', url: 'https://www.boe.es/eli/es/rdl/2022/03/29/7', authoritative: true }],
  },
  {
    ...ES,
    tlp: 'GREEN',
    language: 'es',
    type: 'law',
    title: 'Anteproyecto de Ley de Coordinación y Gobernanza de la Ciberseguridad',
    summary: 'Transposición de la Directiva NIS2: entidades esenciales e importantes, gestión de riesgos, notificación de incidentes y un Centro Nacional de Ciberseguridad.',
    year: 2025,
    number: 'coordinacion-gobernanza',
    authority: 'Ministerio del Interior',
    timeline: [
      ['draft', '2025-01-14'],
      ['public_consultation', '2025-01-20'],
    ],
    sectors: ['energy', 'transport', 'health', 'digital-infrastructure', 'public-administration', 'space'],
    concepts: ['takeaways/5', 'takeaways/8'],
    euLinks: [
      { instrument: 'nis2', relation: 'transposes' },
      { instrument: 'cer', relation: 'aligns_with' },
    ],
    expressions: [],
  },
  {
    ...ES,
    tlp: 'AMBER',
    communities: ['5g-policy'],
    language: 'es',
    type: 'guideline',
    title: 'Criterios para la evaluación de suministradores de redes 5G (borrador)',
    summary: 'Borrador de trabajo para el diálogo sobre políticas 5G: criterios de riesgo no técnicos y su peso en la evaluación.',
    year: 2025,
    number: 'criterios-5g',
    authority: 'Ministerio para la Transformación Digital',
    timeline: [['draft', '2025-09-15']],
    sectors: ['digital-infrastructure'],
    concepts: ['takeaways/6', 'takeaways/10'],
    euLinks: [{ instrument: '5g-toolbox', relation: 'aligns_with' }],
    expressions: [],
  },
  {
    ...DO,
    tlp: 'CLEAR',
    language: 'es',
    type: 'law',
    title: 'Ley 53-07 sobre Crímenes y Delitos de Alta Tecnología',
    summary: 'Tipifica los delitos informáticos y organiza su investigación y persecución.',
    year: 2007,
    number: '53-07',
    date: '2007-04-23',
    authority: 'Procuraduría General de la República',
    timeline: [
      ['adopted', '2007-04-23'],
      ['in_force', '2007-04-23'],
    ],
    sectors: [],
    concepts: ['gfce-themes/c'],
    euLinks: [],
    expressions: [],
  },
  {
    ...DO,
    tlp: 'CLEAR',
    language: 'es',
    type: 'strategy',
    title: 'Estrategia Nacional de Ciberseguridad 2030',
    summary: 'Objetivos nacionales de ciberseguridad hasta 2030: gobernanza, protección de infraestructuras críticas, capacidades y cooperación internacional.',
    year: 2022,
    number: 'estrategia-2030',
    authority: 'Centro Nacional de Ciberseguridad',
    timeline: [
      ['adopted', '2022-06-01'],
      ['in_force', '2022-06-01'],
    ],
    sectors: ['energy', 'banking', 'digital-infrastructure', 'public-administration'],
    concepts: ['gfce-themes/a-strategy', 'santo-domingo-pillars/ecosystems'],
    euLinks: [{ instrument: 'nis2', relation: 'inspired_by' }],
    expressions: [],
    translations: { en: { fields: { title: 'National Cybersecurity Strategy 2030', summary: 'National cybersecurity objectives to 2030: governance, critical infrastructure protection, capacities and international cooperation.' } } },
  },
  {
    ...DO,
    tlp: 'GREEN',
    language: 'es',
    type: 'law',
    title: 'Anteproyecto de Ley de Ciberseguridad',
    summary: 'Obligaciones de gestión de riesgos y notificación para los operadores de servicios esenciales, incluidos los puertos y la energía.',
    year: 2025,
    number: 'ciberseguridad',
    authority: 'Centro Nacional de Ciberseguridad',
    timeline: [['draft', '2025-05-12']],
    sectors: ['energy', 'transport', 'health', 'digital-infrastructure'],
    concepts: ['takeaways/5', 'takeaways/9'],
    euLinks: [
      { instrument: 'nis2', relation: 'inspired_by' },
      { instrument: 'cer', relation: 'inspired_by' },
    ],
    expressions: [],
  },
  {
    ...SEC,
    country: 'BR',
    tlp: 'CLEAR',
    language: 'pt',
    type: 'strategy',
    title: 'Política Nacional de Cibersegurança (PNCiber)',
    summary: 'Institui a Política Nacional de Cibersegurança e o Comitê Nacional de Cibersegurança, com princípios, objetivos e instrumentos para a proteção do ciberespaço brasileiro.',
    year: 2023,
    number: '11856',
    date: '2023-12-26',
    authority: 'Gabinete de Segurança Institucional da Presidência da República',
    timeline: [
      ['adopted', '2023-12-26'],
      ['in_force', '2023-12-27'],
    ],
    sectors: ['public-administration', 'digital-infrastructure'],
    concepts: ['gfce-themes/a-strategy'],
    euLinks: [{ instrument: 'nis2', relation: 'differs_from', note: 'Uma política com um comitê de coordenação, sem obrigações para as entidades.' }],
    expressions: [{ language: 'pt', url: 'https://www.planalto.gov.br/ccivil_03/_ato2023-2026/2023/decreto/D11856.htm', authoritative: true }],
    translations: {
      en: {
        fields: {
          title: 'National Cybersecurity Policy (PNCiber)',
          summary: 'Establishes the National Cybersecurity Policy and the National Cybersecurity Committee, with principles, objectives and instruments to protect Brazil’s cyberspace.',
        },
      },
    },
  },
  {
    ...SEC,
    country: 'BR',
    tlp: 'GREEN',
    language: 'pt',
    type: 'guideline',
    title: 'Requisitos de segurança para redes 5G',
    summary: 'Requisitos de segurança cibernética para as operadoras de redes 5G, em consulta pública.',
    year: 2025,
    number: 'requisitos-5g',
    authority: 'Agência Nacional de Telecomunicações',
    timeline: [
      ['draft', '2025-03-10'],
      ['public_consultation', '2025-04-01'],
    ],
    sectors: ['digital-infrastructure'],
    concepts: ['takeaways/6'],
    euLinks: [{ instrument: '5g-toolbox', relation: 'aligns_with' }],
    expressions: [],
  },
  {
    ...SEC,
    country: 'CL',
    tlp: 'CLEAR',
    language: 'es',
    type: 'law',
    title: 'Ley 21.663, Ley Marco de Ciberseguridad',
    summary: 'Crea la Agencia Nacional de Ciberseguridad y establece deberes de gestión de riesgos y notificación de incidentes para los servicios esenciales y los operadores de importancia vital.',
    year: 2024,
    number: '21663',
    date: '2024-03-26',
    authority: 'Agencia Nacional de Ciberseguridad',
    timeline: [
      ['adopted', '2024-03-26'],
      ['in_force', '2024-04-08'],
    ],
    sectors: ['energy', 'transport', 'banking', 'health', 'drinking-water', 'digital-infrastructure', 'public-administration'],
    concepts: ['takeaways/5', 'takeaways/8'],
    euLinks: [{ instrument: 'nis2', relation: 'inspired_by' }],
    expressions: [],
    translations: {
      en: { fields: { title: 'Law 21.663, Framework Law on Cybersecurity', summary: 'Creates the National Cybersecurity Agency and sets risk-management and incident-notification duties for essential services and operators of vital importance.' } },
    },
  },
];

/** The demo's versions in other languages; an outdated one was made from the revision before the source's. */
function translationsFor(m: Marked, sourceRev: number, by: string): Translations {
  let all: Translations = {};
  for (const [lang, t] of Object.entries(m.translations ?? {}))
    all = withTranslation(all, { language: m.language, source_rev: sourceRev }, lang, t.fields, { machine: t.machine, by, basedOn: t.outdated ? sourceRev - 1 : sourceRev });
  return all;
}

export const countriesDemo: FeatureDemo = async ({ trx, orgIds, personIds, communityIds }) => {
  const marking = (m: Marked) => ({
    tlp: m.tlp,
    pap: m.tlp === 'CLEAR' ? 'CLEAR' : 'GREEN',
    author_id: personIds.get(m.author)!,
    author_org_id: orgIds.get(m.org)!,
    audience_organisations: [],
    audience_communities: m.tlp === 'AMBER' ? (m.communities ?? []).map((s) => communityIds.get(s)!) : [],
    audience_people: [],
  });
  const snapshotMarking = (m: Marked) => {
    const k = marking(m);
    return { tlp: k.tlp, pap: k.pap, authorId: k.author_id, authorOrgId: k.author_org_id, audience: { organisations: [], communities: k.audience_communities, people: [] } };
  };
  for (const d of DEMO_PRIORITIES) {
    const id = newId();
    const by = personIds.get(d.author)!;
    const rev = d.earlierBody ? 2 : 1;
    const translations = translationsFor(d, rev, by);
    const base = { title: d.title, language: d.language, concepts: d.concepts, reviewDate: d.reviewDate, ...snapshotMarking(d) };
    await trx
      .insertInto('country_priorities')
      .values({
        id,
        country_code: d.country,
        title: d.title,
        body: d.body,
        concepts: d.concepts,
        review_date: d.reviewDate,
        language: d.language,
        source_rev: rev,
        translations: JSON.stringify(translations),
        version: rev,
        updated_by: by,
        ...marking(d),
      })
      .execute();
    const versions = d.earlierBody
      ? [
          { version: 1, action: 'created', changed: [] as string[], snapshot: { ...base, body: d.earlierBody, translations, sourceRev: 1 } },
          { version: 2, action: 'edited', changed: ['body'], snapshot: { ...base, body: d.body, translations, sourceRev: 2 } },
        ]
      : [{ version: 1, action: 'created', changed: [] as string[], snapshot: { ...base, body: d.body, translations, sourceRev: 1 } }];
    for (const v of versions) await trx.insertInto('country_priority_versions').values({ priority_id: id, version: v.version, action: v.action, changed: v.changed, snapshot: JSON.stringify(v.snapshot), by_person: by }).execute();
  }
  for (const d of DEMO_INSTRUMENTS) {
    const id = newId();
    const by = personIds.get(d.author)!;
    const translations = translationsFor(d, 1, by);
    const sectors = d.sectors.map((s) => `nis2-sectors/${s}`);
    const status = d.timeline.at(-1)![0];
    const eli = eliOf(d.country, d.type, d.year, d.number);
    await trx
      .insertInto('country_instruments')
      .values({
        id,
        country_code: d.country,
        type: d.type,
        status,
        title: d.title,
        summary: d.summary,
        year: d.year,
        number: d.number,
        eli,
        date: d.date ?? null,
        authority: d.authority,
        sectors,
        concepts: d.concepts,
        eu_links: JSON.stringify(d.euLinks),
        expressions: JSON.stringify(d.expressions.map((e) => ({ ...e, authoritative: !!e.authoritative }))),
        language: d.language,
        translations: JSON.stringify(translations),
        version: 1,
        updated_by: by,
        ...marking(d),
      })
      .execute();
    await trx
      .insertInto('country_instrument_statuses')
      .values(d.timeline.map(([s, on], position) => ({ instrument_id: id, position, status: s, effective_on: on, recorded_by: by })))
      .execute();
    const snapshot = {
      type: d.type,
      status,
      title: d.title,
      summary: d.summary,
      year: d.year,
      number: d.number,
      eli,
      date: d.date ?? null,
      authority: d.authority,
      authorityOrgId: null,
      sectors,
      concepts: d.concepts,
      euLinks: d.euLinks,
      expressions: d.expressions,
      language: d.language,
      translations,
      sourceRev: 1,
      ...snapshotMarking(d),
    };
    await trx.insertInto('country_instrument_versions').values({ instrument_id: id, version: 1, action: 'created', changed: [], snapshot: JSON.stringify(snapshot), by_person: by }).execute();
  }
};
