import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { useLabels } from '../../components/labels';
import type { EventPage } from './api';

/**
 * On a record's page: "From the event …", when the record was made from an event's minutes and
 * the reader may see that event (the events list filtered by `record` answers under the policy).
 */
export function FromEvent({ recordId }: { recordId: string }) {
  const { t } = useTranslation();
  const { lang } = useLabels();
  const found = useApi<EventPage>(`/api/v1/events${qs({ record: recordId, lang, limit: 1 })}`, { quiet401: true });
  const e = found.data?.items[0];
  if (!e) return null;
  return (
    <Text size="sm" lang={lang} data-testid="record-from-event">
      {t('events.fromEvent')}{' '}
      <AppLink to="/events/$id" params={{ id: e.id }}>
        <span lang={e.translation.shown}>{e.title}</span>
      </AppLink>
    </Text>
  );
}
