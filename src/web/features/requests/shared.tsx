import { Group, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AppLink } from '../../components/AppLink';
import { StatusBadge } from '../../components/StatusBadge';
import { useLabels } from '../../components/labels';
import { useOfferLabels } from '../offers/shared';
import type { ConceptLabels, Reason, RequestStatus, RequestSummary, Urgency } from './api';
import { reasonText, type ReasonWords } from './reasons';

const STATUS_COLOUR: Record<RequestStatus, string> = {
  submitted: 'gray',
  triaged: 'yellow',
  open: 'blue',
  matched: 'teal',
  'in-delivery': 'teal',
  completed: 'green',
  evaluated: 'green',
};

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const { t } = useTranslation();
  return (
    <StatusBadge color={STATUS_COLOUR[status]} tt="none" data-testid="request-status">
      {t(`requests.status.${status}`)}
    </StatusBadge>
  );
}

export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  const { t } = useTranslation();
  return (
    <StatusBadge color={urgency === 'critical' || urgency === 'high' ? 'red' : 'gray'} tt="none">
      {t(`requests.urgency.${urgency}`)}
    </StatusBadge>
  );
}

/** A timeframe as dates in the reader's language ("any time" when open-ended on both sides). */
export function useTimeframe() {
  const { t } = useTranslation();
  const labels = useLabels();
  return (f: { from: string | null; to: string | null }) =>
    f.from && f.to ? t('requests.timeframe', { from: labels.date(f.from), to: labels.date(f.to) }) : f.from ? t('requests.fromOnly', { from: labels.date(f.from) }) : f.to ? t('requests.toOnly', { to: labels.date(f.to) }) : t('requests.noTimeframe');
}

/** What reasons need to be put in words, in the reader's language and time zone. */
export function useReasonWords(concepts: ConceptLabels): ReasonWords {
  const { t } = useTranslation();
  const labels = useLabels();
  const offer = useOfferLabels();
  return { t, lang: labels.lang, country: labels.country, language: labels.language, audience: offer.audience, format: offer.format, date: (iso) => labels.date(iso), concepts };
}

/** A match's score and the reasons behind it, in words. */
export function Reasons({ score, reasons, concepts }: { score: number; reasons: Reason[]; concepts: ConceptLabels }) {
  const { t } = useTranslation();
  const words = useReasonWords(concepts);
  return (
    <>
      <Group gap="xs">
        <StatusBadge color={score >= 60 ? 'green' : score >= 30 ? 'blue' : 'gray'} tt="none" aria-label={`${t('requests.matches.scoreLabel')}: ${score}`}>
          {t('requests.matches.score', { score })}
        </StatusBadge>
      </Group>
      <List size="sm" spacing={2} mt={4}>
        {reasons.map((r, i) => (
          <List.Item key={`${r.code}-${i}`}>{reasonText(r, words)}</List.Item>
        ))}
      </List>
    </>
  );
}

/** A request's title as a link, in the language it is shown in. */
export function RequestLink({ r }: { r: Pick<RequestSummary, 'id' | 'title' | 'translation'> }) {
  return (
    <AppLink to="/requests/$id" params={{ id: r.id }}>
      <span lang={r.translation.shown}>{r.title}</span>
    </AppLink>
  );
}

/** The country helped, and by whom it is asked. */
export function WhoAsks({ r }: { r: RequestSummary }) {
  const labels = useLabels();
  return (
    <Text size="sm" c="dimmed">
      {r.organisation.name}
      {r.country ? ` · ${labels.country(r.country)}` : ''}
    </Text>
  );
}
