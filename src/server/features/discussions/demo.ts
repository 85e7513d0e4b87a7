import type { FeatureDemo } from '../../demo/context.js';
import { newId } from '../../platform/ids.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { sha256 } from '../../platform/ids.js';
import './tables.js';

interface DemoTopic {
  community: string;
  author: string;
  title: string;
  language: string;
  body: string;
  tlp?: 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
  replies: { author: string; body: string }[];
  attachment?: { name: string; type: string; content: Buffer };
}

/** A one-page PDF made here (no external file): "Puente demo — exercise agenda". */
function demoPdf(): Buffer {
  const text = 'Puente demo - table-top exercise agenda, 14 May';
  const stream = `BT /F1 14 Tf 72 720 Td (${text}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const TOPICS: DemoTopic[] = [
  {
    community: 'csirts',
    author: 'analyst.br@demo.puente.test',
    title: 'Campanha de phishing com tema de boletos bancários',
    language: 'pt',
    body: 'Estamos vendo uma nova onda de **phishing** com boletos falsos, vindo de domínios recém-registrados.\n\n- assunto: *Segunda via do seu boleto*\n- anexo HTML que redireciona para um kit de credenciais\n\nAlguém mais viu isso na região?',
    replies: [
      { author: 'analyst.cl@demo.puente.test', body: 'Sí, en Chile vimos la misma plantilla traducida al español la semana pasada. Compartimos los IOC en la nota de CSIRT Chile.' },
      { author: 'analyst.ee@demo.puente.test', body: 'Not seen in Estonia yet, but thanks — we added the domains to our watch list.' },
    ],
  },
  {
    community: 'csirts',
    author: 'analyst.cl@demo.puente.test',
    title: 'Ejercicio regional de respuesta a incidentes: agenda',
    language: 'es',
    body: 'Adjunto la agenda del ejercicio *table-top* del 14 de mayo. Por favor confirmen la participación de su equipo antes del viernes.',
    replies: [{ author: 'analyst.br@demo.puente.test', body: 'O CERT.br confirma dois participantes.' }],
    attachment: { name: 'agenda-ejercicio.pdf', type: 'application/pdf', content: demoPdf() },
  },
  {
    community: 'csirts',
    author: 'analyst.ee@demo.puente.test',
    title: 'Vulnerability disclosure: coordinating across time zones',
    language: 'en',
    tlp: 'GREEN',
    body: 'How do your teams hand over coordinated disclosure cases between Europe and the Americas? We are drafting a short [good-practice note](https://www.first.org/) and would welcome examples.',
    replies: [],
  },
  {
    community: 'cyber-diplomats',
    author: 'diplomat.es@demo.puente.test',
    title: 'Preparación de la reunión anual UE-ALC de ciberdiplomáticos',
    language: 'es',
    body: 'Propongo que la sesión de apertura trate el **Programa de Acción** de la ONU. ¿Comentarios sobre el borrador del orden del día?',
    replies: [
      { author: 'diplomat.do@demo.puente.test', body: 'De acuerdo. Sugerimos añadir un punto sobre medidas de fomento de la confianza (CBM) de la OEA.' },
      { author: 'admin@demo.puente.test', body: 'The secretariat can host the preparatory call on the 3rd; I will circulate a link.' },
    ],
    attachment: { name: 'orden-del-dia.txt', type: 'text/plain; charset=utf-8', content: Buffer.from('Orden del día (borrador)\n1. Apertura\n2. Programa de Acción de la ONU\n3. Medidas de fomento de la confianza\n4. Próximos pasos\n', 'utf8') },
  },
  {
    community: 'cyber-diplomats',
    author: 'diplomat.do@demo.puente.test',
    title: 'Points of contact directory: keeping it current',
    language: 'en',
    body: 'Could each ministry check its diplomatic point of contact before the next communication check?',
    replies: [],
  },
  {
    community: '5g-policy',
    author: 'admin@demo.puente.test',
    title: 'Boîte à outils 5G : retours d’expérience des opérateurs',
    language: 'fr',
    body: 'Nous rassemblons des retours sur la mise en œuvre des mesures stratégiques de la boîte à outils 5G de l’UE. Quels points ont été les plus difficiles ?',
    replies: [{ author: 'diplomat.es@demo.puente.test', body: 'En España, la evaluación de proveedores fue el paso más largo.' }],
  },
  {
    community: '5g-policy',
    author: 'diplomat.es@demo.puente.test',
    title: 'Risk assessment templates',
    language: 'en',
    body: 'Sharing the structure we used for the national 5G risk assessment:\n\n1. Threat actors\n2. Assets\n3. Dependencies on suppliers',
    replies: [],
  },
  {
    community: 'capacity-building',
    author: 'provider.eu@demo.puente.test',
    title: 'Offre de formation : analyse de logiciels malveillants',
    language: 'fr',
    body: 'Une formation de cinq jours à l’analyse de *malware* est proposée en septembre, en français et en espagnol. Places limitées.',
    replies: [
      { author: 'researcher.mx@demo.puente.test', body: 'La UNAM estaría interesada en enviar a dos investigadoras.' },
      { author: 'ngo.gt@demo.puente.test', body: '¿Hay becas para organizaciones de la sociedad civil?' },
    ],
  },
  {
    community: 'capacity-building',
    author: 'researcher.mx@demo.puente.test',
    title: 'Cooperación triangular: estudiantes de posgrado',
    language: 'es',
    body: 'Buscamos socios europeos para estancias de investigación de estudiantes de maestría en ciberseguridad.',
    replies: [{ author: 'provider.eu@demo.puente.test', body: 'We can connect you with two universities in our network.' }],
  },
];

/** Discussions in the four demo communities, a few subscriptions, and one proposal waiting for the secretariat. */
export const discussionsDemo: FeatureDemo = async ({ trx, orgIds, personIds, communityIds }) => {
  const people = await trx.selectFrom('people').select(['id', 'organisation_id']).execute();
  const orgOf = new Map(people.map((p) => [p.id, p.organisation_id]));
  let minutes = 60 * 24 * 3;
  for (const tp of TOPICS) {
    const communityId = communityIds.get(tp.community);
    const authorId = personIds.get(tp.author);
    if (!communityId || !authorId) continue;
    const id = newId();
    const tlp = tp.tlp ?? 'AMBER';
    const at = new Date(Date.now() - minutes * 60_000);
    minutes -= 200;
    await trx
      .insertInto('discussion_topics')
      .values({
        id,
        community_id: communityId,
        title: tp.title,
        body_md: tp.body,
        body_html: renderMarkdown(tp.body),
        language: tp.language,
        tlp,
        pap: 'AMBER',
        author_id: authorId,
        author_org_id: orgOf.get(authorId)!,
        audience_communities: tlp === 'AMBER' ? [communityId] : [],
        created_at: at,
        updated_at: at,
        last_activity_at: new Date(at.getTime() + tp.replies.length * 45 * 60_000),
      })
      .execute();
    for (const [i, r] of tp.replies.entries()) {
      const rid = personIds.get(r.author);
      if (!rid) continue;
      await trx
        .insertInto('discussion_replies')
        .values({ id: newId(), topic_id: id, body_md: r.body, body_html: renderMarkdown(r.body), author_id: rid, author_org_id: orgOf.get(rid)!, created_at: new Date(at.getTime() + (i + 1) * 45 * 60_000) })
        .execute();
    }
    if (tp.attachment)
      await trx
        .insertInto('discussion_attachments')
        .values({
          id: newId(),
          topic_id: id,
          file_name: tp.attachment.name,
          content_type: tp.attachment.type,
          size_bytes: tp.attachment.content.length,
          sha256: sha256(tp.attachment.content),
          content: tp.attachment.content,
          uploaded_by: authorId,
        })
        .execute();
  }
  const subs: [string, string, 'immediate' | 'daily'][] = [
    ['analyst.br@demo.puente.test', 'csirts', 'immediate'],
    ['analyst.cl@demo.puente.test', 'csirts', 'daily'],
    ['diplomat.es@demo.puente.test', 'cyber-diplomats', 'immediate'],
    ['diplomat.do@demo.puente.test', 'cyber-diplomats', 'daily'],
    ['provider.eu@demo.puente.test', 'capacity-building', 'daily'],
  ];
  for (const [email, slug, mode] of subs) {
    const pid = personIds.get(email);
    const cid = communityIds.get(slug);
    if (pid && cid) await trx.insertInto('discussion_subscriptions').values({ id: newId(), person_id: pid, community_id: cid, mode }).execute();
  }
  const proposer = personIds.get('energy.co@demo.puente.test');
  const proposerOrg = orgIds.get('co-energy');
  if (proposer && proposerOrg)
    await trx
      .insertInto('communities')
      .values({
        id: newId(),
        slug: 'energy-isac',
        name: 'Energy sector information sharing',
        description: 'Operators of electricity and gas networks in the EU and LAC: OT security, incidents and exercises.',
        visibility: 'members',
        status: 'proposed',
        created_by: proposer,
        proposed_by: proposer,
        proposed_by_org: proposerOrg,
        proposal_reason: 'Energy operators have no place to share OT incidents across both regions.',
      })
      .execute();
};
