import { Group } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Items } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useLabels } from '../../components/labels';
import { StatusBadge } from '../../components/StatusBadge';
import { useSession } from '../../session';
import { isCountryKind, type Contact, type FocalPoint, type Kind } from './api';
import { FOCAL_POINTS_PATH } from '../../firstData';

// Small pieces the directory, the contact card, the editor and the nominations share.

export const DIRECTORY_LANGUAGES = ['en', 'es', 'pt', 'fr', 'de', 'it', 'nl', 'et', 'pl', 'cs', 'fi', 'lt'];

export function useFocalCountries(): string[] {
  const { me } = useSession();
  const fps = useApi<Items<FocalPoint>>(me ? FOCAL_POINTS_PATH : null);
  return useMemo(() => (fps.data?.items ?? []).filter((f) => f.person.id === me?.id).map((f) => f.country), [fps.data, me]);
}

export function KindBadges({ kinds }: { kinds: Kind[] }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap">
      {kinds.map((k) => (
        <StatusBadge key={k} color={isCountryKind(k) ? 'blue' : 'teal'}>
          {t(`contacts.kinds.${k}`)}
        </StatusBadge>
      ))}
    </Group>
  );
}

/** How long ago, in words of the UI language ("14 months ago", "hace 14 meses"). */
export function ageWords(days: number, lang: string): string {
  let rtf: Intl.RelativeTimeFormat;
  try {
    rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  } catch {
    rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  }
  const d = Math.max(0, Math.floor(days));
  if (d < 45) return rtf.format(-d, 'day');
  const months = Math.round(d / 30.44);
  if (months < 24) return rtf.format(-months, 'month');
  return rtf.format(-Math.floor(d / 365.25), 'year');
}

/** "confirmed 14 months ago" */
export function useConfirmedAgo() {
  const { t } = useTranslation();
  const labels = useLabels();
  return (days: number) => t('contacts.confirmedAgo', { ago: ageWords(days, labels.lang) });
}

// Icons beside the text of a marker (decorative: the text carries the meaning).
function WarningIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M12 3 2 21h20L12 3z" />
      <path d="M12 10v5" />
      <path d="M12 18h.01" />
    </svg>
  );
}

function FlagIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M5 21V4" />
      <path d="M5 4h11l-2 4 2 4H5" />
    </svg>
  );
}

/** Not confirmed for 12 months: icon and words, never colour alone. */
export function StaleBadge({ c, short = false }: { c: Pick<Contact, 'stale' | 'ageDays'>; short?: boolean }) {
  const { t } = useTranslation();
  if (!c.stale) return null;
  return (
    <StatusBadge color="yellow" leftSection={<WarningIcon />} data-testid="stale-marker" tt="none">
      {short ? t('contacts.staleShort') : t('contacts.staleBadge', { count: c.ageDays })}
    </StatusBadge>
  );
}

/** Failed two communication checks in a row (shown to those responsible for the entry). */
export function FlaggedBadge({ c }: { c: Pick<Contact, 'flagged'> }) {
  const { t } = useTranslation();
  if (!c.flagged) return null;
  return (
    <StatusBadge color="red" leftSection={<FlagIcon />} data-testid="flagged-marker" tt="none">
      {t('contacts.flaggedBadge')}
    </StatusBadge>
  );
}
