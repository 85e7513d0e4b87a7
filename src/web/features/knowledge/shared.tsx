import { Card, Group, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TranslationInfo } from '../../api/types';
import { AppLink } from '../../components/AppLink';
import { useCountryOptions } from '../../components/CountrySelect';
import { useLabels } from '../../components/labels';
import { StatusBadge } from '../../components/StatusBadge';
import { TlpBadge } from '../../components/TlpBadge';
import { useDebounced } from '../../components/useDebounced';
import type { KnowledgeStatus, KnowledgeSummary, Segment } from './api';

export function useTypeLabel() {
  const { t } = useTranslation();
  return (type: string) => t(`practices.types.${type}`, { defaultValue: type });
}

export function StatusTag({ status }: { status: KnowledgeStatus }) {
  const { t } = useTranslation();
  if (status === 'published') return null;
  return (
    <StatusBadge color={status === 'draft' ? 'gray' : 'yellow'} tt="none" data-testid="practice-status">
      {t(`practices.status.${status}`)}
    </StatusBadge>
  );
}

export function TypeTag({ type }: { type: string }) {
  const typeLabel = useTypeLabel();
  return (
    <StatusBadge color="blue" tt="none">
      {typeLabel(type)}
    </StatusBadge>
  );
}

/** "Shown in Spanish — not yet translated into English", when the reader's language is missing. */
export function FallbackHint({ info }: { info: TranslationInfo }) {
  const { t } = useTranslation();
  const labels = useLabels();
  if (!info.fallback) return null;
  return (
    <Text size="xs" c="dimmed" data-testid="practice-fallback">
      {t('practices.fallback', { shown: labels.language(info.shown), wanted: labels.language(labels.lang) })}
    </Text>
  );
}

/** A search snippet: text and the words found, marked — built as React nodes, never as HTML. */
export function Snippet({ segments, lang }: { segments: Segment[]; lang?: string }) {
  if (!segments.length) return null;
  return (
    <Text size="sm" lang={lang} data-testid="practice-snippet">
      {segments.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </Text>
  );
}

/** One item of the library in a list: title (in its language), type, marking, who, where, and its snippet or summary. */
export function PracticeCard({ item, snippet, headingOrder = 3, extra }: { item: KnowledgeSummary; snippet?: Segment[]; headingOrder?: 2 | 3 | 4; extra?: string }) {
  const labels = useLabels();
  // Content carries its own language, whatever the page's (WCAG 3.1.2).
  const lang = item.translation.shown;
  return (
    <Card component="li" withBorder padding="md" data-testid="practice-card">
      <Title order={headingOrder} size="h4" lang={lang} style={{ overflowWrap: 'anywhere' }}>
        <AppLink to="/practices/$slug" params={{ slug: item.slug }}>
          {item.title}
        </AppLink>
      </Title>
      <Group gap="xs" mt={6} wrap="wrap">
        <TypeTag type={item.type} />
        <TlpBadge tlp={item.tlp} size="sm" />
        <StatusTag status={item.status} />
        {extra && (
          <Text size="xs" c="dimmed">
            {extra}
          </Text>
        )}
      </Group>
      <Text size="sm" mt={6}>
        {item.organisation.name}
        {item.countries.length > 0 && ` · ${item.countries.map(labels.country).join(', ')}`}
        {item.date && ` · ${labels.date(item.date)}`}
      </Text>
      <FallbackHint info={item.translation} />
      {snippet && snippet.length > 0 ? (
        <Snippet segments={snippet} lang={lang} />
      ) : item.summary ? (
        <Text size="sm" mt={4} lineClamp={3} lang={lang}>
          {item.summary}
        </Text>
      ) : null}
    </Card>
  );
}

/** A search box's text, handed to `commit` 300 ms after the last keystroke (and kept in step with the address). */
export function useDebouncedQuery(current: string | undefined, commit: (q: string | undefined) => void) {
  const [q, setQ] = useState(current ?? '');
  const dq = useDebounced(q, 300);
  useEffect(() => {
    if ((current ?? '') !== dq.trim()) commit(dq.trim() || undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the typed text settles
  }, [dq]);
  return [q, setQ] as const;
}

/** A size in kilobytes or megabytes, in the reader's language. */
export function useFileSize() {
  const { lang } = useLabels();
  return (bytes: number) =>
    bytes >= 1_048_576
      ? `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(bytes / 1_048_576)} MB`
      : `${new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(Math.max(1, Math.round(bytes / 1024)))} kB`;
}

/** Member countries only (the library's items are about states, `INT` is not one), grouped by region. */
export function useStateOptions() {
  const groups = useCountryOptions();
  return useMemo(() => groups.map((g) => ({ group: g.group, items: g.items.filter((c) => /^[A-Z]{2}$/.test(c.value)) })).filter((g) => g.items.length > 0), [groups]);
}
