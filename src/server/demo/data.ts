/**
 * The demo community: fictional organisations (any likeness to real bodies is
 * in kind only), the demo accounts the README lists, five communities and a
 * few notes that show each TLP level.
 */
export interface DemoOrganisation {
  key: string;
  name: string;
  acronym?: string;
  country: string;
  type: string;
  sectors: string[];
  website?: string;
  description: string;
  status?: 'approved' | 'requested';
  requester?: { name: string; email: string; message: string };
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { key: 'secretariat', name: 'EU-LAC Digital Alliance Cyber Secretariat', acronym: 'EULAC-SEC', country: 'INT', type: 'international_organisation', sectors: ['public-administration'], description: 'Runs the Puente platform: vets organisations, convenes communities and keeps the directories current.' },
  { key: 'es-mfa', name: 'Oficina de Ciberdiplomacia, Ministerio de Asuntos Exteriores de España', country: 'ES', type: 'mfa', sectors: ['public-administration'], description: 'Cyber diplomacy office: UN Programme of Action, norms implementation and bi-regional dialogue.' },
  { key: 'do-mfa', name: 'Dirección de Asuntos Cibernéticos, Ministerio de Relaciones Exteriores de la República Dominicana', country: 'DO', type: 'mfa', sectors: ['public-administration'], description: 'Focal point for cyber confidence-building measures in the OAS and the UN.' },
  { key: 'do-csirt', name: 'Centro Nacional de Respuesta a Incidentes Cibernéticos de la República Dominicana', acronym: 'CNRIC-DO', country: 'DO', type: 'national_csirt', sectors: ['public-administration', 'energy'], description: 'National CSIRT of the Dominican Republic, preparing a sectoral CSIRT for the electricity sector.' },
  { key: 'br-csirt', name: 'Centro Nacional de Resposta a Incidentes Cibernéticos', acronym: 'CNRIC', country: 'BR', type: 'national_csirt', sectors: ['public-administration', 'digital-infrastructure'], description: 'National CSIRT coordinating incident response for the federal administration and critical infrastructure.' },
  { key: 'cl-csirt', name: 'Equipo Nacional de Respuesta a Incidentes de Chile', acronym: 'ENRI-CL', country: 'CL', type: 'national_csirt', sectors: ['public-administration', 'energy', 'health'], description: 'National CSIRT of Chile: alerts, vulnerability coordination and exercises.' },
  { key: 'ee-csirt', name: 'Riigi Küberintsidentide Keskus', acronym: 'RKK', country: 'EE', type: 'national_csirt', sectors: ['public-administration', 'digital-infrastructure'], description: 'Estonian national cyber incident centre, partner in table-top exercises with LAC teams.' },
  { key: 'te-agency', name: 'Team Europe Cyber Resilience Facility', acronym: 'TECRF', country: 'BE', type: 'team_europe_agency', sectors: ['public-administration'], website: 'https://example.org/tecrf', description: 'Implements Team Europe technical assistance: CSIRT set-up, study visits, table-top exercises and triangular cooperation.' },
  { key: 'co-energy', name: 'Energía Andina S.A. E.S.P.', country: 'CO', type: 'private_sector', sectors: ['energy'], description: 'Electricity generation and transmission operator in the Andean region.' },
  { key: 'mx-uni', name: 'Laboratorio de Ciberseguridad, Universidad Autónoma del Valle de México', country: 'MX', type: 'academia', sectors: ['research'], description: 'Research on ICS security, threat intelligence and cyber norms.' },
  { key: 'gt-ngo', name: 'Fundación Ciudadanía Digital Guatemala', country: 'GT', type: 'civil_society', sectors: [], description: 'Digital rights and cyber hygiene training for youth and civil society.' },
  { key: 'fr-agency', name: 'Agence française de cyber-résilience', acronym: 'AFCR', country: 'FR', type: 'national_cyber_agency', sectors: ['public-administration'], description: 'National cyber agency: standards, certification and international cooperation.' },
  { key: 'pt-agency', name: 'Centro Nacional de Cibersegurança Digital', acronym: 'CNCD', country: 'PT', type: 'national_cyber_agency', sectors: ['public-administration'], description: 'National authority for cybersecurity; Portuguese-language cooperation with Brazil.' },
  { key: 'de-agency', name: 'Gesellschaft für Cyber-Kooperation', acronym: 'GCK', country: 'DE', type: 'team_europe_agency', sectors: ['public-administration'], description: 'Development cooperation agency: cyber strategy and institutional capacity projects.' },
  { key: 'nl-company', name: 'Noordzee Secure Networks B.V.', country: 'NL', type: 'private_sector', sectors: ['digital-infrastructure', 'ict-services'], description: 'Managed security and trusted connectivity services; 5G security assessments.' },
  { key: 'it-fin-csirt', name: 'CSIRT Finanza Italia', country: 'IT', type: 'sectoral_csirt', sectors: ['banking', 'financial'], description: 'Sectoral CSIRT of the Italian financial sector.' },
  { key: 'cz-uni', name: 'Brno Institute of Cyber Studies', country: 'CZ', type: 'academia', sectors: ['research'], description: 'Cyber law and international law in cyberspace; hosts study visits.' },
  { key: 'fi-csirt', name: 'Kyberturva Finland CSIRT', country: 'FI', type: 'national_csirt', sectors: ['public-administration', 'transport'], description: 'National CSIRT of Finland.' },
  { key: 'pl-gov', name: 'Biuro Spraw Cyfrowych', country: 'PL', type: 'other_government', sectors: ['public-administration'], description: 'Digital affairs office coordinating NIS2 implementation.' },
  { key: 'lt-mfa', name: 'Cyber Policy Unit, Ministry of Foreign Affairs of Lithuania', country: 'LT', type: 'mfa', sectors: ['public-administration'], description: 'Cyber diplomacy and sanctions policy.' },
  { key: 'ie-ngo', name: 'Open Internet Society Ireland', country: 'IE', type: 'civil_society', sectors: [], description: 'Civil society voice on internet governance and online safety.' },
  { key: 'ar-agency', name: 'Agencia Nacional de Ciberseguridad de Argentina', acronym: 'ANCA', country: 'AR', type: 'national_cyber_agency', sectors: ['public-administration'], description: 'National cybersecurity strategy and critical-infrastructure protection.' },
  { key: 'ar-mfa', name: 'Dirección de Asuntos Cibernéticos, Cancillería Argentina', country: 'AR', type: 'mfa', sectors: ['public-administration'], description: 'Cyber diplomacy focal point of Argentina.' },
  { key: 'uy-csirt', name: 'Centro de Respuesta a Incidentes del Uruguay', acronym: 'CRI-UY', country: 'UY', type: 'national_csirt', sectors: ['public-administration'], description: 'National CSIRT of Uruguay.' },
  { key: 'pe-fin-csirt', name: 'CSIRT Financiero del Perú', country: 'PE', type: 'sectoral_csirt', sectors: ['banking', 'financial'], description: 'Financial-sector CSIRT of Peru.' },
  { key: 'ec-gov', name: 'Secretaría de Transformación Digital del Ecuador', country: 'EC', type: 'other_government', sectors: ['public-administration'], description: 'Digital government and cybersecurity policy.' },
  { key: 'cr-csirt', name: 'Centro de Respuesta de Incidentes de Costa Rica', acronym: 'CRI-CR', country: 'CR', type: 'national_csirt', sectors: ['public-administration'], description: 'National CSIRT of Costa Rica.' },
  { key: 'pa-company', name: 'Canal Logística Segura S.A.', country: 'PA', type: 'private_sector', sectors: ['transport'], description: 'Port and maritime logistics operator.' },
  { key: 'jm-csirt', name: 'Jamaica Cyber Incident Response Team', acronym: 'JaCIRT', country: 'JM', type: 'national_csirt', sectors: ['public-administration'], description: 'National CSIRT of Jamaica.' },
  { key: 'tt-uni', name: 'Caribbean Institute of Digital Security', country: 'TT', type: 'academia', sectors: ['research'], description: 'Training and research for Caribbean cyber professionals.' },
  { key: 'bb-mfa', name: 'Cyber Desk, Ministry of Foreign Affairs of Barbados', country: 'BB', type: 'mfa', sectors: ['public-administration'], description: 'Focal point for cyber diplomacy in CARICOM fora.' },
  { key: 'py-ngo', name: 'Red Paraguaya de Derechos Digitales', country: 'PY', type: 'civil_society', sectors: [], description: 'Digital rights and inclusive cyber policy.' },
  { key: 'bo-uni', name: 'Centro de Investigación en Ciberseguridad, Universidad Andina de Tecnología', country: 'BO', type: 'academia', sectors: ['research'], description: 'Research and cyber skills programmes.' },
  { key: 'hn-gov', name: 'Instituto Hondureño de Gobierno Digital', country: 'HN', type: 'other_government', sectors: ['public-administration'], description: 'Digital government agency.' },
  { key: 'sv-company', name: 'Telecomunicaciones del Pacífico S.A. de C.V.', country: 'SV', type: 'private_sector', sectors: ['digital-infrastructure'], description: 'Mobile and fixed network operator.' },
  { key: 'br-bank', name: 'Banco Meridional S.A.', country: 'BR', type: 'private_sector', sectors: ['banking'], description: 'Retail bank with a security operations centre.' },
  { key: 'mx-health-csirt', name: 'CSIRT Salud México', country: 'MX', type: 'sectoral_csirt', sectors: ['health'], description: 'Sectoral CSIRT for hospitals and health providers.' },
  { key: 'co-agency', name: 'Agencia Colombiana de Seguridad Digital', country: 'CO', type: 'national_cyber_agency', sectors: ['public-administration'], description: 'National digital security authority of Colombia.' },
  { key: 'co-csirt', name: 'Equipo de Respuesta a Emergencias Cibernéticas de Colombia', acronym: 'EREC-CO', country: 'CO', type: 'national_csirt', sectors: ['public-administration', 'energy'], description: 'National CSIRT of Colombia: receives the NIS2-style incident reports of essential operators.' },
  { key: 'co-energy-csirt', name: 'CSIRT Sectorial de Energía de Colombia', acronym: 'CSIRT-Energía', country: 'CO', type: 'sectoral_csirt', sectors: ['energy'], description: 'Sectoral CSIRT of the Colombian electricity and gas operators: incident handling and reporting to the national CSIRT.' },
  { key: 'io-forum', name: 'Inter-American Cyber Cooperation Forum', country: 'INT', type: 'international_organisation', sectors: [], description: 'Regional forum supporting confidence-building measures and PoC directories.' },
  { key: 'es-uni', name: 'Instituto Iberoamericano de Ciberseguridad', country: 'ES', type: 'academia', sectors: ['research'], description: 'Research institute on cyber policy in Ibero-America; runs training for officials.' },
  { key: 'ee-programme', name: 'Tallinn Cyber Capacity Programme', country: 'EE', type: 'team_europe_agency', sectors: ['public-administration'], description: 'Summer school of cyber diplomacy and exercises for points of contact.' },
  { key: 'ht-ngo', name: 'Kolektif Sekirite Dijital Ayiti', country: 'HT', type: 'civil_society', sectors: [], description: 'Cyber hygiene and digital safety for community organisations.' },
  { key: 'sr-gov', name: 'Digital Government Office of Suriname', country: 'SR', type: 'other_government', sectors: ['public-administration'], description: 'Digital government and cybersecurity coordination.' },
  {
    key: 'gy-csirt',
    name: 'Guyana National Computer Incident Response Team',
    country: 'GY',
    type: 'national_csirt',
    sectors: ['public-administration'],
    description: 'National CSIRT being established with Team Europe support.',
    status: 'requested',
    requester: { name: 'Alicia Persaud', email: 'alicia.persaud@example.gy', message: 'We are setting up the national CSIRT and would like to join the CSIRTs community.' },
  },
  {
    key: 'ni-uni',
    name: 'Centro de Estudios de Ciberseguridad de Nicaragua',
    country: 'NI',
    type: 'academia',
    sectors: ['research'],
    description: 'University research centre.',
    status: 'requested',
    requester: { name: 'Roberto Aráuz', email: 'r.arauz@example.ni', message: 'Interested in capacity-building offers for our students.' },
  },
];

export interface DemoAccount {
  email: string;
  name: string;
  org: string;
  roles: ('member' | 'org_admin' | 'secretariat' | 'translator')[];
  languages: string[];
  uiLanguage: 'en' | 'es' | 'pt' | 'fr';
  timeZone: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'admin@demo.puente.test', name: 'Sofia Marchetti', org: 'secretariat', roles: ['member', 'org_admin', 'secretariat'], languages: ['en', 'es', 'it'], uiLanguage: 'en', timeZone: 'Europe/Brussels' },
  { email: 'diplomat.es@demo.puente.test', name: 'Javier Ortega Ruiz', org: 'es-mfa', roles: ['member', 'org_admin'], languages: ['es', 'en', 'fr'], uiLanguage: 'es', timeZone: 'Europe/Madrid' },
  { email: 'diplomat.do@demo.puente.test', name: 'María Fernanda Peña', org: 'do-mfa', roles: ['member', 'org_admin'], languages: ['es', 'en'], uiLanguage: 'es', timeZone: 'America/Santo_Domingo' },
  { email: 'analyst.do@demo.puente.test', name: 'Luis Manuel Batista', org: 'do-csirt', roles: ['member', 'org_admin'], languages: ['es', 'en'], uiLanguage: 'es', timeZone: 'America/Santo_Domingo' },
  { email: 'analyst.br@demo.puente.test', name: 'Rafael Oliveira Santos', org: 'br-csirt', roles: ['member', 'org_admin'], languages: ['pt', 'en', 'es'], uiLanguage: 'pt', timeZone: 'America/Sao_Paulo' },
  { email: 'analyst.cl@demo.puente.test', name: 'Camila Rojas Fuentes', org: 'cl-csirt', roles: ['member', 'org_admin'], languages: ['es', 'en'], uiLanguage: 'es', timeZone: 'America/Santiago' },
  { email: 'analyst.ee@demo.puente.test', name: 'Kadri Tamm', org: 'ee-csirt', roles: ['member', 'org_admin'], languages: ['et', 'en'], uiLanguage: 'en', timeZone: 'Europe/Tallinn' },
  { email: 'provider.eu@demo.puente.test', name: 'Claire Dubois', org: 'te-agency', roles: ['member', 'org_admin'], languages: ['fr', 'en', 'es'], uiLanguage: 'fr', timeZone: 'Europe/Brussels' },
  { email: 'energy.co@demo.puente.test', name: 'Andrés Felipe Gómez', org: 'co-energy', roles: ['member', 'org_admin'], languages: ['es', 'en'], uiLanguage: 'es', timeZone: 'America/Bogota' },
  { email: 'analyst.co@demo.puente.test', name: 'Valentina Ríos Cárdenas', org: 'co-energy-csirt', roles: ['member', 'org_admin'], languages: ['es', 'en'], uiLanguage: 'es', timeZone: 'America/Bogota' },
  { email: 'researcher.mx@demo.puente.test', name: 'Dra. Lucía Hernández', org: 'mx-uni', roles: ['member', 'org_admin'], languages: ['es', 'en'], uiLanguage: 'es', timeZone: 'America/Mexico_City' },
  { email: 'ngo.gt@demo.puente.test', name: 'Ana Lucía Xicará', org: 'gt-ngo', roles: ['member', 'org_admin'], languages: ['es', 'en'], uiLanguage: 'es', timeZone: 'America/Guatemala' },
  // Keeps the Spanish ministry's texts in the other languages (the translation queue).
  { email: 'translator.es@demo.puente.test', name: 'Inés Carvalho Duarte', org: 'es-mfa', roles: ['member', 'translator'], languages: ['es', 'pt', 'en', 'fr'], uiLanguage: 'es', timeZone: 'Europe/Madrid' },
];

export interface DemoCommunity {
  slug: string;
  name: string;
  description: string;
  /** Name and description in the platform's other languages (the source is English). */
  translations: Record<'es' | 'pt' | 'fr', { name: string; description: string }>;
  organisations: string[];
  admins: string[];
}

export const DEMO_COMMUNITIES: DemoCommunity[] = [
  {
    slug: 'cyber-diplomats',
    name: 'Cyber diplomats',
    description: 'Ministries of foreign affairs and international organisations: norms, international law, the UN Programme of Action and the annual EU-LAC meeting of cyber diplomats.',
    translations: {
      es: { name: 'Diplomáticos del ciberespacio', description: 'Ministerios de Asuntos Exteriores y organizaciones internacionales: normas, derecho internacional, el Programa de Acción de la ONU y la reunión anual UE-ALC de diplomáticos del ciberespacio.' },
      pt: { name: 'Diplomatas do ciberespaço', description: 'Ministérios das Relações Exteriores e organizações internacionais: normas, direito internacional, o Programa de Ação da ONU e a reunião anual UE-ALC de diplomatas do ciberespaço.' },
      fr: { name: 'Diplomates du cyberespace', description: 'Ministères des affaires étrangères et organisations internationales : normes, droit international, le Programme d’action des Nations unies et la réunion annuelle UE-ALC des diplomates du cyberespace.' },
    },
    organisations: ['secretariat', 'es-mfa', 'do-mfa', 'lt-mfa', 'ar-mfa', 'bb-mfa', 'io-forum'],
    admins: ['diplomat.es@demo.puente.test'],
  },
  {
    slug: 'csirts',
    name: 'CSIRTs of the EU and LAC',
    description: 'National and sectoral CSIRTs and cyber agencies: incidents, vulnerabilities and exercises.',
    translations: {
      es: { name: 'CSIRT de la UE y ALC', description: 'CSIRT nacionales y sectoriales y agencias de ciberseguridad: incidentes, vulnerabilidades y ejercicios.' },
      pt: { name: 'CSIRTs da UE e da ALC', description: 'CSIRTs nacionais e setoriais e agências de cibersegurança: incidentes, vulnerabilidades e exercícios.' },
      fr: { name: 'CSIRT de l’UE et d’ALC', description: 'CSIRT nationaux et sectoriels et agences de cybersécurité : incidents, vulnérabilités et exercices.' },
    },
    organisations: ['br-csirt', 'cl-csirt', 'ee-csirt', 'fi-csirt', 'uy-csirt', 'cr-csirt', 'jm-csirt', 'it-fin-csirt', 'pe-fin-csirt', 'mx-health-csirt', 'fr-agency', 'pt-agency', 'ar-agency', 'co-agency'],
    admins: ['analyst.cl@demo.puente.test'],
  },
  {
    slug: 'csirts-americas',
    name: 'CSIRTs of the Americas',
    description: 'National and sectoral CSIRTs of Latin America and the Caribbean: incident reports, the shared situational picture and crisis coordination.',
    translations: {
      es: { name: 'CSIRT de las Américas', description: 'CSIRT nacionales y sectoriales de América Latina y el Caribe: reportes de incidentes, el panorama situacional compartido y la coordinación de crisis.' },
      pt: { name: 'CSIRTs das Américas', description: 'CSIRTs nacionais e setoriais da América Latina e do Caribe: relatórios de incidentes, o panorama situacional compartilhado e a coordenação de crises.' },
      fr: { name: 'CSIRT des Amériques', description: 'CSIRT nationaux et sectoriels d’Amérique latine et des Caraïbes : signalements d’incidents, situation partagée et coordination des crises.' },
    },
    organisations: ['co-csirt', 'co-energy-csirt', 'br-csirt', 'cl-csirt', 'do-csirt', 'uy-csirt', 'cr-csirt', 'jm-csirt', 'pe-fin-csirt', 'mx-health-csirt', 'co-agency', 'ar-agency'],
    admins: ['analyst.cl@demo.puente.test'],
  },
  {
    slug: '5g-policy',
    name: '5G policy dialogue',
    description: 'Trusted connectivity: the EU 5G toolbox principles, risk assessments and operator practice.',
    translations: {
      es: { name: 'Diálogo sobre políticas 5G', description: 'Conectividad de confianza: los principios de la caja de herramientas 5G de la UE, las evaluaciones de riesgos y la práctica de los operadores.' },
      pt: { name: 'Diálogo sobre políticas de 5G', description: 'Conectividade confiável: os princípios da caixa de ferramentas 5G da UE, as avaliações de risco e a prática das operadoras.' },
      fr: { name: 'Dialogue sur les politiques 5G', description: 'Connectivité de confiance : les principes de la boîte à outils 5G de l’UE, les évaluations des risques et la pratique des opérateurs.' },
    },
    organisations: ['fr-agency', 'pl-gov', 'nl-company', 'sv-company', 'co-agency', 'ec-gov', 'es-mfa'],
    admins: ['admin@demo.puente.test'],
  },
  {
    slug: 'capacity-building',
    name: 'Capacity-building providers',
    description: 'Team Europe agencies, academia and civil society offering training, study visits, table-top exercises and triangular cooperation.',
    translations: {
      es: { name: 'Proveedores de desarrollo de capacidades', description: 'Agencias del Equipo Europa, academia y sociedad civil que ofrecen formación, visitas de estudio, ejercicios de simulación y cooperación triangular.' },
      pt: { name: 'Provedores de capacitação', description: 'Agências da Equipe Europa, academia e sociedade civil que oferecem treinamentos, visitas de estudo, exercícios de simulação e cooperação triangular.' },
      fr: { name: 'Prestataires de renforcement des capacités', description: 'Agences de l’Équipe Europe, universités et société civile proposant des formations, des visites d’étude, des exercices sur table et la coopération triangulaire.' },
    },
    organisations: ['te-agency', 'de-agency', 'ee-programme', 'cz-uni', 'es-uni', 'mx-uni', 'tt-uni', 'gt-ngo', 'secretariat'],
    admins: ['provider.eu@demo.puente.test'],
  },
];

export interface DemoNote {
  author: string;
  title: string;
  body: string;
  language: string;
  /** The same note in other languages, made by people. */
  translations?: Record<string, { title: string; body: string }>;
  tlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
  pap: 'CLEAR' | 'GREEN' | 'AMBER' | 'RED';
  audience?: { organisations?: string[]; communities?: string[]; people?: string[] };
}

export const DEMO_NOTES: DemoNote[] = [
  {
    author: 'admin@demo.puente.test',
    title: 'Welcome to Puente',
    body: 'Puente is where the EU-LAC cyber community shares what it knows under clear trust rules. Every note carries a TLP marking: CLEAR is public, GREEN is for every vetted member, AMBER for the author’s organisation and the audience named, RED for the named people only.',
    language: 'en',
    translations: {
      es: {
        title: 'Bienvenidos a Puente',
        body: 'Puente es donde la comunidad cibernética UE-ALC comparte lo que sabe con reglas de confianza claras. Cada nota lleva una marca TLP: CLEAR es pública, GREEN es para todos los miembros verificados, AMBER para la organización del autor y el público indicado, RED solo para las personas nombradas.',
      },
      pt: {
        title: 'Boas-vindas ao Puente',
        body: 'O Puente é onde a comunidade cibernética UE-ALC compartilha o que sabe com regras de confiança claras. Cada nota tem uma marcação TLP: CLEAR é pública, GREEN é para todos os membros verificados, AMBER para a organização do autor e o público indicado, RED somente para as pessoas nomeadas.',
      },
      fr: {
        title: 'Bienvenue sur Puente',
        body: 'Puente est l’espace où la communauté cyber UE-ALC partage ce qu’elle sait selon des règles de confiance claires. Chaque note porte un marquage TLP : CLEAR est public, GREEN est pour tous les membres vérifiés, AMBER pour l’organisation de l’auteur et le public désigné, RED pour les seules personnes nommées.',
      },
    },
    tlp: 'CLEAR',
    pap: 'CLEAR',
  },
  {
    author: 'analyst.br@demo.puente.test',
    title: 'Campanha de phishing em nome da autoridade tributária',
    body: 'Observamos desde segunda-feira uma campanha de phishing que imita notificações fiscais e distribui um carregador em JavaScript. Recomendamos bloquear anexos .js nos e-mails recebidos e alertar os usuários.',
    language: 'pt',
    tlp: 'GREEN',
    pap: 'GREEN',
  },
  {
    author: 'analyst.cl@demo.puente.test',
    title: 'Vulnerabilidad explotada en controladores de subestaciones',
    body: 'Compartimos con la comunidad de CSIRTs indicadores de explotación observados en controladores de subestaciones eléctricas. Detalles técnicos disponibles bajo solicitud.',
    language: 'es',
    tlp: 'AMBER',
    pap: 'AMBER',
    audience: { communities: ['csirts'] },
  },
  {
    author: 'analyst.ee@demo.puente.test',
    title: 'Exercise scenario for the joint table-top with CNRIC',
    body: 'Draft scenario for the November table-top: ransomware at a port operator with cascading effects on customs. Please comment before the planning call.',
    language: 'en',
    tlp: 'AMBER+STRICT',
    pap: 'AMBER',
    audience: { organisations: ['br-csirt'] },
  },
  {
    author: 'diplomat.es@demo.puente.test',
    title: 'Preparación de la reunión bilateral sobre el Programa de Acción',
    body: 'Propuesta de puntos para la reunión bilateral: posición común sobre el mecanismo de creación de capacidades y calendario de consultas.',
    language: 'es',
    tlp: 'RED',
    pap: 'RED',
    audience: { people: ['diplomat.do@demo.puente.test'] },
  },
];
