import type { FeatureDemo } from '../../demo/context.js';
import { newId } from '../../platform/ids.js';
import { insertItem, insertVersion } from './repository.js';
import { itemSlug, type KnowledgeType, type Texts } from './service.js';

type Lang = 'en' | 'es' | 'pt-BR' | 'fr';
type Part = Partial<Texts> & { title: string };

interface DemoItem {
  author: string;
  org: string;
  type: KnowledgeType;
  tlp: 'CLEAR' | 'GREEN' | 'AMBER';
  /** Community slugs for AMBER. */
  communities?: string[];
  status: 'draft' | 'in_review' | 'published';
  reviewers?: string[];
  language: Lang;
  source: Part;
  /** An earlier source text: the item is then at revision 2, and translations marked `old` were made from revision 1. */
  earlier?: Part;
  translations?: Partial<Record<Lang, Part & { machine?: boolean; old?: boolean }>>;
  concepts: string[];
  countries: string[];
  audiences: string[];
  date: string;
  licence?: string;
  sourceUrl?: string;
}

/**
 * A dozen library items across types, TLP levels and stages, each in at least two languages —
 * some translations missing, one machine-made, two made from an earlier text (outdated) — so
 * that the library, the translation queue and the review workflow have something to show.
 * Fictitious content written for the demo community.
 */
const ITEMS: DemoItem[] = [
  {
    author: 'diplomat.es@demo.puente.test',
    org: 'es-mfa',
    type: 'good_practice',
    tlp: 'CLEAR',
    status: 'published',
    language: 'es',
    source: {
      title: 'Mantener vivo un directorio de puntos de contacto diplomáticos',
      summary: 'Cómo un ministerio verifica cada trimestre que sus puntos de contacto cibernéticos responden, y qué hace cuando no.',
      body: '## Contexto\n\nLos directorios de puntos de contacto de la OEA y de la ONU envejecen rápido: cambios de destino, buzones que nadie lee.\n\n## Práctica\n\n1. Un ejercicio de comunicación cada trimestre, anunciado y sin anunciar.\n2. Un segundo contacto por cada función.\n3. Actualización obligatoria antes de cada rotación de personal.\n\n## Resultado\n\nLa tasa de respuesta en 24 horas pasó del 55 % al 92 % en un año.',
      evidence: 'Informes de los ejercicios de comunicación de 2024 y 2025.',
      outcome: 'Tasa de respuesta en 24 horas: 92 %.',
    },
    translations: {
      en: {
        title: 'Keeping a directory of diplomatic points of contact alive',
        summary: 'How a ministry checks every quarter that its cyber points of contact answer, and what it does when they do not.',
        body: '## Context\n\nThe OAS and UN point-of-contact directories age fast: postings change, mailboxes go unread.\n\n## Practice\n\n1. A communication check every quarter, announced and unannounced.\n2. A second contact for every function.\n3. A mandatory update before every staff rotation.\n\n## Outcome\n\nThe 24-hour response rate rose from 55 % to 92 % in a year.',
        evidence: 'Reports of the 2024 and 2025 communication checks.',
        outcome: '24-hour response rate: 92 %.',
      },
      fr: {
        title: 'Faire vivre un annuaire de points de contact diplomatiques',
        summary: 'Comment un ministère vérifie chaque trimestre que ses points de contact cyber répondent, et ce qu’il fait sinon.',
        body: '## Contexte\n\nLes annuaires de points de contact de l’OEA et de l’ONU vieillissent vite.\n\n## Pratique\n\n1. Un test de communication chaque trimestre.\n2. Un second contact par fonction.\n3. Une mise à jour obligatoire avant chaque rotation.',
        machine: true,
      },
    },
    concepts: ['takeaways/2a', 'takeaways/3', 'un-norms-2015/h', 'gfce-themes/a-diplomacy'],
    countries: ['ES'],
    audiences: ['mfa'],
    date: '2025-06-12',
    licence: 'CC-BY-4.0',
  },
  {
    author: 'diplomat.do@demo.puente.test',
    org: 'do-mfa',
    type: 'lesson_learned',
    tlp: 'CLEAR',
    status: 'published',
    language: 'es',
    earlier: {
      title: 'Lecciones del diálogo de Santo Domingo sobre capacidades cibernéticas',
      summary: 'Lo que aprendimos al organizar un diálogo birregional de tres días.',
      body: '## Lecciones\n\n- Invitar al sector privado desde el primer día.',
    },
    source: {
      title: 'Lecciones del diálogo de Santo Domingo sobre capacidades cibernéticas',
      summary: 'Lo que aprendimos al organizar un diálogo birregional de tres días con gobiernos, sector privado y sociedad civil.',
      body: '## Lecciones\n\n- Invitar al sector privado y a la academia desde el primer día.\n- Traducir los documentos de trabajo antes, no después.\n- Cerrar cada sesión con compromisos medibles y un responsable.\n\n## Qué haríamos distinto\n\nUn seguimiento a los seis meses con los mismos participantes.',
      outcome: 'Cuatro pilares acordados y una hoja de ruta de capacitación.',
    },
    translations: {
      en: {
        title: 'Lessons from the Santo Domingo dialogue on cyber capacities',
        summary: 'What we learned organising a three-day bi-regional dialogue.',
        body: '## Lessons\n\n- Invite the private sector from day one.',
        old: true,
      },
      'pt-BR': {
        title: 'Lições do diálogo de Santo Domingo sobre capacidades cibernéticas',
        summary: 'O que aprendemos ao organizar um diálogo birregional de três dias com governos, setor privado e sociedade civil.',
        body: '## Lições\n\n- Convidar o setor privado e a academia desde o primeiro dia.\n- Traduzir os documentos de trabalho antes, não depois.\n- Encerrar cada sessão com compromissos mensuráveis e um responsável.\n\n## O que faríamos diferente\n\nUm acompanhamento após seis meses com os mesmos participantes.',
        outcome: 'Quatro pilares acordados e um roteiro de capacitação.',
      },
    },
    concepts: ['santo-domingo-pillars/workforce', 'santo-domingo-pillars/cooperation', 'takeaways/1', 'takeaways/3'],
    countries: ['DO'],
    audiences: ['mfa', 'civil_society', 'private_sector'],
    date: '2024-02-16',
    licence: 'CC-BY-4.0',
  },
  {
    author: 'analyst.cl@demo.puente.test',
    org: 'cl-csirt',
    type: 'guide',
    tlp: 'CLEAR',
    status: 'published',
    language: 'es',
    source: {
      title: 'Guía para coordinar la divulgación de vulnerabilidades con fabricantes extranjeros',
      summary: 'Pasos, plazos y plantillas para que un CSIRT nacional coordine la divulgación responsable de vulnerabilidades.',
      body: '## Plazos\n\n| Paso | Plazo |\n|---|---|\n| Acuse de recibo | 5 días |\n| Evaluación | 30 días |\n| Publicación coordinada | 90 días |\n\n## Plantillas\n\nVéase el anexo: correo inicial, recordatorio y aviso público.',
    },
    translations: {
      en: {
        title: 'Guide to coordinating vulnerability disclosure with foreign vendors',
        summary: 'Steps, deadlines and templates for a national CSIRT coordinating responsible disclosure.',
        body: '## Deadlines\n\n| Step | Deadline |\n|---|---|\n| Acknowledgement | 5 days |\n| Assessment | 30 days |\n| Coordinated publication | 90 days |',
      },
    },
    concepts: ['un-norms-2015/j', 'gfce-themes/b', 'takeaways/4'],
    countries: ['CL'],
    audiences: ['national_csirt', 'sectoral_csirt'],
    date: '2025-03-03',
    licence: 'CC-BY-SA-4.0',
  },
  {
    author: 'analyst.br@demo.puente.test',
    org: 'br-csirt',
    type: 'lesson_learned',
    tlp: 'GREEN',
    status: 'published',
    language: 'pt-BR',
    source: {
      title: 'Resposta a ransomware em prefeituras: o que funcionou',
      summary: 'Três incidentes em administrações municipais em 2025 e as medidas que reduziram o tempo de recuperação.',
      body: '## O que funcionou\n\n- Cópias de segurança offline testadas a cada mês.\n- Um canal de crise fora do e-mail corporativo.\n- Contato prévio com o CSIRT nacional.\n\n## O que não funcionou\n\nNegociar sem apoio jurídico.',
      evidence: 'Relatórios pós-incidente de três prefeituras (anonimizados).',
    },
    translations: {
      es: {
        title: 'Respuesta al ransomware en municipios: lo que funcionó',
        summary: 'Tres incidentes en administraciones municipales en 2025 y las medidas que acortaron la recuperación.',
        body: '## Lo que funcionó\n\n- Copias de seguridad fuera de línea probadas cada mes.\n- Un canal de crisis fuera del correo corporativo.\n- Contacto previo con el CSIRT nacional.',
        evidence: 'Informes posteriores a incidentes de tres municipios (anonimizados).',
      },
    },
    concepts: ['takeaways/11b', 'gfce-themes/b', 'takeaways/12'],
    countries: ['BR'],
    audiences: ['national_csirt', 'other_government'],
    date: '2025-10-20',
  },
  {
    author: 'analyst.ee@demo.puente.test',
    org: 'ee-csirt',
    type: 'exercise_scenario',
    tlp: 'AMBER',
    communities: ['csirts'],
    status: 'published',
    language: 'en',
    source: {
      title: 'Table-top scenario: cross-border outage of an undersea cable landing station',
      summary: 'A four-hour table-top exercise for CSIRTs and telecom operators on both sides of the Atlantic, with injects and expected decisions.',
      body: '## Injects\n\n1. 06:00 UTC — traffic to two landing stations drops.\n2. 07:30 — a claim of responsibility appears on a forum.\n3. 09:00 — a ministry asks for a public statement.\n\n## Expected decisions\n\n- Who informs whom, in which order.\n- What is shared at TLP:AMBER and with whom.',
    },
    translations: {
      es: {
        title: 'Escenario de mesa: corte transfronterizo de una estación de amarre de cable submarino',
        summary: 'Ejercicio de mesa de cuatro horas para CSIRT y operadores de telecomunicaciones de ambos lados del Atlántico.',
        body: '## Inyecciones\n\n1. 06:00 UTC — cae el tráfico hacia dos estaciones de amarre.\n2. 07:30 — aparece una reivindicación en un foro.',
      },
    },
    concepts: ['takeaways/7d', 'takeaways/9', 'gfce-themes/b', 'nis2-sectors/digital-infrastructure'],
    countries: ['EE', 'BR', 'CL'],
    audiences: ['national_csirt', 'private_sector'],
    date: '2025-09-15',
  },
  {
    author: 'provider.eu@demo.puente.test',
    org: 'te-agency',
    type: 'training_material',
    tlp: 'CLEAR',
    status: 'published',
    language: 'fr',
    source: {
      title: 'Module de formation : mettre en place un CSIRT national en douze mois',
      summary: 'Le programme d’un atelier de cinq jours, avec exercices, modèles de mandat et indicateurs de maturité.',
      body: '## Programme\n\n- Jour 1 : mandat et base juridique.\n- Jour 2 : services et catalogue.\n- Jour 3 : outils et partage d’information.\n- Jour 4 : exercice.\n- Jour 5 : feuille de route et stratégies de financement.',
    },
    translations: {
      en: {
        title: 'Training module: setting up a national CSIRT in twelve months',
        summary: 'The programme of a five-day workshop, with exercises, mandate templates and maturity indicators.',
        body: '## Programme\n\n- Day 1: mandate and legal basis.\n- Day 2: services and catalogue.\n- Day 3: tools and information sharing.\n- Day 4: exercise.\n- Day 5: roadmap and funding strategies.',
      },
      es: {
        title: 'Módulo de formación: crear un CSIRT nacional en doce meses',
        summary: 'El programa de un taller de cinco días, con ejercicios, modelos de mandato e indicadores de madurez.',
        body: '## Programa\n\n- Día 1: mandato y base jurídica.\n- Día 2: servicios y catálogo.\n- Día 3: herramientas e intercambio de información.\n- Día 4: ejercicio.\n- Día 5: hoja de ruta y estrategias de financiación.',
      },
    },
    concepts: ['takeaways/7c', 'takeaways/7', 'gfce-themes/b', 'santo-domingo-pillars/workforce'],
    countries: ['BE'],
    audiences: ['national_csirt', 'national_cyber_agency', 'other_government'],
    date: '2025-01-20',
    licence: 'CC-BY-NC-4.0',
  },
  {
    author: 'provider.eu@demo.puente.test',
    org: 'te-agency',
    type: 'policy_paper',
    tlp: 'CLEAR',
    status: 'published',
    language: 'en',
    earlier: {
      title: 'Triangular cooperation in cyber capacity building: a practical model',
      summary: 'How an EU partner and a LAC country can support a third country together.',
      body: '## Roles\n\nFunding, accountable and implementing partners, in IATI terms.',
    },
    source: {
      title: 'Triangular cooperation in cyber capacity building: a practical model',
      summary: 'How an EU partner and a LAC country can together support a third LAC country, with roles, funding and evaluation.',
      body: '## Roles\n\nFunding, accountable, extending and implementing partners, in IATI terms.\n\n## Example\n\nEstonia and Chile supporting Costa Rica’s CSIRT: mentoring, shared exercises and a study visit.\n\n## Evaluation\n\nJoint indicators agreed before the project starts.',
    },
    translations: {
      es: {
        title: 'Cooperación triangular en el desarrollo de capacidades cibernéticas: un modelo práctico',
        summary: 'Cómo un socio de la UE y un país de ALC pueden apoyar juntos a un tercer país.',
        body: '## Funciones\n\nSocios financiadores, responsables y ejecutores, en términos de IATI.',
        old: true,
      },
    },
    concepts: ['takeaways/7e', 'takeaways/11', 'gfce-themes/a-strategy'],
    countries: ['EE', 'CL', 'CR'],
    audiences: ['team_europe_agency', 'mfa', 'national_cyber_agency'],
    date: '2025-11-05',
    licence: 'CC-BY-4.0',
  },
  {
    author: 'energy.co@demo.puente.test',
    org: 'co-energy',
    type: 'good_practice',
    tlp: 'GREEN',
    status: 'published',
    language: 'es',
    source: {
      title: 'Segmentación de redes OT en subestaciones eléctricas',
      summary: 'Cómo un operador eléctrico separó sus redes operativas de las corporativas sin detener el servicio.',
      body: '## Enfoque\n\n- Inventario de activos OT antes de tocar nada.\n- Zonas y conductos según IEC 62443.\n- Ventanas de mantenimiento acordadas con el operador del sistema.',
      outcome: 'Ningún incidente de propagación desde la red corporativa en 18 meses.',
    },
    translations: {
      en: {
        title: 'Segmenting OT networks in electrical substations',
        summary: 'How an electricity operator separated its operational networks from its corporate ones without stopping service.',
        body: '## Approach\n\n- An OT asset inventory before touching anything.\n- Zones and conduits following IEC 62443.\n- Maintenance windows agreed with the system operator.',
        outcome: 'No spread from the corporate network in 18 months.',
      },
    },
    concepts: ['takeaways/9', 'takeaways/8', 'nis2-sectors/energy', 'gfce-themes/e'],
    countries: ['CO'],
    audiences: ['private_sector', 'sectoral_csirt'],
    date: '2025-05-30',
  },
  {
    author: 'ngo.gt@demo.puente.test',
    org: 'gt-ngo',
    type: 'awareness_campaign',
    tlp: 'CLEAR',
    status: 'published',
    language: 'es',
    source: {
      title: 'Campaña «Tu contraseña es tuya»: higiene digital para jóvenes',
      summary: 'Una campaña en escuelas y radios comunitarias, en español y en k’iche’, con materiales reutilizables.',
      body: '## Materiales\n\n- Cuñas de radio de 30 segundos.\n- Fichas para docentes.\n- Un juego de cartas sobre phishing.\n\n## Alcance\n\n120 escuelas en 2025.',
    },
    translations: {
      'pt-BR': {
        title: 'Campanha «Sua senha é sua»: higiene digital para jovens',
        summary: 'Uma campanha em escolas e rádios comunitárias, com materiais reutilizáveis.',
        body: '## Materiais\n\n- Spots de rádio de 30 segundos.\n- Fichas para professores.\n- Um jogo de cartas sobre phishing.',
      },
    },
    concepts: ['takeaways/11c', 'gfce-themes/d', 'un-norms-2015/e'],
    countries: ['GT'],
    audiences: ['civil_society', 'academia'],
    date: '2025-08-01',
    licence: 'CC-BY-SA-4.0',
  },
  {
    author: 'researcher.mx@demo.puente.test',
    org: 'mx-uni',
    type: 'standard',
    tlp: 'CLEAR',
    status: 'published',
    language: 'es',
    source: {
      title: 'Perfil de la norma IEC 62443 para hospitales medianos',
      summary: 'Qué requisitos de la serie IEC 62443 aplicar primero en un hospital con equipos médicos conectados.',
      body: '## Prioridades\n\n1. Inventario de dispositivos médicos conectados.\n2. Segmentación de la red clínica.\n3. Gestión de parches con el fabricante.',
    },
    translations: {
      en: {
        title: 'An IEC 62443 profile for mid-sized hospitals',
        summary: 'Which IEC 62443 requirements to apply first in a hospital with connected medical devices.',
        body: '## Priorities\n\n1. Inventory of connected medical devices.\n2. Segmentation of the clinical network.\n3. Patch management with the vendor.',
      },
    },
    concepts: ['gfce-themes/e', 'nis2-sectors/health', 'takeaways/8'],
    countries: ['MX'],
    audiences: ['sectoral_csirt', 'private_sector'],
    date: '2025-04-10',
    licence: 'CC-BY-4.0',
  },
  {
    author: 'diplomat.es@demo.puente.test',
    org: 'es-mfa',
    type: 'strategy',
    tlp: 'AMBER',
    communities: ['cyber-diplomats'],
    status: 'in_review',
    reviewers: ['diplomat.do@demo.puente.test'],
    language: 'es',
    source: {
      title: 'Borrador: prioridades comunes UE-ALC para el Programa de Acción de la ONU',
      summary: 'Propuesta de posiciones comunes para las primeras reuniones del Programa de Acción.',
      body: '## Propuestas\n\n- Un mecanismo de solicitud de asistencia ligado al directorio de puntos de contacto.\n- Un fondo voluntario para el desarrollo de capacidades.',
    },
    translations: {
      en: {
        title: 'Draft: common EU-LAC priorities for the UN Programme of Action',
        summary: 'Proposed common positions for the first meetings of the Programme of Action.',
        body: '## Proposals\n\n- A request-for-assistance mechanism tied to the point-of-contact directory.\n- A voluntary fund for capacity building.',
      },
    },
    concepts: ['takeaways/2d', 'un-norms-2015/h', 'gfce-themes/a-diplomacy'],
    countries: ['ES', 'DO'],
    audiences: ['mfa'],
    date: '2026-11-20',
  },
  {
    author: 'analyst.cl@demo.puente.test',
    org: 'cl-csirt',
    type: 'guide',
    tlp: 'GREEN',
    status: 'draft',
    language: 'es',
    source: {
      title: 'Borrador: guía de intercambio de indicadores con el sector financiero',
      summary: 'Cómo compartir indicadores con bancos usando TAXII y marcados TLP.',
      body: '## Pasos\n\n1. Suscripción TAXII por banco.\n2. Marcado TLP:GREEN por defecto.',
    },
    translations: {
      en: {
        title: 'Draft: guide to sharing indicators with the financial sector',
        summary: 'How to share indicators with banks over TAXII with TLP markings.',
        body: '## Steps\n\n1. A TAXII subscription per bank.\n2. TLP:GREEN by default.',
      },
    },
    concepts: ['takeaways/4', 'nis2-sectors/banking'],
    countries: ['CL'],
    audiences: ['sectoral_csirt'],
    date: '2026-12-01',
  },
];


const full = (x: Part): Texts => ({ title: x.title, summary: x.summary ?? '', body: x.body ?? '', evidence: x.evidence ?? '', outcome: x.outcome ?? '' });

export const knowledgeDemo: FeatureDemo = async ({ trx, orgIds, personIds, communityIds }) => {
  const at = new Date('2026-11-30T10:00:00Z').toISOString();
  for (const i of ITEMS) {
    const id = newId();
    const rev = i.earlier ? 2 : 1;
    const translations = Object.fromEntries(
      Object.entries(i.translations ?? {}).map(([lang, x]) => [lang, { fields: full(x), basedOn: x.old ? 1 : rev, machine: !!x.machine, at, by: personIds.get(i.author) ?? null }]),
    );
    const author = personIds.get(i.author)!;
    await insertItem(trx, {
      id,
      slug: itemSlug(id, i.source.title),
      type: i.type,
      ...full(i.source),
      language: i.language,
      source_rev: rev,
      translations: JSON.stringify(translations),
      countries: i.countries,
      concepts: i.concepts,
      audiences: i.audiences,
      date: i.date,
      licence: i.licence ?? null,
      source_url: i.sourceUrl ?? null,
      status: i.status,
      reviewers: (i.reviewers ?? []).map((e) => personIds.get(e)!),
      published_at: i.status === 'published' ? new Date(`${i.date}T12:00:00Z`) : null,
      tlp: i.tlp,
      pap: i.tlp === 'CLEAR' ? 'CLEAR' : 'GREEN',
      author_id: author,
      author_org_id: orgIds.get(i.org)!,
      audience_communities: i.tlp === 'AMBER' ? (i.communities ?? []).map((c) => communityIds.get(c)!) : [],
    });
    if (i.earlier) await insertVersion(trx, { itemId: id, version: 1, language: i.language, fields: full(i.earlier), authorId: author });
    await insertVersion(trx, { itemId: id, version: rev, language: i.language, fields: full(i.source), authorId: author, note: i.earlier ? 'Expanded after the follow-up meeting' : '' });
  }
};
