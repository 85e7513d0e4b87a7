import { t } from '../../platform/i18n.js';
import type { Actor } from '../../platform/actor.js';
import { conceptLabels } from '../../platform/concepts.js';
import type { Platform } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { canonicalTag, sameLanguage } from '../../platform/translations.js';
import { html, trusted } from '../portal/html.js';
import { chromeLanguage, countryName, document, languageName, meta, type Alternate } from '../portal/pages.js';
import { getOffer, type SessionView } from './service.js';

/** Course types for schema.org: what is taught over sessions; the rest are events people attend. */
const COURSES = new Set(['training-course', 'summer-school', 'fellowship', 'webinar']);
const COURSE_MODE = { online: 'online', 'in-person': 'onsite', hybrid: 'blended' } as const;

/** A moment as people at the session's place read it, with the zone named. */
const when = (lang: string, iso: string, tz: string) =>
  new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: tz, timeZoneName: 'short' }).format(new Date(iso));

/**
 * `/offers/{slug}`: a published CLEAR offer on the public portal, in the reader's language or
 * `lang`, with schema.org Course (or EducationEvent) data for search engines. Read through the
 * same service as the API, as an actor without a principal: the policy decides.
 */
export async function offerPortalPage(p: Platform, actor: Actor, slug: string, lang?: string): Promise<string | null> {
  const wanted = lang && canonicalTag(lang) ? canonicalTag(lang)! : undefined;
  let o: Awaited<ReturnType<typeof getOffer>>;
  try {
    o = await getOffer(p, actor, slug, wanted);
  } catch (e) {
    if (e instanceof AppError && (e.code === 'NOT_FOUND' || e.code === 'VALIDATION_FAILED')) return null;
    throw e;
  }
  if (o.status === 'draft' || o.tlp !== 'CLEAR') return null;
  const ui = chromeLanguage(actor, wanted);
  const base = p.config.baseUrl;
  const path = `/offers/${o.slug}`;
  const info = o.translation;
  const k = (key: string, vars?: Record<string, string>) => t(ui, `portal.offer.${key}`, vars);
  const labels = await conceptLabels(p.db, o.concepts);
  const label = (tag: string) => {
    const l = labels.get(tag) ?? {};
    return l[ui] ?? l.en ?? tag;
  };
  const alternates: Alternate[] = [...info.versions.map((v) => ({ hreflang: v.language, href: `${base}${path}?lang=${encodeURIComponent(v.language)}` })), { hreflang: 'x-default', href: `${base}${path}` }];
  const session = (s: SessionView) =>
    html`<li>${when(ui, s.startsAt, s.timeZone)} – ${when(ui, s.endsAt, s.timeZone)}${s.place ? html`, <span lang="${o.language}">${s.place}</span>` : ''}${s.country ? `, ${countryName(ui, s.country)}` : ''}${s.online ? ` (${k('online')})` : ''}.
${k('seats', { seats: String(s.seats), free: String(s.freeSeats) })}${s.applicationDeadline ? html` ${k('deadline', { date: when(ui, s.applicationDeadline, s.timeZone) })}` : ''}</li>`;
  const section = (key: string, text: string) => (text.trim() ? html`<h2 lang="${ui}">${k(`fields.${key}`)}</h2>${trusted(renderMarkdown(text, { topHeading: 3 }))}` : '');
  const body = html`<article lang="${info.shown}">
<p lang="${ui}"><span class="tlp">TLP:CLEAR</span> ${k(`types.${o.type}`)}${o.triangular ? ` · ${k('triangular')}` : ''}${o.status === 'closed' ? ` · ${k('closed')}` : ''}</p>
<h1>${o.title}</h1>
${info.fallback ? html`<p class="note" lang="${ui}">${t(ui, 'portal.notTranslated', { wanted: languageName(ui, wanted ?? ui), shown: languageName(ui, info.shown) })}</p>` : ''}
${info.machine ? html`<p class="note" lang="${ui}">${t(ui, 'portal.machineNote')}</p>` : ''}
${info.outdated ? html`<p class="note" lang="${ui}">${t(ui, 'portal.outdatedNote')}</p>` : ''}
${
  info.versions.length > 1
    ? html`<p class="versions" lang="${ui}">${t(ui, 'portal.versions')} ${info.versions.map(
        (v, i) =>
          html`${i ? ' · ' : ''}${sameLanguage(v.language, info.shown) ? html`<strong lang="${v.language}">${languageName(v.language, v.language)}</strong>` : html`<a href="${path}?lang=${encodeURIComponent(v.language)}" hreflang="${v.language}" lang="${v.language}">${languageName(v.language, v.language)}</a>`}`,
      )}</p>`
    : ''
}
${o.summary ? html`<p>${o.summary}</p>` : ''}
<div lang="${ui}">${meta([
    [k('fields.provider'), html`<a href="/organisations/${o.provider.id}">${o.provider.name}</a>`],
    [k('fields.partners'), o.partners.length ? html`${o.partners.map((x, i) => html`${i ? '; ' : ''}${x.name} (${k(`roles.${x.role}`)})`)}` : null],
    [k('fields.format'), k(`formats.${o.format}`)],
    [k('fields.languages'), o.languages.length ? o.languages.map((l) => languageName(ui, l)).join(', ') : null],
    [k('fields.audiences'), o.audiences.length ? o.audiences.map((a) => k(`audiences.${a}`)).join(', ') : null],
    [k('fields.countries'), o.countries.length ? o.countries.map((c) => countryName(ui, c)).join(', ') : k('openToAll')],
    [k('fields.endorsement'), o.requiresEndorsement ? k('endorsementNeeded') : null],
  ])}
${o.concepts.length ? html`<h2>${k('fields.concepts')}</h2><ul class="chips">${o.concepts.map((c) => html`<li><a href="/vocabularies/${c}">${label(c)}</a></li>`)}</ul>` : ''}
<h2>${k('fields.sessions')}</h2>
${o.sessions.length ? html`<ul>${o.sessions.map(session)}</ul>` : html`<p>${k('noSessions')}</p>`}</div>
${section('description', o.description)}
${section('eligibility', o.eligibility)}
${section('selectionCriteria', o.selectionCriteria)}
${section('cost', o.cost)}
${section('funding', o.funding)}
${section('howToApply', o.howToApply)}
<p lang="${ui}"><a href="/sign-in?next=${encodeURIComponent(path)}">${k('signInToApply')}</a></p>
</article>`;
  const provider = { '@type': 'Organization', name: o.provider.name, url: `${base}/organisations/${o.provider.id}` };
  const instance = (s: SessionView) => ({
    '@type': COURSES.has(o.type) ? 'CourseInstance' : 'EducationEvent',
    name: o.title,
    startDate: s.startsAt,
    endDate: s.endsAt,
    ...(COURSES.has(o.type) ? { courseMode: s.online ? 'online' : COURSE_MODE[o.format] } : {}),
    eventAttendanceMode: `https://schema.org/${s.online || o.format === 'online' ? 'Online' : o.format === 'hybrid' ? 'Mixed' : 'Offline'}EventAttendanceMode`,
    eventStatus: 'https://schema.org/EventScheduled',
    location: s.online ? { '@type': 'VirtualLocation', url: `${base}${path}` } : { '@type': 'Place', name: s.place || undefined, address: s.country ? { '@type': 'PostalAddress', addressCountry: s.country } : undefined },
    maximumAttendeeCapacity: s.seats,
    remainingAttendeeCapacity: s.freeSeats,
    organizer: provider,
    inLanguage: o.languages[0],
  });
  const common = {
    '@context': 'https://schema.org',
    '@id': `${base}${path}`,
    url: `${base}${path}`,
    name: o.title,
    description: o.summary || undefined,
    inLanguage: info.shown,
    keywords: o.concepts.map((c) => label(c)).join(', ') || undefined,
    audience: o.audiences.map((a) => ({ '@type': 'Audience', audienceType: t('en', `portal.offer.audiences.${a}`) })),
  };
  const data = COURSES.has(o.type)
    ? { ...common, '@type': 'Course', provider, availableLanguage: o.languages, hasCourseInstance: o.sessions.map(instance), isAccessibleForFree: undefined }
    : {
        ...common,
        '@type': 'EducationEvent',
        organizer: provider,
        startDate: o.sessions[0]?.startsAt,
        endDate: o.sessions.at(-1)?.endsAt,
        eventAttendanceMode: `https://schema.org/${o.format === 'online' ? 'Online' : o.format === 'hybrid' ? 'Mixed' : 'Offline'}EventAttendanceMode`,
        subEvent: o.sessions.map(instance),
      };
  return document({
    lang: ui,
    contentLang: info.shown,
    title: o.title,
    description: o.summary || k(`types.${o.type}`),
    canonical: `${base}${path}?lang=${encodeURIComponent(info.shown)}`,
    alternates,
    data,
    appPath: path,
    body,
  });
}
