import { Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { AppLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { StatusBadge } from '../../components/StatusBadge';
import type { Expert, ExpertSession } from './api';

/**
 * The offer sessions the expert is confirmed on, and — for the expert and their organisation's
 * admins — the proposals waiting for their answer. Only sessions of offers the reader may see
 * come from the server.
 */
export function ExpertSessions({ expert, onAnswered }: { expert: Expert; onAnswered: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const answer = async (s: ExpertSession, accept: boolean) => {
    setBusy(`${s.sessionId}:${accept}`);
    setError(null);
    try {
      await api.post(`/api/v1/offers/${s.offerId}/sessions/${s.sessionId}/staff/${expert.id}/answer`, { accept });
      onAnswered();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const when = (s: ExpertSession) => `${labels.dateTime(s.startsAt)} – ${labels.dateTime(s.endsAt)}`;
  const where = (s: ExpertSession) => [s.online ? t('experts.sessions.online') : '', s.place, s.country ? labels.country(s.country) : ''].filter(Boolean).join(', ') || '—';
  const offerCell = (s: ExpertSession) => (
    <Table.Td>
      <AppLink to="/offers/$id" params={{ id: s.offerSlug }} size="sm">
        {s.offerTitle}
      </AppLink>
      <Text size="xs">{s.provider.name}</Text>
    </Table.Td>
  );
  return (
    <section aria-labelledby="expert-sessions">
      <Title order={2} size="h3" id="expert-sessions" mb="xs">
        {t('experts.sessions.title')}
      </Title>
      <Stack gap="sm">
        {expert.canAnswerStaffing && expert.staffProposals.length > 0 && (
          <DataTable
            caption={t('experts.sessions.proposalsCaption', { count: expert.staffProposals.length })}
            columns={[t('experts.sessions.offer'), t('experts.sessions.when'), t('experts.sessions.where'), t('experts.sessions.role'), t('common.actions')]}
            rows={expert.staffProposals}
          >
            {(s) => (
              <Table.Tr key={s.sessionId} data-testid="staff-proposal">
                {offerCell(s)}
                <Table.Td>{when(s)}</Table.Td>
                <Table.Td>{where(s)}</Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    {t(`experts.sessions.roles.${s.role}`)}
                    <StatusBadge color="yellow">{t('experts.sessions.proposed')}</StatusBadge>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Button size="compact-sm" loading={busy === `${s.sessionId}:true`} onClick={() => void answer(s, true)} aria-label={t('experts.sessions.acceptOne', { offer: s.offerTitle, when: when(s) })}>
                      {t('experts.sessions.accept')}
                    </Button>
                    <Button size="compact-sm" variant="outline" color="red.9" loading={busy === `${s.sessionId}:false`} onClick={() => void answer(s, false)} aria-label={t('experts.sessions.declineOne', { offer: s.offerTitle, when: when(s) })}>
                      {t('experts.sessions.decline')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        )}
        <ErrorAlert error={error} />
        <DataTable
          caption={t('experts.sessions.upcomingCaption', { name: expert.person.name })}
          columns={[t('experts.sessions.offer'), t('experts.sessions.when'), t('experts.sessions.where'), t('experts.sessions.role')]}
          rows={expert.upcomingSessions}
          empty={t('experts.sessions.none')}
        >
          {(s) => (
            <Table.Tr key={s.sessionId}>
              {offerCell(s)}
              <Table.Td>{when(s)}</Table.Td>
              <Table.Td>{where(s)}</Table.Td>
              <Table.Td>{t(`experts.sessions.roles.${s.role}`)}</Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      </Stack>
    </section>
  );
}
