/**
 * Demo profiles: descriptions in two or more languages for the organisations of
 * the ten demo accounts, constituencies for the CSIRTs (documentation address
 * ranges, private-use AS numbers, .example domains) and memberships. No logos.
 */
import { sql } from 'kysely';
import type { FeatureDemo } from '../../demo/context.js';
import type {} from './tables.js';

interface DemoProfile {
  languages: string[];
  descriptions: Record<string, string>;
  ipRanges?: string[];
  asns?: number[];
  domains?: string[];
  sectorsServed?: string[];
  operatingHours?: string;
  timeZone?: string;
  establishedOn?: string;
  memberships?: string[];
  otherMemberships?: string[];
}

export const DEMO_PROFILES: Record<string, DemoProfile> = {
  secretariat: {
    languages: ['en', 'es'],
    descriptions: {
      en: 'Runs the Puente platform: vets organisations, convenes communities and keeps the directories current.',
      es: 'Gestiona la plataforma Puente: verifica organizaciones, convoca comunidades y mantiene al día los directorios.',
      fr: 'Gère la plateforme Puente : vérifie les organisations, anime les communautés et tient les annuaires à jour.',
      pt: 'Gere a plataforma Puente: verifica organizações, convoca comunidades e mantém os diretórios atualizados.',
    },
    operatingHours: 'Monday–Friday 09:00–17:00',
    timeZone: 'Europe/Brussels',
    establishedOn: '2023-07-17',
  },
  'es-mfa': {
    languages: ['es', 'en'],
    descriptions: {
      es: 'Oficina de ciberdiplomacia: Programa de Acción de la ONU, aplicación de normas y diálogo birregional.',
      en: 'Cyber diplomacy office: UN Programme of Action, norms implementation and bi-regional dialogue.',
      fr: 'Bureau de cyberdiplomatie : programme d’action des Nations unies, mise en œuvre des normes et dialogue birégional.',
    },
    operatingHours: 'Lunes a viernes 09:00–18:00',
    timeZone: 'Europe/Madrid',
    memberships: [],
    otherMemberships: ['UN Points of Contact Directory', 'OSCE CBM network'],
  },
  'do-mfa': {
    languages: ['es', 'en'],
    descriptions: {
      es: 'Punto focal para las medidas de fomento de la confianza en el ciberespacio ante la OEA y la ONU.',
      en: 'Focal point for cyber confidence-building measures in the OAS and the UN.',
    },
    operatingHours: 'Lunes a viernes 08:00–16:00',
    timeZone: 'America/Santo_Domingo',
    otherMemberships: ['OAS/CICTE network of points of contact'],
  },
  'br-csirt': {
    languages: ['pt', 'en', 'es'],
    descriptions: {
      pt: 'CSIRT nacional que coordena a resposta a incidentes da administração federal e da infraestrutura crítica.',
      en: 'National CSIRT coordinating incident response for the federal administration and critical infrastructure.',
      es: 'CSIRT nacional que coordina la respuesta a incidentes de la administración federal y de la infraestructura crítica.',
    },
    ipRanges: ['192.0.2.0/25', '2001:db8:100::/40'],
    asns: [64496, 64497],
    domains: ['cnric.gov.example', 'alerta.cnric.gov.example'],
    sectorsServed: ['public-administration', 'digital-infrastructure', 'energy'],
    operatingHours: '24/7',
    timeZone: 'America/Sao_Paulo',
    establishedOn: '2004-08-11',
    memberships: ['first', 'csirt_americas'],
    otherMemberships: ['LACNIC CSIRT'],
  },
  'cl-csirt': {
    languages: ['es', 'en'],
    descriptions: {
      es: 'CSIRT nacional de Chile: alertas, coordinación de vulnerabilidades y ejercicios.',
      en: 'National CSIRT of Chile: alerts, vulnerability coordination and exercises.',
    },
    ipRanges: ['192.0.2.128/25', '2001:db8:200::/40'],
    asns: [64498],
    domains: ['enri.gob.example'],
    sectorsServed: ['public-administration', 'energy', 'health'],
    operatingHours: '24/7',
    timeZone: 'America/Santiago',
    establishedOn: '2015-03-02',
    memberships: ['first', 'csirt_americas'],
  },
  'ee-csirt': {
    languages: ['et', 'en'],
    descriptions: {
      en: 'Estonian national cyber incident centre, partner in table-top exercises with LAC teams.',
      et: 'Riiklik küberintsidentide keskus, Ladina-Ameerika ja Kariibi mere meeskondade lauaõppuste partner.',
      es: 'Centro nacional estonio de ciberincidentes, socio en ejercicios de mesa con equipos de América Latina y el Caribe.',
    },
    ipRanges: ['198.51.100.0/25', '2001:db8:300::/40'],
    asns: [64499, 64500],
    domains: ['rkk.riik.example'],
    sectorsServed: ['public-administration', 'digital-infrastructure', 'banking'],
    operatingHours: '24/7',
    timeZone: 'Europe/Tallinn',
    establishedOn: '2006-01-01',
    memberships: ['first', 'eu_csirts_network', 'tf_csirt'],
  },
  'te-agency': {
    languages: ['fr', 'en', 'es'],
    descriptions: {
      en: 'Implements Team Europe technical assistance: CSIRT set-up, study visits, table-top exercises and triangular cooperation.',
      fr: 'Met en œuvre l’assistance technique de l’Équipe Europe : création de CSIRT, visites d’étude, exercices sur table et coopération triangulaire.',
      es: 'Ejecuta la asistencia técnica del Equipo Europa: creación de CSIRT, visitas de estudio, ejercicios de mesa y cooperación triangular.',
    },
    operatingHours: 'Monday–Friday 09:00–17:30',
    timeZone: 'Europe/Brussels',
    establishedOn: '2021-06-01',
  },
  'co-energy': {
    languages: ['es', 'en'],
    descriptions: {
      es: 'Operador de generación y transmisión eléctrica en la región andina, con un SOC propio.',
      en: 'Electricity generation and transmission operator in the Andean region, with its own SOC.',
    },
    domains: ['energia-andina.example'],
    sectorsServed: ['energy'],
    operatingHours: '24/7 (SOC)',
    timeZone: 'America/Bogota',
    establishedOn: '1995-09-20',
  },
  'mx-uni': {
    languages: ['es', 'en'],
    descriptions: {
      es: 'Investigación en seguridad de sistemas de control industrial, inteligencia de amenazas y normas cibernéticas.',
      en: 'Research on ICS security, threat intelligence and cyber norms.',
    },
    domains: ['ciberlab.uavm.example'],
    sectorsServed: ['research'],
    operatingHours: 'Lunes a viernes 09:00–19:00',
    timeZone: 'America/Mexico_City',
    establishedOn: '2012-02-15',
    otherMemberships: ['Red Académica de Ciberseguridad de las Américas'],
  },
  'gt-ngo': {
    languages: ['es', 'en'],
    descriptions: {
      es: 'Derechos digitales y formación en higiene cibernética para jóvenes y sociedad civil.',
      en: 'Digital rights and cyber hygiene training for youth and civil society.',
    },
    operatingHours: 'Lunes a viernes 08:00–17:00',
    timeZone: 'America/Guatemala',
    establishedOn: '2017-05-03',
  },
  // Further CSIRTs of the demo: constituencies and memberships, descriptions in two languages.
  'uy-csirt': {
    languages: ['es', 'en'],
    descriptions: { es: 'CSIRT nacional del Uruguay.', en: 'National CSIRT of Uruguay.' },
    ipRanges: ['198.51.100.128/26'],
    asns: [64501],
    domains: ['cri.gub.example'],
    sectorsServed: ['public-administration'],
    operatingHours: '24/7',
    timeZone: 'America/Montevideo',
    memberships: ['first', 'csirt_americas'],
  },
  'cr-csirt': {
    languages: ['es', 'en'],
    descriptions: { es: 'CSIRT nacional de Costa Rica.', en: 'National CSIRT of Costa Rica.' },
    ipRanges: ['198.51.100.192/26'],
    asns: [64502],
    domains: ['csirt.go.example'],
    sectorsServed: ['public-administration'],
    operatingHours: 'Lunes a viernes 07:00–19:00; guardia 24/7',
    timeZone: 'America/Costa_Rica',
    memberships: ['csirt_americas'],
  },
  'jm-csirt': {
    languages: ['en', 'es'],
    descriptions: { en: 'National CSIRT of Jamaica.', es: 'CSIRT nacional de Jamaica.' },
    ipRanges: ['203.0.113.0/26'],
    asns: [64503],
    domains: ['jacirt.gov.example'],
    sectorsServed: ['public-administration', 'banking'],
    operatingHours: '24/7',
    timeZone: 'America/Jamaica',
    memberships: ['first', 'csirt_americas'],
  },
  'fi-csirt': {
    languages: ['fi', 'en'],
    descriptions: { en: 'National CSIRT of Finland.', fi: 'Suomen kansallinen CSIRT.' },
    ipRanges: ['203.0.113.64/26', '2001:db8:400::/40'],
    asns: [64504],
    domains: ['kyberturva.example'],
    sectorsServed: ['public-administration', 'transport'],
    operatingHours: '24/7',
    timeZone: 'Europe/Helsinki',
    memberships: ['first', 'eu_csirts_network', 'tf_csirt'],
  },
  'it-fin-csirt': {
    languages: ['it', 'en'],
    descriptions: { en: 'Sectoral CSIRT of the Italian financial sector.', it: 'CSIRT settoriale del settore finanziario italiano.' },
    ipRanges: ['203.0.113.128/26'],
    asns: [64505],
    domains: ['csirt-finanza.example'],
    sectorsServed: ['banking', 'financial'],
    operatingHours: '24/7',
    timeZone: 'Europe/Rome',
    memberships: ['first', 'tf_csirt'],
  },
  'pe-fin-csirt': {
    languages: ['es', 'en'],
    descriptions: { es: 'CSIRT del sector financiero del Perú.', en: 'Financial-sector CSIRT of Peru.' },
    ipRanges: ['203.0.113.192/27'],
    asns: [64506],
    domains: ['csirt-financiero.example'],
    sectorsServed: ['banking', 'financial'],
    operatingHours: 'Lunes a sábado 07:00–22:00',
    timeZone: 'America/Lima',
    memberships: ['csirt_americas'],
  },
  'mx-health-csirt': {
    languages: ['es', 'en'],
    descriptions: { es: 'CSIRT sectorial para hospitales y prestadores de salud.', en: 'Sectoral CSIRT for hospitals and health providers.' },
    ipRanges: ['203.0.113.224/27'],
    asns: [64507],
    domains: ['csirt-salud.example'],
    sectorsServed: ['health'],
    operatingHours: '24/7',
    timeZone: 'America/Mexico_City',
    memberships: ['csirt_americas'],
    otherMemberships: ['Health-ISAC'],
  },
};

export const organisationProfilesDemo: FeatureDemo = async ({ trx, orgIds }) => {
  for (const [key, p] of Object.entries(DEMO_PROFILES)) {
    const id = orgIds.get(key);
    if (!id) continue;
    await trx
      .insertInto('organisation_profiles')
      .values({
        organisation_id: id,
        languages: p.languages,
        ip_ranges: sql`${p.ipRanges ?? []}::cidr[]`,
        asns: p.asns ?? [],
        domains: p.domains ?? [],
        sectors_served: p.sectorsServed ?? [],
        operating_hours: p.operatingHours ?? null,
        time_zone: p.timeZone ?? null,
        established_on: p.establishedOn ?? null,
        memberships: p.memberships ?? [],
        other_memberships: p.otherMemberships ?? [],
      })
      .execute();
    await trx
      .insertInto('organisation_descriptions')
      .values(Object.entries(p.descriptions).map(([language, description]) => ({ organisation_id: id, language, description })))
      .execute();
  }
};
