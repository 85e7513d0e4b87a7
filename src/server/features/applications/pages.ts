import type { Actor } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { t } from '../../platform/i18n.js';
import { html } from '../portal/html.js';
import { chromeLanguage, document, meta } from '../portal/pages.js';
import { verifyCertificate } from './service.js';

/**
 * `/certificates/{code}`: the public check of a certificate of completion, for anyone (signed in
 * or not) who was shown one — what verifyCertificate says and nothing more. An unknown or forged
 * code gets a page saying so, with status 404.
 */
export async function certificatePage(p: Platform, actor: Actor, code: string, lang?: string): Promise<{ status: 200 | 404; page: string }> {
  const ui = chromeLanguage(actor, lang);
  const k = (key: string) => t(ui, `applications.page.${key}`);
  const base = p.config.baseUrl.replace(/\/$/, '');
  let c: Awaited<ReturnType<typeof verifyCertificate>> | null = null;
  try {
    c = await verifyCertificate(p, actor, code);
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'NOT_FOUND')) throw e;
  }
  const canonical = `${base}/certificates/${encodeURIComponent(code)}`;
  if (!c)
    return {
      status: 404,
      page: document({
        lang: ui,
        contentLang: ui,
        title: k('notFoundTitle'),
        description: k('notFound'),
        canonical,
        alternates: [],
        data: { '@context': 'https://schema.org', '@type': 'WebPage', name: k('notFoundTitle') },
        appPath: '/applications',
        body: html`<h1>${k('notFoundTitle')}</h1>\n<p>${k('notFound')}</p>`,
      }),
    };
  const dates = new Intl.DateTimeFormat(ui, { dateStyle: 'long', timeZone: c.timeZone }).formatRange(new Date(c.startsAt), new Date(c.endsAt));
  const issued = new Intl.DateTimeFormat(ui, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(c.issuedAt));
  const status = c.status === 'valid' ? html`<strong>${k('valid')}</strong>` : html`<strong style="color:#c92a2a">${k('revoked')}</strong>`;
  return {
    status: 200,
    page: document({
      lang: ui,
      contentLang: ui,
      title: `${k('title')} — ${c.name}`,
      description: `${c.name} · ${c.offer} · ${c.provider}`,
      canonical,
      alternates: [],
      data: {
        '@context': 'https://schema.org',
        '@type': 'EducationalOccupationalCredential',
        name: k('title'),
        credentialCategory: 'certificate',
        recognizedBy: { '@type': 'Organization', name: c.provider },
        about: c.offer,
        dateCreated: c.issuedAt.slice(0, 10),
        url: c.url,
      },
      appPath: '/applications',
      body: html`<h1>${k('title')}</h1>
<p>${k('intro')}</p>
${meta([
  [k('status'), status],
  [k('name'), c.name],
  [k('offer'), c.offer],
  [k('provider'), c.provider],
  [k('dates'), dates],
  [k('issued'), issued],
])}`,
    }),
  };
}
