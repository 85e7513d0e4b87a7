import { Button, Group, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client';
import { AppLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { StatusBadge } from '../../components/StatusBadge';
import type { ExpertPage, ExpertSummary } from '../experts/api';
import { availableFor } from './staffing';
import { STAFF_ROLES, type Offer, type StaffedSession, type StaffMember, type StaffRole, type StaffStatus } from './api';

const STATUS_COLOUR: Record<StaffStatus, string> = { proposed: 'yellow', confirmed: 'green', declined: 'gray' };

export function StaffStatusBadge({ status }: { status: StaffStatus }) {
  const { t } = useTranslation();
  return <StatusBadge color={STATUS_COLOUR[status]}>{t(`offers.staff.status.${status}`)}</StatusBadge>;
}

/** A session's staff: each expert linked to their page, with their role and where the proposal stands; editors take them off. */
export function SessionStaff({ offer, session, onChange }: { offer: Offer; session: StaffedSession; onChange: (o: Offer) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const remove = async (m: StaffMember) => {
    setError(null);
    try {
      onChange(await api.del<Offer>(`/api/v1/offers/${offer.id}/sessions/${session.id}/staff/${m.expertId}`));
    } catch (e) {
      setError(e);
    }
  };
  if (!session.staff.length) return <Text size="sm">{t('offers.staff.none')}</Text>;
  return (
    <Stack gap={4}>
      <ul className="plain-list" aria-label={t('offers.staff.listLabel')}>
        {session.staff.map((m) => (
          <li key={m.expertId}>
            <Group gap={6} wrap="wrap">
              <AppLink to="/experts/$expertId" params={{ expertId: m.expertId }} size="sm">
                {m.name}
              </AppLink>
              <Text size="sm" component="span">
                {t(`offers.staff.roles.${m.role}`)}
              </Text>
              <StaffStatusBadge status={m.status} />
              {offer.can.edit && (
                <Button size="compact-xs" variant="subtle" color="red.9" onClick={() => void remove(m)} aria-label={t('offers.staff.removeOne', { name: m.name })}>
                  {t('offers.staff.remove')}
                </Button>
              )}
            </Group>
          </li>
        ))}
      </ul>
      <ErrorAlert error={error} />
    </Stack>
  );
}

/**
 * Put an expert of the pool on a session: search the vetted experts the editor may see, see
 * whether each is available on the session's days, and propose one with a role.
 */
export function StaffPicker({ offer, session, onChange, onClose }: { offer: Offer; session: StaffedSession; onChange: (o: Offer) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<StaffRole>('trainer');
  const [found, setFound] = useState<ExpertSummary[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const on = new Set(session.staff.map((m) => m.expertId));
  const search = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy('search');
    setError(null);
    try {
      const page = await api.get<ExpertPage>(`/api/v1/experts${qs({ q: q.trim() || undefined, status: 'vetted', limit: 20 })}`);
      setFound(page.items);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  const propose = async (x: ExpertSummary) => {
    setBusy(x.id);
    setError(null);
    try {
      onChange(await api.post<Offer>(`/api/v1/offers/${offer.id}/sessions/${session.id}/staff`, { expertId: x.id, role }));
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  const when = `${labels.dateTime(session.startsAt)} – ${labels.dateTime(session.endsAt)}`;
  return (
    <Paper withBorder p="sm">
      <Stack gap="sm">
        <Text fw={600} component="h3" size="md" m={0}>
          {t('offers.staff.pickerTitle', { when })}
        </Text>
        <form onSubmit={(e) => void search(e)} role="search" aria-label={t('offers.staff.searchLabel')}>
          <Group align="flex-end" wrap="wrap">
            <TextInput label={t('offers.staff.search')} description={t('offers.staff.searchHelp')} value={q} onChange={(e) => setQ(e.currentTarget.value)} maxLength={200} data-autofocus />
            <Select
              label={t('offers.staff.role')}
              data={STAFF_ROLES.map((r) => ({ value: r, label: t(`offers.staff.roles.${r}`) }))}
              value={role}
              onChange={(v) => v && setRole(v as StaffRole)}
              allowDeselect={false}
            />
            <Button type="submit" loading={busy === 'search'}>
              {t('offers.staff.find')}
            </Button>
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
          </Group>
        </form>
        <ErrorAlert error={error} />
        {found && (
          <DataTable
            caption={t('offers.staff.resultsCaption', { count: found.length })}
            columns={[t('offers.staff.expert'), t('offers.staff.organisation'), t('offers.staff.availability'), t('offers.session.actions')]}
            rows={found}
            empty={t('offers.staff.noResults')}
          >
            {(x) => (
              <Table.Tr key={x.id}>
                <Table.Td>
                  <AppLink to="/experts/$expertId" params={{ expertId: x.id }} size="sm">
                    {x.person.name}
                  </AppLink>
                  <Text size="xs" lang={x.translation.shown}>
                    {x.headline}
                  </Text>
                </Table.Td>
                <Table.Td>{x.organisation.name}</Table.Td>
                <Table.Td>
                  {availableFor(x, session) ? (
                    <StatusBadge color="green">{t('offers.staff.available')}</StatusBadge>
                  ) : (
                    <Text size="sm">{x.available.length ? t('offers.staff.otherDates', { count: x.available.length }) : t('offers.staff.noAvailability')}</Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {on.has(x.id) ? (
                    <Text size="sm">{t('offers.staff.already')}</Text>
                  ) : (
                    <Button size="compact-sm" loading={busy === x.id} onClick={() => void propose(x)} aria-label={t('offers.staff.proposeOne', { name: x.person.name, role: t(`offers.staff.roles.${role}`) })}>
                      {t('offers.staff.propose')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        )}
      </Stack>
    </Paper>
  );
}
