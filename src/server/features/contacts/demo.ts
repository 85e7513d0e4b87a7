import { sql } from 'kysely';
import type { FeatureDemo } from '../../demo/context.js';
import { newId } from '../../platform/ids.js';
import { parsePublicKey } from './pgp.js';
import type { Kind, SecureChannel } from './service.js';
import './tables.js';

/**
 * A real OpenPGP public key (Curve25519, expires in 2029), generated with
 * openpgp.js for the demo; the private key was never kept.
 */
export const DEMO_PUBLIC_KEY = `-----BEGIN PGP PUBLIC KEY BLOCK-----

xjMEawKoVxYJKwYBBAHaRw8BAQdAFQauxpAZqEnYvWaWo70RhZx69VlIWgWh
QDLMlC8/RhfNWEVxdWlwbyBOYWNpb25hbCBkZSBSZXNwdWVzdGEgYSBJbmNp
ZGVudGVzIGRlIENoaWxlIChkZW1vKSA8c29jQGVucmktY2wuZGVtby5wdWVu
dGUudGVzdD7CwBkEExYKAIsFgmsCqFcFiQWjmoADCwkHCRBgyzRvOwk0GkUU
AAAAAAAcACBzYWx0QG5vdGF0aW9ucy5vcGVucGdwanMub3JnvxoiSsRuaB2H
auk2ZYK2bchNfjvi4fF+taeq9K/DcIkFFQoIDgwEFgACAQIZAQKbAwIeARYh
BM1sLjMs2S+ECTapW2DLNG87CTQaAADMvwD+Ndb0GfJCWaN/bGYUk9HPgHcc
QTcmKpK6C0hHt9tRzPMA/3RQcl1NGKRyBFmjrR0axU5wbPlMEYy9RjTgyATk
ITYAzjgEawKoVxIKKwYBBAGXVQEFAQEHQLi6ee5MrNftNWehDbJoSQVWCkz9
D9N/2HTKFxfgs6RNAwEIB8LABAQYFgoAdgWCawKoVwWJBaOagAkQYMs0bzsJ
NBpFFAAAAAAAHAAgc2FsdEBub3RhdGlvbnMub3BlbnBncGpzLm9yZ1WCUWqV
prx4+nFVTk+qhaR9RckC8uj2L+mhliouX/ZIApsMFiEEzWwuMyzZL4QJNqlb
YMs0bzsJNBoAADHMAQCVSGPLnbr9TAfZKJtynaLu8WO5VzzoF0/jFg42Bnby
5gD/Ur89vcpyqFc5EeGPdfhQvd8vANZG4IbxIdgzOgPP0wk=
=4Nt7
-----END PGP PUBLIC KEY BLOCK-----
`;

/** Camila Rojas Fuentes's own key (generated the same way, private key not kept): her crisis alerts go out encrypted. */
export const DEMO_PERSON_KEY = `-----BEGIN PGP PUBLIC KEY BLOCK-----

xjMEaxbCPBYJKwYBBAHaRw8BAQdAcAg/fH/Wu3+FXW64ZJ6LBMQeX+YPWQYj
oztlwerg6J7NQ0NhbWlsYSBSb2phcyBGdWVudGVzIChkZW1vKSA8Y2FtaWxh
LnJvamFzQGVucmktY2wuZGVtby5wdWVudGUudGVzdD7CwBkEExYKAIsFgmsW
wjwFiQXDxMMDCwkHCRB8NiCexxXtpUUUAAAAAAAcACBzYWx0QG5vdGF0aW9u
cy5vcGVucGdwanMub3JnKppCE1hC2433oLaPNEsHskJ7mR07mqDZc3+mpJjo
WdAFFQoIDgwEFgACAQIZAQKbAwIeARYhBErSqVhj0rdUS+sEmHw2IJ7HFe2l
AADaCQEAvLoO11Yqyizn8aY+bzwSU8vhfy9UYRhBpCULvM9x+ccA/1jXi5BE
Gxt8W7x5LDm5l9mII2RI7BNya0ig1+OwrssFzjgEaxbCPBIKKwYBBAGXVQEF
AQEHQDR1Qx083zBV55Znz5pmtrKvgvu7FfZzgi3rEWiMj9FSAwEIB8LABAQY
FgoAdgWCaxbCPAWJBcPEwwkQfDYgnscV7aVFFAAAAAAAHAAgc2FsdEBub3Rh
dGlvbnMub3BlbnBncGpzLm9yZ3ZBgiFqpsPDOA1QVB+hFdIP+4SxlfqcWuXQ
uvYxbBcMApsMFiEEStKpWGPSt1RL6wSYfDYgnscV7aUAAKuaAQDZ3PShYp1A
Yui0C6sMF9phdbrhGyLTrgTn080E/ayv6gD/Z7BadS+Ey4KHcCj642wwF1On
7cAFiMzsL7dYSJ/NgAE=
=5Uuu
-----END PGP PUBLIC KEY BLOCK-----
`;

interface DemoContact {
  org: string;
  author: string;
  kinds: Kind[];
  fullName: string;
  position: string;
  teamMailbox?: boolean;
  languages: string[];
  timeZone: string;
  emails: string[];
  phone?: string;
  emergencyPhone?: string;
  availability?: string;
  channels?: SecureChannel[];
  /** Her or its OpenPGP key: the team's demo key, or a person's own. */
  key?: boolean | string;
  status?: 'active' | 'nominated';
  /** Months since the last confirmation (default 1). */
  confirmedMonthsAgo?: number;
  /** Field shared only with these communities (TLP:AMBER). */
  narrow?: { field: 'emergencyPhone' | 'phone' | 'secureChannels'; communities: string[] }[];
}

const CONTACTS: DemoContact[] = [
  { org: 'es-mfa', author: 'diplomat.es@demo.puente.test', kinds: ['diplomatic'], fullName: 'Javier Ortega Ruiz', position: 'Embajador en Misión Especial para Asuntos Cibernéticos', languages: ['es', 'en', 'fr'], timeZone: 'Europe/Madrid', emails: ['ciberdiplomacia@maec.demo.puente.test'], phone: '+34 91 555 0101', availability: 'L–V 09:00–18:00 CET' },
  {
    org: 'es-mfa',
    author: 'diplomat.es@demo.puente.test',
    kinds: ['crisis_management'],
    fullName: 'Gabinete de Crisis Cibernéticas',
    position: 'Crisis-management authority (duty officer)',
    teamMailbox: true,
    languages: ['es', 'en'],
    timeZone: 'Europe/Madrid',
    emails: ['crisis-ciber@maec.demo.puente.test'],
    phone: '+34 91 555 0110',
    emergencyPhone: '+34 600 555 911',
    availability: '24/7',
    channels: [{ type: 'secure_phone', address: '+34 91 555 0199 (SCIP)' }],
    narrow: [{ field: 'emergencyPhone', communities: ['csirts'] }],
  },
  { org: 'do-mfa', author: 'diplomat.do@demo.puente.test', kinds: ['diplomatic'], fullName: 'María Fernanda Peña', position: 'Directora de Asuntos Cibernéticos', languages: ['es', 'en'], timeZone: 'America/Santo_Domingo', emails: ['cyber@mirex.demo.puente.test'], phone: '+1 809 555 0120', availability: 'L–V 08:00–16:00 AST' },
  { org: 'do-mfa', author: 'diplomat.do@demo.puente.test', kinds: ['diplomatic', 'crisis_management'], fullName: 'Luis Manuel Gonzales', position: 'Consejero, Punto de Contacto alterno (Programa de Acción de la ONU)', languages: ['es', 'en'], timeZone: 'America/Santo_Domingo', emails: ['l.gonzales@mirex.demo.puente.test'], status: 'nominated' },
  {
    org: 'br-csirt',
    author: 'analyst.br@demo.puente.test',
    kinds: ['technical', 'operational_24_7'],
    fullName: 'CNRIC — Centro de Operações',
    position: 'Plantão 24x7',
    teamMailbox: true,
    languages: ['pt', 'en', 'es'],
    timeZone: 'America/Sao_Paulo',
    emails: ['plantao@cnric.demo.puente.test', 'incidentes@cnric.demo.puente.test'],
    phone: '+55 61 5555 0130',
    emergencyPhone: '+55 61 95555 0131',
    availability: '24/7',
    channels: [{ type: 'matrix', address: '@plantao:cnric.demo.puente.test' }],
  },
  { org: 'br-csirt', author: 'analyst.br@demo.puente.test', kinds: ['technical', 'operational_24_7'], fullName: 'Rafael Oliveira Santos', position: 'Coordenador de Resposta a Incidentes', languages: ['pt', 'en', 'es'], timeZone: 'America/Sao_Paulo', emails: ['rafael.santos@cnric.demo.puente.test'], phone: '+55 61 5555 0132', channels: [{ type: 'signal', address: '+55 61 95555 0133' }] },
  {
    org: 'cl-csirt',
    author: 'analyst.cl@demo.puente.test',
    kinds: ['technical', 'operational_24_7'],
    fullName: 'ENRI-CL Mesa de Turno',
    position: 'Equipo de turno 24/7',
    teamMailbox: true,
    languages: ['es', 'en'],
    timeZone: 'America/Santiago',
    emails: ['soc@enri-cl.demo.puente.test'],
    phone: '+56 2 5555 0140',
    emergencyPhone: '+56 9 5555 0141',
    availability: '24/7',
    channels: [{ type: 'threema', address: 'ENRICL24' }],
    key: true,
  },
  { org: 'cl-csirt', author: 'analyst.cl@demo.puente.test', kinds: ['technical', 'operational_24_7'], fullName: 'Camila Rojas Fuentes', position: 'Jefa de Coordinación de Vulnerabilidades', languages: ['es', 'en'], timeZone: 'America/Santiago', emails: ['camila.rojas@enri-cl.demo.puente.test'], phone: '+56 2 5555 0142', key: DEMO_PERSON_KEY },
  // The people on call of three LAC CSIRTs (entries linked to their accounts): a crisis declared over
  // Colombia, Chile or Brazil brings them into its room from the directory.
  { org: 'co-energy-csirt', author: 'analyst.co@demo.puente.test', kinds: ['technical', 'operational_24_7'], fullName: 'Valentina Ríos Cárdenas', position: 'Coordinadora del CSIRT del sector eléctrico (guardia)', languages: ['es', 'en'], timeZone: 'America/Bogota', emails: ['valentina.rios@csirt-energia.demo.puente.test'], phone: '+57 1 555 0170', emergencyPhone: '+57 310 555 0171', availability: '24/7 (rotación semanal)' },
  { org: 'ee-csirt', author: 'analyst.ee@demo.puente.test', kinds: ['technical', 'operational_24_7'], fullName: 'RKK Incident Desk', position: 'Duty desk', teamMailbox: true, languages: ['et', 'en'], timeZone: 'Europe/Tallinn', emails: ['desk@rkk.demo.puente.test'], phone: '+372 555 0150', emergencyPhone: '+372 5555 0151', availability: '24/7' },
  { org: 'ee-csirt', author: 'analyst.ee@demo.puente.test', kinds: ['technical'], fullName: 'Kadri Tamm', position: 'International cooperation lead', languages: ['et', 'en'], timeZone: 'Europe/Tallinn', emails: ['kadri.tamm@rkk.demo.puente.test'], phone: '+372 555 0152', confirmedMonthsAgo: 14 },
  { org: 'te-agency', author: 'provider.eu@demo.puente.test', kinds: ['capacity_building'], fullName: 'Claire Dubois', position: 'Capacity-building focal point, CSIRT set-up and table-top exercises', languages: ['fr', 'en', 'es'], timeZone: 'Europe/Brussels', emails: ['capacity@tecrf.demo.puente.test'], phone: '+32 2 555 0160', availability: 'Mon–Fri 09:00–17:30 CET' },
];

/** Points of contact and national focal points (ES, DO) for the demo. */
export const contactsDemo: FeatureDemo = async ({ trx, orgIds, personIds, communityIds }) => {
  const admin = personIds.get('admin@demo.puente.test')!;
  for (const [country, email] of [['ES', 'diplomat.es@demo.puente.test'], ['DO', 'diplomat.do@demo.puente.test']] as const)
    await trx.insertInto('country_focal_points').values({ country_code: country, person_id: personIds.get(email)!, added_by: admin }).execute();
  const teamKey = await parsePublicKey(DEMO_PUBLIC_KEY);
  for (const c of CONTACTS) {
    const key = typeof c.key === 'string' ? await parsePublicKey(c.key) : teamKey;
    const orgId = orgIds.get(c.org)!;
    const org = await trx.selectFrom('organisations').select('country_code').where('id', '=', orgId).executeTakeFirstOrThrow();
    const fieldMarkings = Object.fromEntries(
      (c.narrow ?? []).map((n) => [n.field, { tlp: 'AMBER', audience: { organisations: [], communities: n.communities.map((s) => communityIds.get(s)!), people: [] } }]),
    );
    const author = personIds.get(c.author)!;
    const status = c.status ?? 'active';
    const authorName = await trx.selectFrom('people').select('name').where('id', '=', author).executeTakeFirstOrThrow();
    await trx
      .insertInto('contacts')
      .values({
        id: newId(),
        organisation_id: orgId,
        country_code: org.country_code,
        // Entries that name a demo account are linked to it.
        person_id: authorName.name === c.fullName ? author : null,
        kinds: c.kinds,
        full_name: c.fullName,
        is_team_mailbox: c.teamMailbox ?? false,
        position: c.position,
        languages: c.languages,
        time_zone: c.timeZone,
        emails: c.emails,
        phone: c.phone ?? null,
        emergency_phone: c.emergencyPhone ?? null,
        availability: c.availability ?? null,
        secure_channels: JSON.stringify(c.channels ?? []),
        ...(c.key && { pgp_key: key.armored, pgp_fingerprint: key.fingerprint, pgp_algorithm: [key.algorithm, key.curve].filter(Boolean).join(' '), pgp_expires_at: key.expiresAt, pgp_revoked: key.revoked }),
        field_markings: JSON.stringify(fieldMarkings),
        last_confirmed_at: sql<Date>`now() - make_interval(months => ${c.confirmedMonthsAgo ?? 1})`,
        last_confirmed_by: author,
        status,
        nominated_by: author,
        decided_by: status === 'active' && c.kinds.some((k) => k === 'diplomatic' || k === 'crisis_management') ? admin : null,
        decided_at: status === 'active' && c.kinds.some((k) => k === 'diplomatic' || k === 'crisis_management') ? new Date() : null,
        tlp: 'GREEN',
        pap: 'GREEN',
        author_id: author,
        author_org_id: orgId,
      })
      .execute();
  }
};
