import { Badge, Button, Group, Modal, NumberInput, Progress, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { CountrySelect } from '../../components/CountrySelect';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterPanel } from '../../components/FilterPanel';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { useDebounced } from '../../components/useDebounced';
import { COMMITMENT_STATUSES } from '#shared/records';
import type { Commitment } from './api';

interface Tracked extends Omit<Commitment, 'due'> {
  id: string;
  due: string | null;
  overdue: boolean;
  record: { id: string; slug: string; title: string; language: string; status: string; concepts: string[] };
  ownerOrganisations: { id: string; name: string }[];
  weight: number;
  updatedAt: string | null;
  can: { update: boolean };
}
interface HistoryEntry {
  at: string;
  status: Commitment['status'];
  progress: number;
  note: string;
  by: string | null;
}
interface Tracker {
  items: Tracked[];
  truncated: boolean;
  summary: { count: number; byStatus: Record<string, number>; overdue: number; progress: number | null };
}

const STATUSES = COMMITMENT_STATUSES;

/** The commitments tracker: every commitment of the records the reader may see, with the progress rolled up. */
export function CommitmentsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const [country, setCountry] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [owner, setOwner] = useState('');
  const [dueBefore, setDueBefore] = useState('');
  const dOwner = useDebounced(owner, 300).trim();
  // A reminder mail links to one record's commitments (?record=).
  const { record } = useSearch({ strict: false }) as { record?: string };
  const [open, setOpen] = useState<Tracked | null>(null);
  const res = useApi<Tracker>(`/api/v1/commitments${qs({ country: country ?? undefined, status: status ?? undefined, owner: dOwner || undefined, dueBefore: dueBefore || undefined, record: record && /^[0-9a-f-]{36}$/.test(record) ? record : undefined })}`, { quiet401: true });
  const s = res.data?.summary;
  const active = [country, status, dOwner, dueBefore].filter(Boolean).length;
  return (
    <Page title={t('records.trackerTitle')}>
      <Text>{t('records.trackerIntro')}</Text>
      <FilterPanel active={active}>
        <Group align="flex-end" wrap="wrap" role="search" aria-label={t('records.trackerTitle')}>
          <CountrySelect label={t('records.commitment.countries')} value={country} onChange={setCountry} clearable placeholder={t('common.all')} />
          <Select
            label={t('common.status')}
            data={STATUSES.map((v) => ({ value: v, label: t(`records.commitment.status.${v}`) }))}
            value={status}
            onChange={setStatus}
            clearable
            placeholder={t('records.anyStatus')}
          />
          <TextInput label={t('records.owner')} value={owner} onChange={(e) => setOwner(e.currentTarget.value)} type="search" />
          <TextInput label={t('records.dueBefore')} type="date" value={dueBefore} onChange={(e) => setDueBefore(e.currentTarget.value)} />
        </Group>
      </FilterPanel>
      <ErrorAlert error={res.error} />
      {res.loading && !res.data ? (
        <Loading />
      ) : s ? (
        <Stack gap="md">
          <Group gap="lg" role="status" aria-live="polite">
            <Text fw={600}>{t('records.trackerCount', { count: s.count })}</Text>
            {s.progress !== null && (
              <Group gap="xs" w={260}>
                <Text size="sm">{t('records.overall')}</Text>
                <Progress value={s.progress} w={120} aria-label={`${t('records.overall')}: ${s.progress}%`} />
                <Text size="sm">{s.progress}%</Text>
              </Group>
            )}
            {s.overdue > 0 && (
              <Badge color="red" variant="light" tt="none">
                {t('records.overdueCount', { count: s.overdue })}
              </Badge>
            )}
          </Group>
          {res.data!.truncated && <Text size="sm">{t('records.truncated', { shown: res.data!.items.length })}</Text>}
          <DataTable
            minWidth={760}
            caption={t('records.trackerTitle')}
            columns={[t('records.commitments'), t('records.commitment.owners'), t('records.commitment.due'), t('common.status'), t('records.commitment.progress'), t('records.record'), t('records.followUp.column')]}
            rows={res.data!.items}
            empty={t('records.noneTracked')}
          >
            {(c) => (
              <Table.Tr key={c.id} data-testid="commitment-row">
                <Table.Td lang={c.record.language}>{c.text}</Table.Td>
                <Table.Td lang={c.record.language}>
                  {c.owners.join('; ') || '—'}
                  {c.ownerOrganisations.length > 0 && (
                    <Text size="xs" c="dimmed" lang={undefined}>
                      {c.ownerOrganisations.map((o, i) => (
                        <span key={o.id}>
                          {i > 0 && ', '}
                          <AppLink to="/organisations/$organisationId" params={{ organisationId: o.id }}>
                            {o.name}
                          </AppLink>
                        </span>
                      ))}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {c.due ? labels.date(c.due) : '—'}
                  {c.overdue && (
                    <Badge color="red" variant="light" tt="none" ml="xs">
                      {t('records.overdue')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{t(`records.commitment.status.${c.status}`)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Progress value={c.progress} w={80} aria-label={`${t('records.commitment.progress')}: ${c.progress}%`} />
                    <Text size="sm">{c.progress}%</Text>
                  </Group>
                </Table.Td>
                <Table.Td lang={c.record.language}>
                  <AppLink to="/records/$slug" params={{ slug: c.record.slug }}>
                    {c.record.title}
                  </AppLink>
                </Table.Td>
                <Table.Td>
                  <Button size="xs" variant="default" onClick={() => setOpen(c)} data-testid="commitment-follow-up">
                    {c.can.update ? t('records.followUp.update') : t('records.followUp.history')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        </Stack>
      ) : null}
      {open && (
        <FollowUp
          commitment={open}
          onClose={() => setOpen(null)}
          onSaved={() => {
            setOpen(null);
            res.reload();
          }}
        />
      )}
    </Page>
  );
}

/** A commitment's history and, for those who answer for it, the form to record where it stands. */
function FollowUp({ commitment: c, onClose, onSaved }: { commitment: Tracked; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const history = useApi<{ items: HistoryEntry[] }>(`/api/v1/commitments/${c.id}/history`, { quiet401: true });
  const [status, setStatus] = useState<string>(c.status);
  const [progress, setProgress] = useState<number>(c.progress);
  const [note, setNote] = useState('');
  const [evidence, setEvidence] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const links = evidence
        .split(/\s+/)
        .map((x) => x.trim())
        .filter(Boolean);
      await api.patch(`/api/v1/commitments/${c.id}`, { status, progress: status === 'done' ? 100 : progress, note: note.trim() || undefined, ...(links.length ? { evidence: [...c.evidence, ...links] } : {}) });
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('records.followUp.title')} size="lg">
      <Stack>
        <Text lang={c.record.language}>{c.text}</Text>
        {c.can.update && (
          <form onSubmit={submit} noValidate>
            <Stack>
              <ErrorAlert error={error} />
              <Group align="flex-end" wrap="wrap">
                <Select label={t('common.status')} data={STATUSES.map((v) => ({ value: v, label: t(`records.commitment.status.${v}`) }))} value={status} onChange={(v) => v && setStatus(v)} allowDeselect={false} />
                <NumberInput label={t('records.commitment.progress')} suffix=" %" min={0} max={100} value={status === 'done' ? 100 : progress} disabled={status === 'done'} onChange={(v) => setProgress(typeof v === 'number' ? v : Number(v) || 0)} w={140} />
              </Group>
              <Textarea label={t('records.followUp.note')} description={t('records.followUp.noteHelp')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} autosize minRows={2} />
              <TextInput label={t('records.followUp.evidence')} description={t('records.followUp.evidenceHelp')} value={evidence} onChange={(e) => setEvidence(e.currentTarget.value)} />
              <Group>
                <Button type="submit" loading={busy}>
                  {t('common.save')}
                </Button>
                <Button variant="default" onClick={onClose}>
                  {t('common.cancel')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        <ErrorAlert error={history.error} />
        <DataTable
          caption={t('records.followUp.history')}
          columns={[t('records.followUp.when'), t('common.status'), t('records.commitment.progress'), t('records.followUp.note'), t('records.followUp.by')]}
          rows={history.data?.items ?? []}
          empty={history.loading ? '…' : t('records.followUp.noHistory')}
        >
          {(h) => (
            <Table.Tr key={h.at}>
              <Table.Td>{labels.dateTime(h.at)}</Table.Td>
              <Table.Td>{t(`records.commitment.status.${h.status}`)}</Table.Td>
              <Table.Td>{h.progress}%</Table.Td>
              <Table.Td>{h.note || '—'}</Table.Td>
              <Table.Td>{h.by ?? '—'}</Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      </Stack>
    </Modal>
  );
}
