import { Alert, Button, Group, Select, Table, Text } from '@mantine/core';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import type { Delegation, EventDetail, Participant, RegistrationRow, RegistrationStatus } from './api';
import { download, fileNameOf, registrationsCsv, waitlistPositions } from './editor';
import { useParticipantsCsv } from './useExports';
import { validateRegistrationsSearch } from './search';

const STATUS_COLOR: Record<RegistrationStatus, string> = { confirmed: 'green', pending: 'yellow', waitlisted: 'blue', declined: 'red', withdrawn: 'gray' };
const STATUSES: RegistrationStatus[] = ['pending', 'confirmed', 'waitlisted', 'declined', 'withdrawn'];

/**
 * The organisers' registrations page (`/events/$id/registrations`): every registration in order
 * of arrival, with its answers, its place on the waitlist and its delegation; confirm or decline;
 * export them all (for the organisers) or the published participant list (consenting only).
 */
export function EventRegistrationsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const { id } = useParams({ strict: false }) as { id: string };
  const search = validateRegistrationsSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const ev = useApi<EventDetail>(`/api/v1/events/${id}`);
  const e = ev.data;
  const manage = !!e?.can.manage;
  // Every registration, so that waitlist positions and counts do not depend on the filter.
  const list = useApi<{ items: RegistrationRow[]; answersPurged: boolean }>(manage ? `/api/v1/events/${id}/registrations` : null);
  const delegations = useApi<{ items: Delegation[] }>(manage ? `/api/v1/events/${id}/delegations` : null);
  const participants = useApi<{ items: Participant[] }>(manage ? `/api/v1/events/${id}/participants` : null);
  const exportParticipants = useParticipantsCsv();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const all = list.data?.items ?? [];
  const positions = useMemo(() => waitlistPositions(all), [all]);
  const delegationOf = useMemo(() => {
    const byRegistration = new Map<string, string>();
    for (const d of delegations.data?.items ?? []) for (const x of d.delegates ?? []) byRegistration.set(x.registrationId, d.country);
    return byRegistration;
  }, [delegations.data]);
  const rows = search.status ? all.filter((r) => r.status === search.status) : all;
  const counts = useMemo(() => Object.fromEntries(STATUSES.map((s) => [s, all.filter((r) => r.status === s).length])) as Record<RegistrationStatus, number>, [all]);

  if (ev.error) return <Page title={t('events.registrations.title')}>{<ErrorAlert error={ev.error} />}</Page>;
  if (!e) return <Loading />;
  if (!manage)
    return (
      <Page title={t('events.registrations.title')}>
        <Alert color="gray">{t('events.registrations.organisersOnly')}</Alert>
        <AppLink to="/events/$id" params={{ id: e.id }}>
          {t('events.editor.backToEvent')}
        </AppLink>
      </Page>
    );

  const decide = async (r: RegistrationRow, decision: 'confirm' | 'decline') => {
    setError(null);
    setDone(null);
    try {
      await api.post(`/api/v1/events/${e.id}/registrations/${r.id}/decision`, { decision });
      setDone(t(decision === 'confirm' ? 'events.registrations.confirmed' : 'events.registrations.declined', { name: r.person.name }));
      list.reload();
      participants.reload();
      ev.reload();
    } catch (x) {
      setError(x);
    }
  };
  const exportAll = () =>
    download(
      fileNameOf(e.title, 'registrations'),
      registrationsCsv(
        all,
        list.data?.answersPurged ? [] : e.questions,
        {
          headers: [
            t('events.columns.arrival'),
            t('events.columns.status'),
            t('events.registrations.position'),
            t('events.columns.person'),
            t('events.columns.organisation'),
            t('events.columns.country'),
            t('events.registrations.consent'),
            t('events.registrations.delegation'),
            t('events.registrations.registeredAt'),
          ],
          status: (s) => t(`events.registration.status.${s}`),
          yes: t('events.yes'),
          no: t('events.no'),
          country: labels.country,
          dateTime: labels.dateTime,
        },
        (x) => labels.country(delegationOf.get(x.id) ?? ''),
      ),
    );
  const setStatus = (v: string | null) => void navigate({ to: '/events/$id/registrations', params: { id: e.id }, search: validateRegistrationsSearch({ status: v ?? undefined }) as never, replace: true });
  const r = e.registration;
  return (
    <Page title={t('events.registrations.title')}>
      <Text lang={e.translation.shown} fw={600}>
        <AppLink to="/events/$id" params={{ id: e.id }}>
          {e.title}
        </AppLink>
      </Text>
      <Text size="sm">
        {r.capacity === null ? t('events.registration.confirmedNoLimit', { count: counts.confirmed }) : t('events.registration.seats', { count: r.capacity, confirmed: counts.confirmed })}
        {' · '}
        {t('events.registrations.pendingCount', { count: counts.pending })}
        {' · '}
        {t('events.registration.waiting', { count: counts.waitlisted })}
        {r.moderated ? ` · ${t('events.registration.moderated')}` : ''}
      </Text>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('events.registrations.filter')}
          data={STATUSES.map((s) => ({ value: s, label: `${t(`events.registration.status.${s}`)} (${counts[s]})` }))}
          value={search.status ?? null}
          onChange={setStatus}
          clearable
          placeholder={t('common.all')}
          w={260}
          maw="100%"
          data-testid="registration-filter"
        />
        <Button variant="default" onClick={exportAll} disabled={!all.length} data-testid="export-registrations">
          {t('events.registrations.exportAll')}
        </Button>
        <Button variant="default" onClick={() => exportParticipants(e.title, participants.data?.items ?? [])} disabled={!participants.data?.items.length} data-testid="export-participants">
          {t('events.registrations.exportPublic', { count: participants.data?.items.length ?? 0 })}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t('events.registrations.exportHelp')}
      </Text>
      <ErrorAlert error={error ?? list.error} />
      {done && (
        <Alert color="green" role="status">
          {done}
        </Alert>
      )}
      {!list.data ? (
        <Loading />
      ) : (
        <DataTable
          caption={search.status ? t('events.registrations.captionFiltered', { count: rows.length, status: t(`events.registration.status.${search.status}`) }) : t('events.moderation.caption', { count: rows.length })}
          columns={[t('events.columns.arrival'), t('events.columns.person'), t('events.columns.organisation'), t('events.columns.status'), t('events.registrations.listed'), t('events.columns.answers'), t('events.columns.actions')]}
          rows={rows}
          empty={search.status ? t('common.noResults') : t('events.moderation.none')}
          minWidth={960}
        >
          {(x) => (
            <Table.Tr key={x.id} data-testid="registration-row">
              <Table.Td>
                {x.ticket}
                <Text size="xs" c="dimmed">
                  {labels.dateTime(x.registeredAt)}
                </Text>
              </Table.Td>
              <Table.Td>{x.person.name}</Table.Td>
              <Table.Td>
                {x.organisation.name} ({labels.country(x.organisation.country)})
                {x.delegation && (
                  <Text size="xs" c="dimmed">
                    {t('events.registrations.inDelegation', { country: labels.country(delegationOf.get(x.id) ?? '') })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <StatusBadge color={STATUS_COLOR[x.status]} data-testid="registration-status">
                  {t(`events.registration.status.${x.status}`)}
                </StatusBadge>
                {positions.has(x.id) && (
                  <Text size="xs" c="dimmed" data-testid="waitlist-position">
                    {t('events.registrations.inLine', { count: positions.get(x.id) })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{x.consentToList ? t('events.yes') : t('events.no')}</Table.Td>
              <Table.Td>
                {list.data!.answersPurged
                  ? t('events.moderation.purged')
                  : e.questions
                      .filter((q) => x.answers[q.id] !== undefined)
                      .map((q) => `${q.label}: ${typeof x.answers[q.id] === 'boolean' ? (x.answers[q.id] ? t('events.yes') : t('events.no')) : x.answers[q.id]}`)
                      .join(' · ') || '—'}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  {(x.status === 'pending' || x.status === 'waitlisted') && (
                    <Button size="xs" onClick={() => void decide(x, 'confirm')} aria-label={t('events.moderation.confirmFor', { name: x.person.name })}>
                      {t('events.moderation.confirm')}
                    </Button>
                  )}
                  {(x.status === 'pending' || x.status === 'waitlisted' || x.status === 'confirmed') && (
                    <Button size="xs" variant="default" onClick={() => void decide(x, 'decline')} aria-label={t('events.moderation.declineFor', { name: x.person.name })}>
                      {t('events.moderation.decline')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
      <AppLink to="/events/$id/edit" params={{ id: e.id }} search={{ tab: 'delegations' }}>
        {t('events.registrations.quotas')}
      </AppLink>
    </Page>
  );
}
