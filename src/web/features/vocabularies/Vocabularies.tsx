import { Anchor, Badge, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import type { Tlp } from '../../api/types';
import { useDebounced } from '../../components/useDebounced';
import type { Concept, Scheme, TaggedPage } from './api';

const primary = (tag: string) => tag.toLowerCase().split('-')[0]!;

/** Where a scheme comes from, in one line: publisher, title, identifier and date, linked when it has an address. */
function SourceLine({ source }: { source: Scheme['source'] }) {
  const { t } = useTranslation();
  const text = [source.publisher, source.title, source.identifier, source.date].filter(Boolean).join(' · ');
  return (
    <Text size="sm" c="dimmed">
      {t('vocabularies.source')}{' '}
      {source.url ? (
        <Anchor href={source.url} rel="noopener noreferrer" target="_blank" size="sm">
          {text}
        </Anchor>
      ) : (
        text
      )}
    </Text>
  );
}

/** Every concept scheme records can be tagged with: the charter's, the UN norms, the GFCE themes, NIS2 sectors… */
export function VocabulariesPage() {
  const { t } = useTranslation();
  const { lang } = useLabels();
  const schemes = useApi<{ items: Scheme[] }>(`/api/v1/vocabularies${qs({ lang })}`, { quiet401: true });
  return (
    <Page title={t('vocabularies.title')}>
      <Text>{t('vocabularies.intro')}</Text>
      <ErrorAlert error={schemes.error} />
      {schemes.loading && !schemes.data ? (
        <Loading />
      ) : (
        <Stack gap="md" component="ul" className="plain-list">
          {(schemes.data?.items ?? []).map((s) => (
            <Card component="li" withBorder key={s.id} data-testid="vocabulary">
              <Title order={2} size="h4" lang={primary(s.lang) === primary(lang) ? undefined : s.lang}>
                <AppLink to="/vocabularies/$scheme" params={{ scheme: s.id }}>
                  {s.label}
                </AppLink>
              </Title>
              <Text size="sm">{t('vocabularies.concepts', { count: s.concepts })}</Text>
              <SourceLine source={s.source} />
            </Card>
          ))}
        </Stack>
      )}
    </Page>
  );
}

/** One concept: notation, label (in the reader's language, else marked with its own), other languages, definition, relations. */
function ConceptCard({ c, byId, scheme }: { c: Concept; byId: Map<string, Concept>; scheme: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const other = (l: string) => (primary(l) === primary(labels.lang) ? undefined : l);
  const alternatives = Object.entries(c.altLabels).flatMap(([l, names]) => names.map((n) => ({ l, n })));
  return (
    <Card component="li" withBorder id={`concept-${c.id}`} data-testid="concept">
      <Group gap="xs" wrap="nowrap" align="baseline">
        {c.notation && (
          <Badge variant="light" tt="none" style={{ flexShrink: 0 }}>
            {c.notation}
          </Badge>
        )}
        <Title order={3} size="h5" lang={other(c.lang)}>
          {/* Its page lists what is tagged with it. */}
          <AppLink to="/vocabularies/$scheme/$concept" params={{ scheme, concept: c.id }} data-testid="concept-link">
            {c.prefLabel}
          </AppLink>
        </Title>
      </Group>
      {c.definition && (
        <Text mt="xs" lang={other(c.definition.lang)}>
          {c.definition.text}
          {other(c.definition.lang) && (
            <Text span size="sm" c="dimmed" lang={labels.lang}>
              {' '}
              ({t('vocabularies.shownIn', { language: labels.language(c.definition.lang) })})
            </Text>
          )}
        </Text>
      )}
      <Text size="sm" mt="xs" c="dimmed">
        {t('vocabularies.otherLanguages')}{' '}
        {Object.entries(c.prefLabels)
          .filter(([l]) => primary(l) !== primary(c.lang))
          .map(([l, label], i) => (
            <span key={l}>
              {i > 0 && ' · '}
              <span lang={l}>{label}</span> ({labels.language(l)})
            </span>
          ))}
      </Text>
      {alternatives.length > 0 && (
        <Text size="sm" c="dimmed">
          {t('vocabularies.alsoCalled')}{' '}
          {alternatives.map(({ l, n }, i) => (
            <span key={`${l}-${n}`}>
              {i > 0 && ' · '}
              <span lang={l}>{n}</span>
            </span>
          ))}
        </Text>
      )}
      {c.broader && byId.get(c.broader) && (
        <Text size="sm">
          {t('vocabularies.broader')} <Anchor href={`#concept-${c.broader}`}>{byId.get(c.broader)!.prefLabel}</Anchor>
        </Text>
      )}
      {c.narrower.length > 0 && (
        <Text size="sm">
          {t('vocabularies.narrower')}{' '}
          {c.narrower.map((n, i) => (
            <span key={n}>
              {i > 0 && ' · '}
              <Anchor href={`#concept-${n}`}>{byId.get(n)?.notation ?? byId.get(n)?.prefLabel ?? n}</Anchor>
            </span>
          ))}
        </Text>
      )}
      {c.related.length > 0 && (
        <Text size="sm">
          {t('vocabularies.related')}{' '}
          {c.related.map((r, i) => {
            const [s, id] = r.split('/') as [string, string];
            return (
              <span key={r}>
                {i > 0 && ' · '}
                <AppLink to="/vocabularies/$scheme" params={{ scheme: s }} hash={`concept-${id}`}>
                  {r}
                </AppLink>
              </span>
            );
          })}
        </Text>
      )}
      <Text size="xs" c="dimmed" mt="xs">
        <code>{`${scheme}/${c.id}`}</code>
      </Text>
    </Card>
  );
}

/** A scheme's concepts as a tree (narrower ones under their broader), searchable in any language. */
export function SchemePage() {
  const { t } = useTranslation();
  const { lang } = useLabels();
  const { scheme } = useParams({ strict: false }) as { scheme: string };
  const [q, setQ] = useState('');
  const dq = useDebounced(q, 300).trim();
  const all = useApi<{ scheme: Scheme; items: Concept[] }>(`/api/v1/vocabularies/${encodeURIComponent(scheme)}/concepts${qs({ lang })}`, { quiet401: true });
  const found = useApi<{ scheme: Scheme; items: Concept[] }>(dq ? `/api/v1/vocabularies/${encodeURIComponent(scheme)}/concepts${qs({ lang, q: dq })}` : null, { quiet401: true });
  const byId = new Map((all.data?.items ?? []).map((c) => [c.id, c]));
  const shown = dq ? (found.data?.items ?? []) : (all.data?.items ?? []).filter((c) => !c.broader);
  const withNarrower = (c: Concept): Concept[] => [c, ...(dq ? [] : c.narrower.flatMap((n) => (byId.get(n) ? withNarrower(byId.get(n)!) : [])))];
  const s = all.data?.scheme;
  return (
    <Page title={s?.label ?? t('vocabularies.title')} titleLang={s && primary(s.lang) !== primary(lang) ? s.lang : undefined}>
      <AppLink to="/vocabularies">{t('vocabularies.all')}</AppLink>
      <ErrorAlert error={all.error ?? found.error} />
      {all.loading && !all.data ? (
        <Loading />
      ) : s ? (
        <>
          <SourceLine source={s.source} />
          <TextInput label={t('vocabularies.search')} description={t('vocabularies.searchHelp')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={420} />
          <Text size="sm" role="status" aria-live="polite">
            {dq ? t('vocabularies.found', { count: shown.length }) : t('vocabularies.concepts', { count: all.data!.items.length })}
          </Text>
          <Stack gap="sm" component="ul" className="plain-list">
            {shown.flatMap(withNarrower).map((c) => (
              <ConceptCard key={c.id} c={c} byId={byId} scheme={s.id} />
            ))}
          </Stack>
        </>
      ) : null}
    </Page>
  );
}

/** A concept's page: the concept, and everything tagged with it that the reader may see, across the platform. */
export function ConceptPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { scheme, concept } = useParams({ strict: false }) as { scheme: string; concept: string };
  const res = useApi<TaggedPage>(`/api/v1/vocabularies/${encodeURIComponent(scheme)}/concepts/${encodeURIComponent(concept)}/tagged${qs({ lang: labels.lang })}`, { quiet401: true });
  const other = (l: string) => (primary(l) === primary(labels.lang) ? undefined : l);
  const d = res.data;
  if (res.loading && !d) return <Loading />;
  if (!d)
    return (
      <Page title={t('vocabularies.conceptNotFound')}>
        <ErrorAlert error={res.error} />
        <AppLink to="/vocabularies">{t('vocabularies.all')}</AppLink>
      </Page>
    );
  const c = d.concept;
  return (
    <Page title={c.notation ? `${c.notation} — ${c.prefLabel}` : c.prefLabel} titleLang={other(c.lang)}>
      <Text size="sm">
        {t('vocabularies.inScheme')}{' '}
        <AppLink to="/vocabularies/$scheme" params={{ scheme: d.scheme.id }} hash={`concept-${c.id}`}>
          <span lang={other(d.scheme.lang)}>{d.scheme.label}</span>
        </AppLink>
      </Text>
      {c.definition && (
        <Text lang={other(c.definition.lang)}>
          {c.definition.text}
          {other(c.definition.lang) && (
            <Text span size="sm" c="dimmed" lang={labels.lang}>
              {' '}
              ({t('vocabularies.shownIn', { language: labels.language(c.definition.lang) })})
            </Text>
          )}
        </Text>
      )}
      <section aria-labelledby="concept-tagged">
        <Title order={2} size="h3" id="concept-tagged" mb="xs">
          {t('vocabularies.tagged')}
        </Title>
        {d.items.length === 0 ? (
          <Text>{t('vocabularies.taggedNone')}</Text>
        ) : (
          <>
            <Text size="sm" mb="xs" role="status">
              {t('vocabularies.taggedCount', { count: d.items.length })}
            </Text>
            <Stack gap="sm" component="ul" className="plain-list">
              {d.items.map((it) => {
                const [path, hash] = it.path.split('#') as [string, string | undefined];
                return (
                  <Card component="li" withBorder key={`${it.kind}-${it.id}`} data-testid="tagged-item">
                    <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                      {t(`vocabularies.kinds.${it.kind}`, { defaultValue: it.kind })}
                    </Text>
                    <Title order={3} size="h5" lang={it.lang} style={{ overflowWrap: 'anywhere' }}>
                      <AppLink to={path} hash={hash}>
                        {it.title}
                      </AppLink>
                    </Title>
                    <Group gap="xs" mt={4}>
                      <TlpBadge tlp={it.tlp as Tlp} size="sm" />
                      {it.date && <Text size="sm">{labels.date(it.date)}</Text>}
                    </Group>
                  </Card>
                );
              })}
            </Stack>
          </>
        )}
      </section>
    </Page>
  );
}
