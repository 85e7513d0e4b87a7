import { Alert, Badge, Button, Group, Modal, MultiSelect, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONTACT_KINDS } from '#shared/contacts';
import { api, ApiError } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { useCountryOptions } from '../../components/CountrySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { fromZonedInput, timeZoneLabel, toZonedInput } from '../../components/time';
import { useTimeZone } from '../../session';
import { Loading, Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { DataTable } from '../../components/DataTable';


interface Summary {
  targets: number;
  acknowledged: number;
  responseRate: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}
interface Excluded {
  emailWithheld: number;
  noEmail: number;
}
/** POST …/preview: how many contacts a check would reach (those the launcher may see), and the first of them. */
interface Preview {
  targets: number;
  excluded: Excluded;
  sample: { id: string; fullName: string; country: string; organisation: string }[];
}

/**
 * The last step before a check goes out: who it reaches (the count and the first recipients the
 * preview gives, with their organisations and countries in words), and a button that sends.
 * Nothing is sent before that button.
 */
function ConfirmLaunch({ preview, title, busy, onCancel, onConfirm }: { preview: Preview | null; title: string; busy: boolean; onCancel: () => void; onConfirm: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <Modal closeButtonProps={{ 'aria-label': t('common.dismiss') }} opened={!!preview} onClose={onCancel} title={t('checks.confirmTitle', { title })} size="lg">
      {preview && (
        <Stack data-testid="launch-confirm">
          <Text>{t('checks.confirmIntro', { count: preview.targets })}</Text>
          <ExcludedText excluded={preview.excluded} />
          <DataTable
            caption={t('checks.confirmSample', { count: preview.targets, shown: preview.sample.length })}
            columns={[t('checks.recipient'), t('common.organisation'), t('checks.country')]}
            rows={preview.sample}
            data-testid="launch-recipients"
          >
            {(r) => (
              <Table.Tr key={r.id} data-testid="launch-recipient">
                <Table.Td>{r.fullName}</Table.Td>
                <Table.Td>{r.organisation}</Table.Td>
                <Table.Td>{labels.country(r.country)}</Table.Td>
              </Table.Tr>
            )}
          </DataTable>
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
            <Button onClick={onConfirm} loading={busy} data-autofocus data-testid="launch-confirm-send">
              {t('checks.confirmSend', { count: preview.targets })}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
interface Report {
  id: string;
  title: string;
  message: string;
  status: 'open' | 'closed';
  createdAt: string;
  deadline: string;
  reminderAt: string[];
  remindersSent: number;
  scope: 'all' | 'organisation';
  /** The launcher's own figures at launch; null for anyone else. */
  excluded: Excluded | null;
  overall: Summary;
  byCountry: (Summary & { country: string; countryName: string })[];
  contacts: {
    contactId: string | null;
    fullName: string | null;
    organisation: string | null;
    email: string | null;
    country: string;
    countryName: string;
    acknowledged: boolean;
    acknowledgedAt: string | null;
    channel: 'link' | 'in_app' | null;
    secondsToAcknowledge: number | null;
    encrypted: boolean;
    flagged: boolean;
  }[];
}
interface CheckList {
  items: { id: string; title: string; deadline: string; status: 'open' | 'closed'; createdAt: string; targets: number; acknowledged: number }[];
  canLaunch: boolean;
}
interface Community {
  id: string;
  name: string;
}

/** Date and time in the person's time zone, labelled (components/time.ts). */
function useDateTime() {
  const labels = useLabels();
  return (iso: string | null) => labels.dateTime(iso);
}
const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

function useDuration() {
  const { t } = useTranslation();
  return (s: number | null) => (s === null ? '–' : s < 3600 ? t('checks.minutes', { n: Math.max(1, Math.round(s / 60)) }) : t('checks.hours', { n: (s / 3600).toFixed(1) }));
}

function StatusOf({ status }: { status: 'open' | 'closed' }) {
  const { t } = useTranslation();
  return <StatusBadge color={status === 'open' ? 'blue' : 'gray'}>{t(`checks.status.${status}`)}</StatusBadge>;
}

export function ChecksPage() {
  const { t } = useTranslation();
  const dt = useDateTime();
  const list = useApi<CheckList>('/api/v1/communication-checks');
  return (
    <Page
      title={t('checks.title')}
      actions={
        list.data?.canLaunch ? (
          <ButtonLink to="/communication-checks/new" data-testid="launch-check">
            {t('checks.launch')}
          </ButtonLink>
        ) : undefined
      }
    >
      <Text>{t('checks.intro')}</Text>
      <ErrorAlert error={list.error} />
      {list.error ? null : list.loading && !list.data ? (
        <Loading />
      ) : (
        <DataTable
          minWidth={700}
          caption={t('checks.listCaption', { count: list.data?.items.length ?? 0 })}
          columns={[t('checks.checkTitle'), t('checks.launched'), t('checks.deadline'), t('checks.statusLabel'), t('checks.acknowledged')]}
          rows={list.data?.items ?? []}
          empty={t('checks.none')}
        >
          {(c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <AppLink to="/communication-checks/$checkId" params={{ checkId: c.id }}>
                  {c.title}
                </AppLink>
              </Table.Td>
              <Table.Td>{dt(c.createdAt)}</Table.Td>
              <Table.Td>{dt(c.deadline)}</Table.Td>
              <Table.Td>
                <StatusOf status={c.status} />
              </Table.Td>
              <Table.Td>{t('checks.ofTargets', { acknowledged: c.acknowledged, targets: c.targets })}</Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
    </Page>
  );
}

function ExcludedText({ excluded }: { excluded: Excluded | null }) {
  const { t } = useTranslation();
  if (!excluded) return null;
  const total = excluded.emailWithheld + excluded.noEmail;
  if (!total) return null;
  return (
    <Text size="sm" data-testid="excluded">
      {t('checks.excluded', { count: total })} {t('checks.excludedWhy', { ...excluded })}
    </Text>
  );
}

export function CheckLauncher() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const countryOptions = useCountryOptions();
  const labels = useLabels();
  const communities = useApi<{ items: Community[] }>('/api/v1/communities');
  const [title, setTitle] = useState('');
  const [message, setMessage] = useState('');
  const [kinds, setKinds] = useState<string[]>([]);
  const [region, setRegion] = useState<string | null>(null);
  const [countryCodes, setCountryCodes] = useState<string[]>([]);
  const [communityId, setCommunityId] = useState<string | null>(null);
  // The deadline is typed in the person's time zone (their setting), which the field names.
  const timeZone = useTimeZone();
  const [deadline, setDeadline] = useState(() => toZonedInput(new Date(Math.floor((Date.now() + 7 * 86_400_000) / 3_600_000) * 3_600_000), timeZone));
  const [reminders, setReminders] = useState('50, 80');
  const [preview, setPreview] = useState<Preview | null>(null);
  // The preview the person confirms: asked again when they press Launch, so it is current.
  const [confirming, setConfirming] = useState<Preview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const filters = useMemo(
    () => ({
      ...(kinds.length && { kinds }),
      ...(region && { region }),
      ...(countryCodes.length && { countries: countryCodes }),
      ...(communityId && { communityId }),
    }),
    [kinds, region, countryCodes, communityId],
  );
  useEffect(() => {
    let gone = false;
    api
      .post<Preview>('/api/v1/communication-checks/preview', { filters })
      .then((p) => !gone && setPreview(p))
      .catch(() => !gone && setPreview(null));
    return () => {
      gone = true;
    };
  }, [filters]);
  const percents = reminders
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(Number);
  const review = async () => {
    if (!fromZonedInput(deadline, timeZone)) {
      setError(new ApiError(400, 'VALIDATION_FAILED', 'deadline', { field: 'deadline' }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const p = await api.post<Preview>('/api/v1/communication-checks/preview', { filters });
      setPreview(p);
      if (p.targets > 0) setConfirming(p);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const launch = async () => {
    const due = fromZonedInput(deadline, timeZone);
    if (!due) {
      setError(new ApiError(400, 'VALIDATION_FAILED', 'deadline', { field: 'deadline' }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<Report>('/api/v1/communication-checks', {
        title,
        message,
        deadline: due.toISOString(),
        filters,
        reminderPercents: percents.filter((x) => Number.isInteger(x)),
      });
      setConfirming(null);
      void navigate({ to: '/communication-checks/$checkId', params: { checkId: r.id } });
    } catch (e) {
      setConfirming(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('checks.launchTitle')}>
      <Text>{t('checks.launchIntro')}</Text>
      <ErrorAlert error={error} />
      <Stack gap="sm" maw={720}>
        <TextInput label={t('checks.checkTitle')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} />
        <Textarea label={t('checks.message')} value={message} onChange={(e) => setMessage(e.currentTarget.value)} autosize minRows={3} maxLength={5000} />
        <Title order={2} size="h4">
          {t('checks.targetsTitle')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <MultiSelect label={t('checks.kinds')} data={CONTACT_KINDS.map((k) => ({ value: k, label: t(`contacts.kinds.${k}`) }))} value={kinds} onChange={setKinds} clearable />
          <Select
            label={t('checks.region')}
            data={[
              { value: 'EU', label: t('checks.regions.EU') },
              { value: 'LAC', label: t('checks.regions.LAC') },
            ]}
            value={region}
            onChange={setRegion}
            clearable
          />
          <MultiSelect label={t('checks.countries')} data={countryOptions} value={countryCodes} onChange={setCountryCodes} searchable clearable />
          <Select label={t('checks.community')} data={(communities.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} value={communityId} onChange={setCommunityId} clearable searchable />
        </SimpleGrid>
        <Alert color="blue" role="status" aria-live="polite" data-testid="preview">
          {preview ? t('checks.previewCount', { count: preview.targets }) : t('checks.previewUnavailable')}
          {preview && <ExcludedText excluded={preview.excluded} />}
        </Alert>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            type="datetime-local"
            label={t('checks.deadline')}
            description={t('common.inTimeZone', { zone: timeZoneLabel(timeZone, labels.lang) })}
            required
            value={deadline}
            onChange={(e) => setDeadline(e.currentTarget.value)}
          />
          <TextInput label={t('checks.reminders')} description={t('checks.remindersHelp')} value={reminders} onChange={(e) => setReminders(e.currentTarget.value)} />
        </SimpleGrid>
        <Group>
          <Button onClick={() => void review()} loading={busy && !confirming} disabled={!title.trim() || !preview?.targets} data-testid="launch-submit">
            {t('checks.launchButton', { count: preview?.targets ?? 0 })}
          </Button>
        </Group>
      </Stack>
      <ConfirmLaunch preview={confirming} title={title.trim()} busy={busy} onCancel={() => setConfirming(null)} onConfirm={() => void launch()} />
    </Page>
  );
}

function SummaryCells({ s }: { s: Summary }) {
  const dur = useDuration();
  return (
    <>
      <Table.Td>{s.targets}</Table.Td>
      <Table.Td>{s.acknowledged}</Table.Td>
      <Table.Td>{pct(s.responseRate)}</Table.Td>
      <Table.Td>{dur(s.medianSeconds)}</Table.Td>
      <Table.Td>{dur(s.p90Seconds)}</Table.Td>
    </>
  );
}

/** The columns of a summary table (overall, by country), for DataTable. */
function useSummaryColumns() {
  const { t } = useTranslation();
  return (first: string) => [first, t('checks.targets'), t('checks.acknowledged'), t('checks.rate'), t('checks.median'), t('checks.p90')];
}

export function CheckReportPage() {
  const { t } = useTranslation();
  const dt = useDateTime();
  const dur = useDuration();
  const labels = useLabels();
  const { checkId } = useParams({ strict: false }) as { checkId: string };
  const r = useApi<Report>(`/api/v1/communication-checks/${checkId}`);
  const summaryColumns = useSummaryColumns();
  if (r.loading && !r.data) return <Loading />;
  if (r.error || !r.data)
    return (
      <Page title={t('checks.notFound')}>
        <ErrorAlert error={r.error} />
        <AppLink to="/communication-checks">{t('checks.back')}</AppLink>
      </Page>
    );
  const c = r.data;
  return (
    <Page
      title={c.title}
      actions={
        <Group gap="xs">
          <Button component="a" href={`/api/v1/communication-checks/${c.id}/results.csv`} variant="default" download>
            {t('checks.downloadCsv')}
          </Button>
          <Button component="a" href={`/api/v1/communication-checks/${c.id}/results.pdf`} variant="default" download>
            {t('checks.downloadPdf')}
          </Button>
        </Group>
      }
    >
      <Group gap="xs">
        <StatusOf status={c.status} />
        <Text size="sm">
          {t('checks.launched')}: {dt(c.createdAt)} · {t('checks.deadline')}: {dt(c.deadline)} · {t('checks.remindersSent', { count: c.remindersSent, total: c.reminderAt.length })}
        </Text>
      </Group>
      {c.message && <Text style={{ whiteSpace: 'pre-wrap' }}>{c.message}</Text>}
      {c.scope === 'organisation' && <Alert color="gray">{t('checks.ownOnly')}</Alert>}
      <ExcludedText excluded={c.excluded} />
      <DataTable withTableBorder striped={false} data-testid="overall" caption={t('checks.overall')} columns={summaryColumns('')} rows={[c.overall]}>
        {(o) => (
          <Table.Tr key="overall">
            <Table.Th scope="row">{t('checks.allContacts')}</Table.Th>
            <SummaryCells s={o} />
          </Table.Tr>
        )}
      </DataTable>
      <DataTable minWidth={700} data-testid="by-country" caption={t('checks.byCountry')} columns={summaryColumns(t('checks.country'))} rows={c.byCountry}>
        {(b) => (
          <Table.Tr key={b.country}>
            <Table.Th scope="row">{labels.country(b.country)}</Table.Th>
            <SummaryCells s={b} />
          </Table.Tr>
        )}
      </DataTable>
      <DataTable
        minWidth={900}
        data-testid="per-contact"
        caption={t('checks.perContact')}
        columns={[t('checks.contact'), t('checks.country'), t('checks.email'), t('checks.answer'), t('checks.when'), t('checks.channel')]}
        rows={c.contacts.map((x, i) => ({ ...x, i }))}
      >
        {(x) => (
          <Table.Tr key={x.contactId ?? `hidden-${x.i}`}>
            <Table.Td>
              {x.contactId ? (
                <AppLink to="/contacts/$contactId" params={{ contactId: x.contactId }}>
                  {x.fullName}
                </AppLink>
              ) : (
                <Text c="dimmed">{t('checks.notShared')}</Text>
              )}
              {x.organisation && (
                <Text size="xs" c="dimmed">
                  {x.organisation}
                </Text>
              )}
              {x.flagged && (
                <Badge color="red" variant="light" ml="xs">
                  {t('checks.flagged')}
                </Badge>
              )}
              {x.encrypted && (
                <Badge color="gray" variant="outline" ml="xs">
                  {t('checks.encrypted')}
                </Badge>
              )}
            </Table.Td>
            <Table.Td>{labels.country(x.country)}</Table.Td>
            <Table.Td>{x.email ?? '–'}</Table.Td>
            <Table.Td>
              <StatusBadge color={x.acknowledged ? 'green' : 'red'}>{x.acknowledged ? t('checks.yes') : t('checks.no')}</StatusBadge>
            </Table.Td>
            <Table.Td>{x.acknowledgedAt ? `${dt(x.acknowledgedAt)} (${dur(x.secondsToAcknowledge)})` : '–'}</Table.Td>
            <Table.Td>{x.channel ? t(`checks.channels.${x.channel}`) : '–'}</Table.Td>
          </Table.Tr>
        )}
      </DataTable>
      <AppLink to="/communication-checks">{t('checks.back')}</AppLink>
    </Page>
  );
}

interface AckInfo {
  title: string;
  message: string;
  contactName: string;
  deadline: string;
  language: string;
  closed: boolean;
  acknowledgedAt: string | null;
}

/** The public page behind the one-time link in the mail. */
export function AckPage() {
  const { t, i18n } = useTranslation();
  const dt = useDateTime();
  const { token } = useSearch({ strict: false }) as { token?: string };
  const info = useApi<AckInfo>(token ? `/api/v1/communication-checks/ack?token=${encodeURIComponent(token)}` : null, { quiet401: true });
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const lang = info.data?.language;
  useEffect(() => {
    if (lang && !localStorage.getItem('i18nextLng')) void i18n.changeLanguage(lang);
  }, [lang, i18n]);
  const ack = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ acknowledgedAt: string }>('/api/v1/communication-checks/ack', { token }, { quiet401: true });
      setDone(r.acknowledgedAt);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!token)
    return (
      <Page title={t('checks.ack.title')}>
        <Alert color="gray">{t('checks.ack.noToken')}</Alert>
      </Page>
    );
  if (info.loading && !info.data) return <Loading />;
  if (info.error || !info.data)
    return (
      <Page title={t('checks.ack.title')}>
        <Alert color="red">{t('checks.ack.invalid')}</Alert>
      </Page>
    );
  const d = info.data;
  const acknowledgedAt = done ?? d.acknowledgedAt;
  return (
    <Page title={t('checks.ack.title')}>
      <Title order={2} size="h3">
        {d.title}
      </Title>
      <Text>{t('checks.ack.for', { name: d.contactName })}</Text>
      {d.message && <Text style={{ whiteSpace: 'pre-wrap' }}>{d.message}</Text>}
      <Text size="sm">
        {t('checks.deadline')}: {dt(d.deadline)}
      </Text>
      <ErrorAlert error={error} />
      {acknowledgedAt ? (
        <Alert color="green" role="status" data-testid="ack-done">
          {t('checks.ack.done', { when: dt(acknowledgedAt) })}
        </Alert>
      ) : d.closed ? (
        <Alert color="gray" role="status">
          {t('checks.ack.closed')}
        </Alert>
      ) : (
        <Group>
          <Button onClick={() => void ack()} loading={busy} data-testid="ack-button">
            {t('checks.ack.button')}
          </Button>
        </Group>
      )}
    </Page>
  );
}

interface History {
  flagged: boolean;
  flaggedAt: string | null;
  items: { checkId: string; title: string; createdAt: string; status: 'open' | 'closed'; acknowledgedAt: string | null; channel: 'link' | 'in_app' | null }[];
}

/** The contact card's section: the last checks of this contact and whether it is flagged. */
export function ContactCheckHistory({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const dt = useDateTime();
  const h = useApi<History>(`/api/v1/contacts/${contactId}/communication-checks?limit=5`);
  if (!h.data || (!h.data.items.length && !h.data.flagged)) return null;
  return (
    <Stack gap="xs" data-testid="check-history">
      <Title order={2} size="h4">
        {t('checks.history')}
      </Title>
      {h.data.flagged && (
        <Alert color="red" title={t('checks.flagged')}>
          {t('checks.flaggedExplain')}
        </Alert>
      )}
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('checks.checkTitle')}</Table.Th>
            <Table.Th scope="col">{t('checks.launched')}</Table.Th>
            <Table.Th scope="col">{t('checks.answer')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {h.data.items.map((i) => (
            <Table.Tr key={i.checkId}>
              <Table.Td>{i.title}</Table.Td>
              <Table.Td>{dt(i.createdAt)}</Table.Td>
              <Table.Td>
                {i.acknowledgedAt
                  ? `${t('checks.yes')} · ${dt(i.acknowledgedAt)}${i.channel ? ` · ${t(`checks.channels.${i.channel}`)}` : ''}`
                  : i.status === 'open'
                    ? t('checks.waiting')
                    : t('checks.no')}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
