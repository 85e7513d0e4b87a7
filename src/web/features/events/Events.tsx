import { Alert, Anchor, Badge, Button, Card, Checkbox, CopyButton, Group, Select, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { useCountryOptions } from '../../components/CountrySelect';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterPanel } from '../../components/FilterPanel';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate, formatDateTime } from '../../components/time';
import { TlpBadge } from '../../components/TlpBadge';
import { useDebounced } from '../../components/useDebounced';
import { useSession } from '../../session';
import { EVENT_KINDS, type EventDetail, type EventPage, type EventSummary, type MyCalendar, type Participant, type RegistrationStatus } from './api';
import { Delegations } from './Delegations';
import { useParticipantsCsv } from './useExports';
import { activeEventFilters, eventsListPath, validateEventsSearch, type EventsSearch } from './search';

const STATUS_COLOR: Record<RegistrationStatus, string> = { confirmed: 'green', pending: 'yellow', waitlisted: 'blue', declined: 'red', withdrawn: 'gray' };

function RegistrationBadge({ status }: { status: RegistrationStatus }) {
  const { t } = useTranslation();
  return (
    <StatusBadge color={STATUS_COLOR[status]} data-testid="registration-status">
      {t(`events.registration.status.${status}`)}
    </StatusBadge>
  );
}

/** When an event happens, in the reader's zone, and in the event's own when that differs. */
function When({ e }: { e: Pick<EventSummary, 'startsAt' | 'endsAt' | 'timeZone'> }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const mine = `${labels.dateTime(e.startsAt)} – ${labels.dateTime(e.endsAt)}`;
  const theirs = `${formatDateTime(e.startsAt, { lang: labels.lang, timeZone: e.timeZone })} – ${formatDateTime(e.endsAt, { lang: labels.lang, timeZone: e.timeZone })}`;
  return (
    <Stack gap={0}>
      <Text size="sm">{mine}</Text>
      {theirs !== mine && (
        <Text size="xs" c="dimmed">
          {t('events.localTime', { time: theirs })}
        </Text>
      )}
    </Stack>
  );
}

function Where({ e }: { e: Pick<EventSummary, 'place' | 'country' | 'online'> }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const parts = [e.place, e.country ? labels.country(e.country) : '', e.online ? t('events.online') : ''].filter(Boolean);
  return <>{parts.join(' · ') || '—'}</>;
}

/** The events the reader may see, in time order, with filters in the address. */
export function EventsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const navigate = useNavigate();
  const search = validateEventsSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const set = (patch: Partial<EventsSearch>) => void navigate({ to: '/events', search: validateEventsSearch({ ...search, ...patch }) as never, replace: true });
  const [q, setQ] = useState(search.q ?? '');
  const dq = useDebounced(q, 300).trim();
  useEffect(() => {
    if ((search.q ?? '') !== dq) set({ q: dq || undefined });
    // Only the debounced words move the address.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dq]);
  const countries = useCountryOptions();
  const firstUrl = eventsListPath(search, labels.lang);
  const first = useApi<EventPage>(firstUrl, { quiet401: true });
  const [more, setMore] = useState<EventSummary[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    setMore([]);
    setCursor(undefined);
  }, [firstUrl]);
  const next = cursor === undefined ? (first.data?.nextCursor ?? null) : cursor;
  const loadMore = async () => {
    if (!next) return;
    const page = await api.get<EventPage>(eventsListPath(search, labels.lang, next), { quiet401: true });
    setMore((m) => [...m, ...page.items]);
    setCursor(page.nextCursor);
  };
  const items = [...(first.data?.items ?? []), ...more];
  return (
    <Page
      title={t('events.title')}
      actions={
        <Group gap="sm">
          <AppLink to="/calendar" data-testid="my-calendar-link">
            {t('events.myCalendar')}
          </AppLink>
          {me?.organisation?.status === 'approved' && (
            <ButtonLink to="/events/new" data-testid="new-event">
              {t('events.new')}
            </ButtonLink>
          )}
        </Group>
      }
    >
      <Text>{t('events.intro')}</Text>
      <form role="search" aria-label={t('events.searchLabel')} onSubmit={(e) => e.preventDefault()}>
        <Stack gap="sm">
          <TextInput label={t('events.search')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={520} data-testid="events-search" />
          <FilterPanel active={activeEventFilters(search)}>
            <Group align="flex-end" wrap="wrap" gap="sm">
              <Select
                label={t('events.filters.kind')}
                data={EVENT_KINDS.map((k) => ({ value: k, label: t(`events.kind.${k}`) }))}
                value={search.kind ?? null}
                onChange={(v) => set({ kind: v ?? undefined })}
                clearable
                placeholder={t('common.all')}
                w={220}
                maw="100%"
              />
              <Select label={t('events.filters.country')} data={countries} value={search.country ?? null} onChange={(v) => set({ country: v ?? undefined })} searchable clearable placeholder={t('common.all')} w={220} maw="100%" />
              <TextInput label={t('events.filters.from')} type="date" value={search.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value || undefined })} w={170} maw="100%" />
              <TextInput label={t('events.filters.to')} type="date" value={search.to ?? ''} onChange={(e) => set({ to: e.currentTarget.value || undefined })} w={170} maw="100%" />
            </Group>
          </FilterPanel>
        </Stack>
      </form>
      {first.error ? (
        <ErrorAlert error={first.error} />
      ) : first.loading && !first.data ? (
        <Loading />
      ) : (
        <>
          <DataTable caption={t('events.count', { count: items.length })} columns={[t('events.columns.event'), t('events.columns.when'), t('events.columns.where'), t('events.columns.registration')]} rows={items} empty={t('events.none')} minWidth={720}>
            {(e) => (
              <Table.Tr key={e.id} data-testid="event-row">
                <Table.Td>
                  <Stack gap={4}>
                    <span lang={e.translation.shown}>
                      <AppLink to="/events/$id" params={{ id: e.id }}>
                        {e.title}
                      </AppLink>
                    </span>
                    <Group gap="xs">
                      <Badge variant="outline" size="sm" tt="none">
                        {t(`events.kind.${e.kind}`)}
                      </Badge>
                      <TlpBadge tlp={e.tlp} size="sm" />
                      {e.status !== 'published' && <StatusBadge color={e.status === 'cancelled' ? 'red' : 'gray'}>{t(`events.status.${e.status}`)}</StatusBadge>}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {e.organiser.name}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <When e={e} />
                </Table.Td>
                <Table.Td>
                  <Where e={e} />
                </Table.Td>
                <Table.Td>
                  <Seats e={e} />
                </Table.Td>
              </Table.Tr>
            )}
          </DataTable>
          {next && (
            <Button variant="default" onClick={() => void loadMore()}>
              {t('events.more')}
            </Button>
          )}
        </>
      )}
    </Page>
  );
}

function Seats({ e }: { e: EventSummary }) {
  const { t } = useTranslation();
  const r = e.registration;
  return (
    <Stack gap={0}>
      <Text size="sm">{r.open ? t('events.registration.open') : t('events.registration.closed')}</Text>
      <Text size="xs" c="dimmed">
        {r.capacity === null ? t('events.registration.confirmedNoLimit', { count: r.confirmed }) : t('events.registration.seats', { count: r.capacity, confirmed: r.confirmed })}
        {r.waitlisted > 0 ? ` · ${t('events.registration.waiting', { count: r.waitlisted })}` : ''}
      </Text>
    </Stack>
  );
}

/** The timetable, day by day in the reader's zone; each session's time also in the event's zone when it differs. */
function Agenda({ e }: { e: EventDetail }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const days = useMemo(() => {
    const out = new Map<string, EventDetail['sessions']>();
    for (const s of e.sessions) {
      const day = formatDate(s.startsAt, { lang: labels.lang, timeZone: labels.timeZone });
      out.set(day, [...(out.get(day) ?? []), s]);
    }
    return [...out.entries()];
  }, [e.sessions, labels.lang, labels.timeZone]);
  if (!e.sessions.length) return null;
  const time = (iso: string, timeZone: string) => new Intl.DateTimeFormat(labels.lang, { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  return (
    <Stack gap="md">
      <Title order={2}>{t('events.timetable')}</Title>
      {days.map(([day, sessions]) => (
        <section key={day} aria-label={day}>
          <Title order={3} size="h4">
            {day}
          </Title>
          <DataTable caption={t('events.timetableOf', { day })} columns={[t('events.columns.time'), t('events.columns.session'), t('events.columns.room'), t('events.columns.speakers'), t('events.columns.interpretation')]} rows={sessions} minWidth={720}>
            {(s) => (
              <Table.Tr key={s.id} data-testid="session-row">
                <Table.Td>
                  <Text size="sm">{`${time(s.startsAt, labels.timeZone)}–${time(s.endsAt, labels.timeZone)}`}</Text>
                  {e.timeZone !== labels.timeZone && (
                    <Text size="xs" c="dimmed">
                      {t('events.localTime', { time: `${time(s.startsAt, e.timeZone)}–${time(s.endsAt, e.timeZone)}` })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td lang={s.titleLanguage}>
                  {s.status === 'cancelled' ? <s>{s.title}</s> : s.title}
                  {s.status === 'cancelled' && (
                    <StatusBadge color="red" ml="xs">
                      {t('events.sessionCancelled')}
                    </StatusBadge>
                  )}
                  {e.materials
                    .filter((m) => m.sessionId === s.id)
                    .map((m) => (
                      <MaterialLink key={m.id} m={m} />
                    ))}
                </Table.Td>
                <Table.Td>{s.room || '—'}</Table.Td>
                <Table.Td>{s.speakers.map((x) => x.name).join(', ') || '—'}</Table.Td>
                <Table.Td>{s.interpretation.map((l) => labels.language(l)).join(', ') || '—'}</Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        </section>
      ))}
    </Stack>
  );
}

function MaterialLink({ m }: { m: EventDetail['materials'][number] }) {
  return (
    <Group gap="xs" mt={4}>
      <TlpBadge tlp={m.tlp} size="sm" />
      <Anchor href={m.url ?? `/api/v1/event-materials/${m.id}`} target={m.url ? '_blank' : undefined} rel="noopener noreferrer" size="sm">
        {m.title}
      </Anchor>
    </Group>
  );
}

/** The registration form (answers to the event's questions and consent), or the reader's registration. */
function Registration({ e, onChange }: { e: EventDetail; onChange: () => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const mine = e.myRegistration;
  const [answers, setAnswers] = useState<Record<string, string | boolean>>(mine?.answers ?? {});
  const [consent, setConsent] = useState(mine?.consentToList ?? false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  if (!me?.organisation) return null;
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await fn();
      setSaved(true);
      onChange();
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  const form = (
    <Stack gap="sm">
      {e.questions.map((q) =>
        q.type === 'yes-no' ? (
          <Checkbox key={q.id} label={q.label} checked={answers[q.id] === true} onChange={(x) => setAnswers({ ...answers, [q.id]: x.currentTarget.checked })} disabled={e.answersPurged} />
        ) : q.type === 'choice' ? (
          <Select key={q.id} label={q.label} required={q.required} data={q.options ?? []} value={(answers[q.id] as string) ?? null} onChange={(v) => setAnswers({ ...answers, [q.id]: v ?? '' })} clearable={!q.required} maw={400} disabled={e.answersPurged} />
        ) : (
          <Textarea key={q.id} label={q.label} required={q.required} value={(answers[q.id] as string) ?? ''} onChange={(x) => setAnswers({ ...answers, [q.id]: x.currentTarget.value })} autosize minRows={1} maw={600} disabled={e.answersPurged} />
        ),
      )}
      <Checkbox label={t('events.registration.consent')} description={t('events.registration.consentHelp')} checked={consent} onChange={(x) => setConsent(x.currentTarget.checked)} data-testid="consent" />
      <Text size="xs" c="dimmed">
        {t('events.registration.retention', { count: e.retentionDays })}
      </Text>
    </Stack>
  );
  const withAnswers = () => Object.fromEntries(e.questions.map((q) => [q.id, q.type === 'yes-no' ? answers[q.id] === true : ((answers[q.id] as string) ?? '')]));
  return (
    <Card withBorder component="section" aria-labelledby="registration-title">
      <Stack gap="sm">
        <Title order={2} id="registration-title">
          {mine ? t('events.registration.mine') : t('events.registration.title')}
        </Title>
        {error ? <ErrorAlert error={error} /> : null}
        {saved && !error && <Alert color="green">{t('events.registration.saved')}</Alert>}
        {mine ? (
          <>
            <Group gap="sm">
              <RegistrationBadge status={mine.status} />
              {mine.waitlistPosition !== null && <Text size="sm">{t('events.registration.position', { count: mine.waitlistPosition })}</Text>}
            </Group>
            {e.onlineUrl && (
              <Text size="sm">
                {t('events.joinOnline')}{' '}
                <Anchor href={e.onlineUrl} target="_blank" rel="noopener noreferrer">
                  {e.onlineUrl}
                </Anchor>
              </Text>
            )}
            {form}
            <Group>
              <Button loading={busy} onClick={() => void act(() => api.patch(`/api/v1/events/${e.id}/registrations/mine`, { ...(e.answersPurged ? {} : { answers: withAnswers() }), consentToList: consent }))}>
                {t('events.registration.save')}
              </Button>
              <Button variant="default" color="red" loading={busy} onClick={() => void act(() => api.del(`/api/v1/events/${e.id}/registrations/mine`))} data-testid="withdraw">
                {t('events.registration.withdraw')}
              </Button>
            </Group>
          </>
        ) : e.registration.open ? (
          <>
            <Text size="sm">{e.registration.moderated ? t('events.registration.moderated') : t('events.registration.direct')}</Text>
            {form}
            <Group>
              <Button loading={busy} onClick={() => void act(() => api.post(`/api/v1/events/${e.id}/registrations`, { answers: withAnswers(), consentToList: consent }))} data-testid="register">
                {t('events.registration.register')}
              </Button>
            </Group>
          </>
        ) : (
          <Text>{t('events.registration.closed')}</Text>
        )}
      </Stack>
    </Card>
  );
}

function Participants({ id, title }: { id: string; title: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const list = useApi<{ items: Participant[] }>(`/api/v1/events/${id}/participants`, { quiet401: true });
  const exportCsv = useParticipantsCsv();
  if (list.error) return <ErrorAlert error={list.error} />;
  if (!list.data) return null;
  return (
    <Stack gap="sm" component="section" aria-labelledby="participants-title">
      <Title order={2} id="participants-title">
        {t('events.participants.title')}
      </Title>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed">
          {t('events.participants.help')}
        </Text>
        {list.data.items.length > 0 && (
          <Button size="xs" variant="default" onClick={() => exportCsv(title, list.data!.items)} data-testid="export-participant-list">
            {t('events.participants.export')}
          </Button>
        )}
      </Group>
      <DataTable caption={t('events.participants.caption', { count: list.data.items.length })} columns={[t('events.columns.person'), t('events.columns.organisation'), t('events.columns.country')]} rows={list.data.items} empty={t('events.participants.none')}>
        {(p) => (
          <Table.Tr key={`${p.name}-${p.organisation.id}`}>
            <Table.Td>
              {p.name}
              {p.headOfDelegation && (
                <StatusBadge color="blue" ml="xs">
                  {t('events.delegations.head')}
                </StatusBadge>
              )}
            </Table.Td>
            <Table.Td>{p.organisation.name}</Table.Td>
            <Table.Td>{labels.country(p.delegation ?? p.organisation.country)}</Table.Td>
          </Table.Tr>
        )}
      </DataTable>
    </Stack>
  );
}

/** One event: what, when (the reader's zone and the event's), where, its agenda and timetable, registration, delegations, participants. */
export function EventView() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const labels = useLabels();
  const ev = useApi<EventDetail>(`/api/v1/events/${id}?lang=${labels.lang}`, { quiet401: true });
  if (ev.error) return <Page title={t('events.title')}>{ev.error instanceof ApiError ? <ErrorAlert error={ev.error} /> : null}</Page>;
  if (!ev.data) return <Loading />;
  const e = ev.data;
  return (
    <Page
      title={e.title}
      titleLang={e.translation.shown}
      actions={
        <Anchor href={`/api/v1/events/${e.id}/calendar.ics`} download data-testid="event-ics">
          {t('events.addToCalendar')}
        </Anchor>
      }
    >
      <Group gap="xs">
        <Badge variant="outline" tt="none">
          {t(`events.kind.${e.kind}`)}
        </Badge>
        <TlpBadge tlp={e.tlp} />
        {e.status !== 'published' && <StatusBadge color={e.status === 'cancelled' ? 'red' : 'gray'}>{t(`events.status.${e.status}`)}</StatusBadge>}
      </Group>
      {e.can.manage && <OrganiserBar e={e} />}
      {e.record && (
        <Text size="sm" data-testid="event-record">
          {t('events.recordLink')}{' '}
          <AppLink to="/records/$slug" params={{ slug: e.record.slug }}>
            {e.record.title}
          </AppLink>{' '}
          {e.record.status !== 'published' && <StatusBadge color={e.record.status === 'proposed' ? 'yellow' : 'gray'}>{t(`events.recordStatus.${e.record.status}`)}</StatusBadge>}
        </Text>
      )}
      {e.translation.fallback && (
        <Text size="sm" c="dimmed">
          {t('events.fallback', { language: labels.language(e.translation.shown) })}
        </Text>
      )}
      <Table variant="vertical" withTableBorder maw={720}>
        <Table.Tbody>
          <Row label={t('events.columns.when')}>
            <When e={e} />
          </Row>
          <Row label={t('events.columns.where')}>
            <Where e={e} />
          </Row>
          <Row label={t('events.organiser')}>{e.organiser.name}</Row>
          <Row label={t('events.columns.registration')}>
            <Seats e={e} />
          </Row>
        </Table.Tbody>
      </Table>
      {e.descriptionHtml && <div lang={e.translation.shown} dangerouslySetInnerHTML={{ __html: e.descriptionHtml }} />}
      {e.agendaHtml && (
        <section aria-labelledby="agenda-title" lang={e.translation.shown}>
          <Title order={2} id="agenda-title">
            {t('events.agenda')}
          </Title>
          <div dangerouslySetInnerHTML={{ __html: e.agendaHtml }} />
        </section>
      )}
      <Agenda e={e} />
      {e.materials.some((m) => !m.sessionId) && (
        <Stack gap={4}>
          <Title order={2}>{t('events.materials')}</Title>
          {e.materials
            .filter((m) => !m.sessionId)
            .map((m) => (
              <MaterialLink key={m.id} m={m} />
            ))}
        </Stack>
      )}
      <Registration key={e.myRegistration?.status ?? 'none'} e={e} onChange={ev.reload} />
      <Delegations e={e} />
      <Participants id={e.id} title={e.title} />
    </Page>
  );
}

/** What the organisers do from the event's page: edit it, see its registrations, write its minutes once it is over. */
function OrganiserBar({ e }: { e: EventDetail }) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" wrap="wrap" component="nav" aria-label={t('events.organiserBar')}>
      <ButtonLink to="/events/$id/edit" params={{ id: e.id }} variant="default" data-testid="edit-event">
        {t('events.edit')}
      </ButtonLink>
      <ButtonLink to="/events/$id/registrations" params={{ id: e.id }} variant="default" data-testid="event-registrations">
        {t('events.registrations.link')}
      </ButtonLink>
      {e.can.writeMinutes && (
        <ButtonLink to="/events/$id/minutes" params={{ id: e.id }} data-testid="write-minutes">
          {t('events.minutes.write')}
        </ButtonLink>
      )}
    </Group>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={180}>{label}</Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

/** "My calendar": what I registered for, and my secret subscription link (shown once, as https and webcal). */
export function CalendarPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const mine = useApi<MyCalendar>('/api/v1/calendar');
  const [link, setLink] = useState<{ url: string; webcal: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const rotate = async () => {
    setError(null);
    try {
      setLink(await api.post<{ url: string; webcal: string }>('/api/v1/calendar/feed', {}));
      mine.reload();
    } catch (x) {
      setError(x);
    }
  };
  const revoke = async () => {
    setError(null);
    try {
      await api.del('/api/v1/calendar/feed');
      setLink(null);
      mine.reload();
    } catch (x) {
      setError(x);
    }
  };
  return (
    <Page title={t('events.calendar.title')}>
      <Text>{t('events.calendar.intro')}</Text>
      {error ? <ErrorAlert error={error} /> : null}
      <Card withBorder component="section" aria-labelledby="feed-title">
        <Stack gap="sm">
          <Title order={2} id="feed-title">
            {t('events.calendar.feed')}
          </Title>
          <Text size="sm">{mine.data?.feed ? t('events.calendar.feedSince', { date: labels.dateTime(mine.data.feed.createdAt) }) : t('events.calendar.noFeed')}</Text>
          {link && (
            <Stack gap="xs">
              <Alert color="yellow">{t('events.calendar.secret')}</Alert>
              <Group gap="xs" wrap="nowrap">
                <TextInput label={t('events.calendar.link')} value={link.url} readOnly w={520} maw="100%" onFocus={(x) => x.currentTarget.select()} data-testid="feed-url" />
                <CopyButton value={link.url}>
                  {({ copied, copy }) => (
                    <Button variant="default" onClick={copy} mt={24}>
                      {copied ? t('events.calendar.copied') : t('events.calendar.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
              <Button component="a" href={link.webcal} variant="light" w="fit-content">
                {t('events.calendar.webcal')}
              </Button>
            </Stack>
          )}
          <Group>
            <Button onClick={() => void rotate()} data-testid="rotate-feed">
              {mine.data?.feed ? t('events.calendar.rotate') : t('events.calendar.create')}
            </Button>
            {mine.data?.feed && (
              <Button variant="default" color="red" onClick={() => void revoke()}>
                {t('events.calendar.revoke')}
              </Button>
            )}
          </Group>
        </Stack>
      </Card>
      {mine.error ? (
        <ErrorAlert error={mine.error} />
      ) : !mine.data ? (
        <Loading />
      ) : (
        <DataTable caption={t('events.calendar.caption', { count: mine.data.items.length })} columns={[t('events.columns.event'), t('events.columns.when'), t('events.columns.status')]} rows={mine.data.items} empty={t('events.calendar.none')}>
          {({ event, registration }) => (
            <Table.Tr key={event.id}>
              <Table.Td>
                <span lang={event.translation.shown}>
                  <AppLink to="/events/$id" params={{ id: event.id }}>
                    {event.title}
                  </AppLink>
                </span>
              </Table.Td>
              <Table.Td>
                <When e={event} />
              </Table.Td>
              <Table.Td>
                <RegistrationBadge status={registration.status} />
                {registration.delegation && (
                  <Text size="xs" c="dimmed">
                    {t('events.calendar.delegate')}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
    </Page>
  );
}

