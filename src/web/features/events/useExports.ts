import { useTranslation } from 'react-i18next';
import { useLabels } from '../../components/labels';
import type { Participant } from './api';
import { download, fileNameOf, participantsCsv } from './editor';

/** The participant list as published (confirmed people who agreed to appear) as CSV: for anyone who may see the event. */
export function useParticipantsCsv() {
  const { t } = useTranslation();
  const labels = useLabels();
  return (title: string, items: Participant[]) =>
    download(
      fileNameOf(title, 'participants'),
      participantsCsv(items, {
        headers: [t('events.columns.person'), t('events.columns.organisation'), t('events.columns.country'), t('events.registrations.delegation'), t('events.delegations.head')],
        yes: t('events.yes'),
        no: t('events.no'),
        country: labels.country,
      }),
    );
}

