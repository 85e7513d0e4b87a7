import { Alert, Button, Checkbox, Fieldset, FileInput, Group, Modal, MultiSelect, NumberInput, Paper, SegmentedControl, Select, SimpleGrid, Stack, Switch, Table, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, getCsrfToken, qs } from '../../api/client';
import { UI_LANGUAGES } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { useConcepts } from '../../components/concepts';
import { useCountryOptions } from '../../components/CountrySelect';
import { DataTable } from '../../components/DataTable';
import { CannotEdit, focusFirstInvalid } from '../../components/EditorGate';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { timeZoneLabel } from '../../components/time';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { TlpBadge } from '../../components/TlpBadge';
import { TranslationEditor } from '../../components/Translation';
import { useSession } from '../../session';
import { audienceFor, EMPTY_AUDIENCE, MarkingFields, type Marking } from '../notes/MarkingFields';
import { EVENT_KINDS, type EventDetail, type EventKind, type Question } from './api';
import {
  EVENT_LIMITS,
  emptyEventForm,
  emptySessionForm,
  eventBody,
  eventFormOf,
  eventProblems,
  newQuestionId,
  sessionBody,
  sessionFormOf,
  sessionProblems,
  type EventForm,
  type Problem,
  type QuestionForm,
  type SessionForm,
} from './editor';
import { Delegations } from './Delegations';
import { EDITOR_TABS, validateEventEditSearch, type EditorTab } from './search';

/** The message of the first problem of a field, in words. */
function useProblemText() {
  const { t } = useTranslation();
  const { lang } = useLabels();
  return (problems: Problem[], field: string): string | undefined => {
    const p = problems.find((x) => x.field === field);
    return p ? t(`events.problem.${p.problem}`, { limit: p.limit !== undefined ? new Intl.NumberFormat(lang).format(p.limit) : '' }) : undefined;
  };
}


/** Create an event (`/events/new`): a draft of its organisers; the timetable and materials follow on its edit page. */
export function EventNewPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (me && me.organisation?.status !== 'approved')
    return (
      <Page title={t('events.editor.newTitle')}>
        <Alert color="gray">{t('events.editor.membersOnly')}</Alert>
      </Page>
    );
  return (
    <Page title={t('events.editor.newTitle')}>
      <Text>{t('events.editor.intro')}</Text>
      <EventDetailsForm />
    </Page>
  );
}

/** The organiser's page of one event (`/events/$id/edit`): its details, timetable, materials, translations and delegations, and its publication. */
export function EventEditPage() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const navigate = useNavigate();
  const search = validateEventEditSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const ev = useApi<EventDetail>(`/api/v1/events/${id}`);
  const e = ev.data;
  if (ev.error)
    return (
      <Page title={t('events.editor.editTitle')}>
        <ErrorAlert error={ev.error} />
        <AppLink to="/events">{t('events.editor.backToList')}</AppLink>
      </Page>
    );
  if (!e) return <Loading />;
  if (!e.can.manage)
    return (
      <CannotEdit
        title={t('events.editor.editTitle')}
        notYours={t('events.editor.notYours')}
        back={
          <AppLink to="/events/$id" params={{ id: e.id }}>
            {t('events.editor.backToEvent')}
          </AppLink>
        }
      />
    );
  const tab: EditorTab = search.tab ?? 'details';
  const setTab = (v: string | null) => void navigate({ to: '/events/$id/edit', params: { id: e.id }, search: validateEventEditSearch({ tab: v === 'details' ? undefined : v }) as never, replace: true });
  return (
    <Page title={t('events.editor.editTitle')} actions={<StatusActions e={e} onChange={ev.setData} />}>
      <Group gap="sm" wrap="wrap">
        <Text lang={e.translation.shown} fw={600}>
          <AppLink to="/events/$id" params={{ id: e.id }} data-testid="event-page-link">
            {e.title}
          </AppLink>
        </Text>
        <TlpBadge tlp={e.tlp} size="sm" />
        <StatusBadge color={e.status === 'published' ? 'green' : e.status === 'cancelled' ? 'red' : 'gray'} data-testid="event-status">
          {t(`events.status.${e.status}`)}
        </StatusBadge>
        <AppLink to="/events/$id/registrations" params={{ id: e.id }}>
          {t('events.registrations.link')}
        </AppLink>
      </Group>
      {e.status === 'draft' && <Alert color="gray">{t('events.editor.draftNote')}</Alert>}
      {e.status === 'cancelled' && <Alert color="red">{t('events.editor.cancelledNote')}</Alert>}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          {EDITOR_TABS.map((k) => (
            <Tabs.Tab key={k} value={k}>
              {k === 'timetable' ? t('events.editor.tabs.timetable', { count: e.sessions.length }) : k === 'materials' ? t('events.editor.tabs.materials', { count: e.materials.length }) : t(`events.editor.tabs.${k}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          {e.status === 'cancelled' ? <Text>{t('events.editor.cancelledNote')}</Text> : <EventDetailsForm event={e} onSaved={ev.setData} />}
        </Tabs.Panel>
        <Tabs.Panel value="timetable" pt="md">
          <TimetableEditor e={e} onChange={ev.setData} />
        </Tabs.Panel>
        <Tabs.Panel value="materials" pt="md">
          <MaterialsEditor e={e} onChange={ev.reload} />
        </Tabs.Panel>
        <Tabs.Panel value="translations" pt="md">
          <EventTranslations e={e} onChange={ev.reload} />
        </Tabs.Panel>
        <Tabs.Panel value="delegations" pt="md">
          <Stack gap="sm">
            <Text size="sm">{t('events.editor.delegationsHelp')}</Text>
            <Delegations e={e} />
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Page>
  );
}

// ---------- publish, cancel, delete ----------

type StatusStep = 'publish' | 'cancel' | 'delete';

/** Publish a draft, cancel a published event (everyone registered is told), delete a draft: each after a confirmation. */
function StatusActions({ e, onChange }: { e: EventDetail; onChange: (e: EventDetail) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [asked, setAsked] = useState<StatusStep | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const steps: StatusStep[] = e.status === 'draft' ? ['publish', 'delete'] : e.status === 'published' ? ['cancel'] : [];
  const run = async (step: StatusStep) => {
    setBusy(true);
    setError(null);
    try {
      if (step === 'delete') {
        await api.del(`/api/v1/events/${e.id}`);
        await navigate({ to: '/events' });
        return;
      }
      onChange(await api.patch<EventDetail>(`/api/v1/events/${e.id}`, { status: step === 'publish' ? 'published' : 'cancelled' }));
      setAsked(null);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  if (!steps.length) return null;
  const registered = e.registration.confirmed + e.registration.pending + e.registration.waitlisted;
  return (
    <>
      <Group gap="sm">
        {steps.map((s) => (
          <Button key={s} variant={s === 'publish' ? 'filled' : 'outline'} color={s === 'publish' ? undefined : 'red.9'} onClick={() => setAsked(s)} data-testid={`event-${s}`}>
            {t(`events.editor.status.${s}`)}
          </Button>
        ))}
      </Group>
      <Modal opened={asked !== null} onClose={() => setAsked(null)} title={asked ? t(`events.editor.status.${asked}Title`) : ''}>
        <Stack>
          <Text>{asked === 'cancel' ? t('events.editor.status.cancelConfirm', { count: registered }) : asked ? t(`events.editor.status.${asked}Confirm`) : ''}</Text>
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsked(null)}>
              {t('common.cancel')}
            </Button>
            <Button color={asked === 'publish' ? undefined : 'red.9'} loading={busy} onClick={() => asked && void run(asked)} data-testid="confirm-status">
              {asked ? t(`events.editor.status.${asked}`) : ''}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

// ---------- the details ----------

/** The event's own fields: what, in which language, where, when on which clock, who registers how, and its marking. */
function EventDetailsForm({ event, onSaved }: { event?: EventDetail; onSaved?: (e: EventDetail) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const problemText = useProblemText();
  const [form, setForm] = useState<EventForm>(() => (event ? eventFormOf(event) : emptyEventForm(labels.lang, labels.timeZone)));
  const [marking, setMarking] = useState<Marking>(() => (event ? { tlp: event.tlp, pap: event.pap, audience: event.audience ?? EMPTY_AUDIENCE } : { tlp: 'GREEN', pap: 'GREEN', audience: EMPTY_AUDIENCE }));
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const countries = useCountryOptions();
  const concepts = useConcepts(labels.lang, 'all');
  const conceptData = useMemo(() => {
    const all = concepts.groups.flatMap((g) => g.items.map((i) => i.value));
    return [...concepts.groups, ...form.concepts.filter((c) => !all.includes(c)).map((c) => ({ value: c, label: c }))];
  }, [concepts.groups, form.concepts]);
  const problems = eventProblems(form);
  const shown = checked ? problems : [];
  const err = (field: string) => problemText(shown, field);
  const set = <K extends keyof EventForm>(k: K, v: EventForm[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [k]: v }));
  };
  const setQuestion = (i: number, q: Partial<QuestionForm>) => set('questions', form.questions.map((x, k) => (k === i ? { ...x, ...q } : x)));
  const serverField = error instanceof ApiError ? ((error.details as { field?: string } | undefined)?.field ?? null) : null;

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setChecked(true);
    setError(null);
    setSaved(false);
    if (problems.length) return focusFirstInvalid(formRef.current);
    setBusy(true);
    const body = eventBody(form, { tlp: marking.tlp, pap: marking.pap, audience: audienceFor(marking.tlp, marking.audience) });
    try {
      if (event) {
        const { language: _language, ...changes } = body;
        onSaved?.(await api.patch<EventDetail>(`/api/v1/events/${event.id}`, changes));
        setSaved(true);
      } else {
        const made = await api.post<EventDetail>('/api/v1/events', body);
        await navigate({ to: '/events/$id/edit', params: { id: made.id }, search: { tab: 'timetable' } as never });
      }
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  const zoneNow = useMemo(() => timeZoneLabel(form.timeZone, labels.lang), [form.timeZone, labels.lang]);
  return (
    <Paper withBorder p={{ base: 'sm', sm: 'lg' }} maw={920}>
      <form onSubmit={(x) => void submit(x)} noValidate ref={formRef} data-testid="event-form" aria-label={event ? t('events.editor.editTitle') : t('events.editor.newTitle')}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('events.editor.kind')}
              data={EVENT_KINDS.map((k) => ({ value: k, label: t(`events.kind.${k}`) }))}
              value={form.kind}
              allowDeselect={false}
              onChange={(v) => v && set('kind', v as EventKind)}
              required
            />
            <Select
              label={t('events.editor.language')}
              description={event ? t('events.editor.languageFixed') : t('events.editor.languageHelp')}
              data={[...UI_LANGUAGES, ...((UI_LANGUAGES as readonly string[]).includes(form.language) ? [] : [form.language])].map((l) => ({ value: l, label: labels.language(l) }))}
              value={form.language}
              allowDeselect={false}
              onChange={(v) => v && set('language', v)}
              disabled={!!event}
              required
            />
          </SimpleGrid>
          <TextInput label={t('events.editor.title')} required value={form.title} onChange={(x) => set('title', x.currentTarget.value)} error={err('title') ?? (serverField === 'title' ? ' ' : undefined)} lang={form.language} name="title" />
          <Textarea
            label={t('events.editor.description')}
            description={t('events.editor.markdownHelp')}
            autosize
            minRows={4}
            maxRows={20}
            value={form.description}
            onChange={(x) => set('description', x.currentTarget.value)}
            error={err('description')}
            lang={form.language}
            name="description"
          />
          <Textarea
            label={t('events.editor.agenda')}
            description={t('events.editor.agendaHelp')}
            autosize
            minRows={4}
            maxRows={24}
            value={form.agenda}
            onChange={(x) => set('agenda', x.currentTarget.value)}
            error={err('agenda')}
            lang={form.language}
            name="agenda"
          />

          <Fieldset legend={t('events.editor.whereWhen')} variant="unstyled">
            <Stack>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label={t('events.editor.place')} description={t('events.editor.placeHelp')} value={form.place} onChange={(x) => set('place', x.currentTarget.value)} error={err('place')} name="place" />
                <Select label={t('events.editor.country')} data={countries} value={form.country} onChange={(v) => set('country', v)} searchable clearable error={serverField === 'country' ? ' ' : undefined} />
              </SimpleGrid>
              <Switch label={t('events.editor.online')} checked={form.online} onChange={(x) => set('online', x.currentTarget.checked)} />
              {form.online && (
                <TextInput
                  label={t('events.editor.onlineUrl')}
                  description={t('events.editor.onlineUrlHelp')}
                  type="url"
                  placeholder="https://"
                  value={form.onlineUrl}
                  onChange={(x) => set('onlineUrl', x.currentTarget.value)}
                  error={err('onlineUrl')}
                  name="onlineUrl"
                />
              )}
              <TimeZoneSelect label={t('events.editor.timeZone')} description={t('events.editor.timeZoneHelp')} value={form.timeZone} onChange={(z) => set('timeZone', z)} error={err('timeZone')} />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label={t('events.editor.startsAt')}
                  description={t('events.editor.onClock', { zone: zoneNow })}
                  type="datetime-local"
                  required
                  value={form.startsAt}
                  onChange={(x) => set('startsAt', x.currentTarget.value)}
                  error={err('startsAt')}
                  name="startsAt"
                />
                <TextInput
                  label={t('events.editor.endsAt')}
                  description={t('events.editor.onClock', { zone: zoneNow })}
                  type="datetime-local"
                  required
                  value={form.endsAt}
                  onChange={(x) => set('endsAt', x.currentTarget.value)}
                  error={err('endsAt')}
                  name="endsAt"
                />
              </SimpleGrid>
            </Stack>
          </Fieldset>

          <MultiSelect
            label={t('events.editor.concepts')}
            description={t('events.editor.conceptsHelp')}
            data={conceptData}
            value={form.concepts}
            onChange={(v) => set('concepts', v)}
            searchable
            clearable
            nothingFoundMessage={concepts.loading ? t('common.loading') : undefined}
            comboboxProps={{ width: 'target' }}
          />

          <Fieldset legend={t('events.editor.registration')} variant="unstyled">
            <Stack>
              <Switch label={t('events.editor.registrationOpen')} description={t('events.editor.registrationOpenHelp')} checked={form.registrationOpen} onChange={(x) => set('registrationOpen', x.currentTarget.checked)} />
              <Switch label={t('events.editor.moderated')} description={t('events.editor.moderatedHelp')} checked={form.moderated} onChange={(x) => set('moderated', x.currentTarget.checked)} />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <NumberInput
                  label={t('events.editor.capacity')}
                  description={t('events.editor.capacityHelp')}
                  min={1}
                  max={EVENT_LIMITS.capacity}
                  allowDecimal={false}
                  value={form.capacity}
                  onChange={(v) => set('capacity', v === '' ? '' : Number(v))}
                  error={err('capacity') ?? (serverField === 'capacity' ? ' ' : undefined)}
                />
                <NumberInput
                  label={t('events.editor.retentionDays')}
                  description={t('events.editor.retentionHelp')}
                  min={0}
                  max={EVENT_LIMITS.retentionDays}
                  allowDecimal={false}
                  value={form.retentionDays}
                  onChange={(v) => set('retentionDays', v === '' ? 0 : Number(v))}
                  error={err('retentionDays')}
                />
              </SimpleGrid>
              <QuestionsEditor questions={form.questions} problems={shown} onChange={(qs) => set('questions', qs)} setQuestion={setQuestion} />
            </Stack>
          </Fieldset>

          <Fieldset legend={t('events.editor.marking')} variant="unstyled">
            <MarkingFields value={marking} onChange={setMarking} />
          </Fieldset>

          {checked && problems.length > 0 && (
            <Alert color="red" role="alert" title={t('events.editor.problemsTitle')}>
              {t('events.editor.problems', { count: problems.length })}
            </Alert>
          )}
          <ErrorAlert error={error} />
          {saved && (
            <Alert color="green" role="status">
              {t('common.saved')}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy} data-testid="save-event">
              {event ? t('events.editor.save') : t('events.editor.create')}
            </Button>
            <ButtonLink to={event ? '/events/$id' : '/events'} params={event ? { id: event.id } : undefined} variant="default">
              {t('common.cancel')}
            </ButtonLink>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** The registration form's own questions: text, a choice (one option per line) or yes/no, each required or not. */
function QuestionsEditor({ questions, problems, onChange, setQuestion }: { questions: QuestionForm[]; problems: Problem[]; onChange: (q: QuestionForm[]) => void; setQuestion: (i: number, q: Partial<QuestionForm>) => void }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const move = (i: number, by: -1 | 1) => {
    const next = [...questions];
    const [q] = next.splice(i, 1);
    next.splice(i + by, 0, q!);
    onChange(next);
  };
  return (
    <Stack gap="sm" component="section" aria-labelledby="questions-title">
      <Title order={3} size="h5" id="questions-title">
        {t('events.editor.questions')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('events.editor.questionsHelp')}
      </Text>
      {questions.map((q, i) => (
        <Paper key={q.id} withBorder p="sm" data-testid="question">
          <Stack gap="xs">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('events.editor.questionLabel', { n: i + 1 })} required value={q.label} onChange={(x) => setQuestion(i, { label: x.currentTarget.value })} error={problemText(problems, `questions.${i}.label`)} />
              <Select
                label={t('events.editor.questionType')}
                data={(['text', 'choice', 'yes-no'] as Question['type'][]).map((k) => ({ value: k, label: t(`events.editor.questionTypes.${k}`) }))}
                value={q.type}
                allowDeselect={false}
                onChange={(v) => v && setQuestion(i, { type: v as Question['type'] })}
              />
            </SimpleGrid>
            {q.type === 'choice' && (
              <Textarea label={t('events.editor.options')} description={t('events.editor.optionsHelp')} autosize minRows={2} value={q.options} onChange={(x) => setQuestion(i, { options: x.currentTarget.value })} error={problemText(problems, `questions.${i}.options`)} />
            )}
            <Group gap="sm">
              <Checkbox label={t('events.editor.questionRequired')} checked={q.required} onChange={(x) => setQuestion(i, { required: x.currentTarget.checked })} />
              <Button size="compact-sm" variant="subtle" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('events.editor.moveUp', { n: i + 1 })}>
                ↑
              </Button>
              <Button size="compact-sm" variant="subtle" disabled={i === questions.length - 1} onClick={() => move(i, 1)} aria-label={t('events.editor.moveDown', { n: i + 1 })}>
                ↓
              </Button>
              <Button size="compact-sm" variant="subtle" color="red.9" onClick={() => onChange(questions.filter((_, k) => k !== i))} aria-label={t('events.editor.removeQuestion', { n: i + 1 })}>
                {t('common.remove')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      ))}
      {problemText(problems, 'questions') && (
        <Text c="red" size="sm" role="alert">
          {problemText(problems, 'questions')}
        </Text>
      )}
      <Button variant="light" w="fit-content" disabled={questions.length >= EVENT_LIMITS.questions} onClick={() => onChange([...questions, { id: newQuestionId(questions), label: '', type: 'text', required: false, options: '' }])}>
        {t('events.editor.addQuestion')}
      </Button>
    </Stack>
  );
}

// ---------- the timetable ----------

/** Times of one session on the event's clock ("Tue 13 Apr, 09:00–10:30"). */
function useEventClock(timeZone: string) {
  const { lang } = useLabels();
  return useMemo(() => {
    const day = new Intl.DateTimeFormat(lang, { timeZone, weekday: 'short', day: 'numeric', month: 'short' });
    const time = new Intl.DateTimeFormat(lang, { timeZone, hour: '2-digit', minute: '2-digit' });
    return (start: string, end: string) => `${day.format(new Date(start))}, ${time.format(new Date(start))}–${time.format(new Date(end))}`;
  }, [lang, timeZone]);
}

/** Sessions with their rooms, speakers and interpretation, on the event's clock; each must lie within the event. */
function TimetableEditor({ e, onChange }: { e: EventDetail; onChange: (e: EventDetail) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const clock = useEventClock(e.timeZone);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const remove = async (sessionId: string) => {
    setError(null);
    try {
      onChange(await api.del<EventDetail>(`/api/v1/events/${e.id}/sessions/${sessionId}`));
    } catch (x) {
      setError(x);
    }
  };
  return (
    <Stack gap="md">
      <Text size="sm">{t('events.timetableEditor.help', { zone: timeZoneLabel(e.timeZone, labels.lang), when: clock(e.startsAt, e.endsAt) })}</Text>
      <ErrorAlert error={error} />
      <DataTable
        caption={t('events.timetableEditor.caption', { count: e.sessions.length })}
        columns={[t('events.columns.time'), t('events.columns.session'), t('events.columns.room'), t('events.columns.speakers'), t('events.columns.interpretation'), t('events.columns.actions')]}
        rows={e.sessions}
        empty={t('events.timetableEditor.none')}
        minWidth={860}
      >
        {(s) => (
          <Table.Tr key={s.id} data-testid="timetable-row">
            <Table.Td>{clock(s.startsAt, s.endsAt)}</Table.Td>
            <Table.Td lang={s.titleLanguage}>
              {s.status === 'cancelled' ? <s>{s.title}</s> : s.title}
              {s.status === 'cancelled' && (
                <StatusBadge color="red" ml="xs">
                  {t('events.sessionCancelled')}
                </StatusBadge>
              )}
            </Table.Td>
            <Table.Td>{s.room || '—'}</Table.Td>
            <Table.Td>{s.speakers.map((x) => x.name).join(', ') || '—'}</Table.Td>
            <Table.Td>{s.interpretation.map((l) => labels.language(l)).join(', ') || '—'}</Table.Td>
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                <Button size="compact-sm" variant="default" onClick={() => setEditing(s.id)} aria-label={t('events.timetableEditor.editFor', { title: s.title })}>
                  {t('events.timetableEditor.edit')}
                </Button>
                <Button size="compact-sm" variant="subtle" color="red.9" onClick={() => void remove(s.id)} aria-label={t('events.timetableEditor.removeFor', { title: s.title })}>
                  {t('common.remove')}
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        )}
      </DataTable>
      {editing === null ? (
        <Button variant="light" w="fit-content" onClick={() => setEditing('new')} data-testid="add-session">
          {t('events.timetableEditor.add')}
        </Button>
      ) : (
        <SessionEditor
          key={editing}
          e={e}
          session={editing === 'new' ? undefined : e.sessions.find((s) => s.id === editing)}
          onDone={(next) => {
            if (next) onChange(next);
            setEditing(null);
          }}
        />
      )}
    </Stack>
  );
}

function SessionEditor({ e, session, onDone }: { e: EventDetail; session?: EventDetail['sessions'][number]; onDone: (e: EventDetail | null) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const problemText = useProblemText();
  const [form, setForm] = useState<SessionForm>(() => (session ? sessionFormOf(session, e) : emptySessionForm(e)));
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ref = useRef<HTMLFormElement>(null);
  const problems = sessionProblems(form, e);
  const shown = checked ? problems : [];
  const set = <K extends keyof SessionForm>(k: K, v: SessionForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const otherLanguages = UI_LANGUAGES.filter((l) => l !== e.language.split('-')[0]);
  const zone = timeZoneLabel(e.timeZone, labels.lang);
  const submit = async (x: FormEvent) => {
    x.preventDefault();
    x.stopPropagation();
    setChecked(true);
    setError(null);
    if (problems.length) return focusFirstInvalid(ref.current);
    setBusy(true);
    try {
      const body = sessionBody(form, e.timeZone);
      onDone(session ? await api.patch<EventDetail>(`/api/v1/events/${e.id}/sessions/${session.id}`, body) : await api.post<EventDetail>(`/api/v1/events/${e.id}/sessions`, body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" maw={920}>
      <form onSubmit={(x) => void submit(x)} noValidate ref={ref} aria-label={session ? t('events.timetableEditor.editTitle') : t('events.timetableEditor.addTitle')} data-testid="session-form">
        <Stack>
          <Title order={3} size="h5">
            {session ? t('events.timetableEditor.editTitle') : t('events.timetableEditor.addTitle')}
          </Title>
          <TextInput label={t('events.timetableEditor.title', { language: labels.language(e.language) })} required value={form.title} onChange={(x) => set('title', x.currentTarget.value)} error={problemText(shown, 'title')} lang={e.language} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {otherLanguages.map((l) => (
              <TextInput key={l} label={t('events.timetableEditor.titleIn', { language: labels.language(l) })} value={form.titles[l] ?? ''} onChange={(x) => set('titles', { ...form.titles, [l]: x.currentTarget.value })} lang={l} />
            ))}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('events.timetableEditor.startsAt')} description={t('events.editor.onClock', { zone })} type="datetime-local" required value={form.startsAt} onChange={(x) => set('startsAt', x.currentTarget.value)} error={problemText(shown, 'startsAt')} />
            <TextInput label={t('events.timetableEditor.endsAt')} description={t('events.editor.onClock', { zone })} type="datetime-local" required value={form.endsAt} onChange={(x) => set('endsAt', x.currentTarget.value)} error={problemText(shown, 'endsAt')} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('events.columns.room')} value={form.room} onChange={(x) => set('room', x.currentTarget.value)} error={problemText(shown, 'room')} />
            <Select
              label={t('events.timetableEditor.status')}
              data={(['scheduled', 'cancelled'] as const).map((s) => ({ value: s, label: t(`events.timetableEditor.statuses.${s}`) }))}
              value={form.status}
              allowDeselect={false}
              onChange={(v) => v && set('status', v as SessionForm['status'])}
            />
          </SimpleGrid>
          <Textarea label={t('events.columns.speakers')} description={t('events.timetableEditor.speakersHelp')} autosize minRows={2} value={form.speakers} onChange={(x) => set('speakers', x.currentTarget.value)} error={problemText(shown, 'speakers')} />
          <MultiSelect
            label={t('events.columns.interpretation')}
            description={t('events.timetableEditor.interpretationHelp')}
            data={[...new Set([...UI_LANGUAGES, ...form.interpretation])].map((l) => ({ value: l, label: labels.language(l) }))}
            value={form.interpretation}
            onChange={(v) => set('interpretation', v)}
            clearable
            error={problemText(shown, 'interpretation')}
          />
          <ErrorAlert error={error} />
          <Group>
            <Button type="submit" loading={busy} data-testid="save-session">
              {session ? t('events.timetableEditor.save') : t('events.timetableEditor.addButton')}
            </Button>
            <Button variant="default" onClick={() => onDone(null)}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

// ---------- materials ----------

/** Send a file as material: the raw body, its name, title and marking in the query (the route checks its type from the content). */
async function uploadMaterial(eventId: string, file: File, meta: { title: string; sessionId: string | null; tlp: string; pap: string; audience: { organisations: string[]; communities: string[]; people: string[] } }) {
  const q = new URLSearchParams({ name: file.name, title: meta.title, tlp: meta.tlp, pap: meta.pap });
  if (meta.sessionId) q.set('sessionId', meta.sessionId);
  for (const k of ['organisations', 'communities', 'people'] as const) for (const id of meta.audience[k]) q.append(k, id);
  const res = await fetch(`/api/v1/events/${eventId}/materials/file?${q.toString()}`, {
    method: 'POST',
    headers: { 'Content-Type': file.type || 'application/octet-stream', 'X-CSRF-Token': getCsrfToken() ?? '', Accept: 'application/json' },
    body: file,
    credentials: 'same-origin',
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: unknown } };
    throw new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? res.statusText, body.error?.details);
  }
}

/** Links and files for the event or one session, each with its own marking: a reader sees one only if both the event and the material allow them. */
function MaterialsEditor({ e, onChange }: { e: EventDetail; onChange: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'link' | 'file'>('link');
  const [title, setTitle] = useState('');
  const [url, setUrl] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [marking, setMarking] = useState<Marking>({ tlp: e.tlp, pap: e.pap, audience: e.audience ?? EMPTY_AUDIENCE });
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const sessionTitle = (id: string | null) => (id ? (e.sessions.find((s) => s.id === id)?.title ?? '—') : t('events.materialsEditor.wholeEvent'));
  const titleProblem = checked && !title.trim() ? t('events.problem.required') : undefined;
  const urlProblem = checked && kind === 'link' && !/^https?:\/\/\S+$/.test(url.trim()) ? t('events.problem.link') : undefined;
  const fileProblem = checked && kind === 'file' && !file ? t('events.problem.required') : undefined;
  const add = async (x: FormEvent) => {
    x.preventDefault();
    setChecked(true);
    setError(null);
    if (!title.trim() || (kind === 'link' ? !/^https?:\/\/\S+$/.test(url.trim()) : !file)) return;
    setBusy(true);
    const m = { title: title.trim(), sessionId, tlp: marking.tlp, pap: marking.pap, audience: audienceFor(marking.tlp, marking.audience) };
    try {
      if (kind === 'link') await api.post(`/api/v1/events/${e.id}/materials`, { ...m, url: url.trim() });
      else await uploadMaterial(e.id, file!, m);
      setTitle('');
      setUrl('');
      setFile(null);
      setChecked(false);
      onChange();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (materialId: string) => {
    setError(null);
    try {
      await api.del(`/api/v1/events/${e.id}/materials/${materialId}`);
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack gap="md">
      <Text size="sm">{t('events.materialsEditor.help')}</Text>
      <DataTable
        caption={t('events.materialsEditor.caption', { count: e.materials.length })}
        columns={[t('events.materialsEditor.material'), t('events.materialsEditor.for'), t('events.materialsEditor.marking'), t('events.columns.actions')]}
        rows={e.materials}
        empty={t('events.materialsEditor.none')}
        minWidth={720}
      >
        {(m) => (
          <Table.Tr key={m.id} data-testid="material-row">
            <Table.Td>
              <a href={m.url ?? `/api/v1/event-materials/${m.id}`} target={m.url ? '_blank' : undefined} rel="noopener noreferrer">
                {m.title}
              </a>
              <Text size="xs" c="dimmed">
                {m.url ? t('events.materialsEditor.link') : (m.fileName ?? t('events.materialsEditor.file'))}
              </Text>
            </Table.Td>
            <Table.Td>{sessionTitle(m.sessionId)}</Table.Td>
            <Table.Td>
              <TlpBadge tlp={m.tlp} size="sm" />
            </Table.Td>
            <Table.Td>
              <Button size="compact-sm" variant="subtle" color="red.9" onClick={() => void remove(m.id)} aria-label={t('events.materialsEditor.removeFor', { title: m.title })}>
                {t('common.remove')}
              </Button>
            </Table.Td>
          </Table.Tr>
        )}
      </DataTable>
      <Paper withBorder p="md" maw={920}>
        <form onSubmit={(x) => void add(x)} noValidate aria-label={t('events.materialsEditor.addTitle')} data-testid="material-form">
          <Stack>
            <Title order={3} size="h5">
              {t('events.materialsEditor.addTitle')}
            </Title>
            <SegmentedControl
              value={kind}
              onChange={(v) => setKind(v as 'link' | 'file')}
              data={[
                { value: 'link', label: t('events.materialsEditor.link') },
                { value: 'file', label: t('events.materialsEditor.file') },
              ]}
              aria-label={t('events.materialsEditor.kind')}
              w="fit-content"
            />
            <TextInput label={t('events.materialsEditor.title')} required value={title} onChange={(x) => setTitle(x.currentTarget.value)} error={titleProblem} />
            {kind === 'link' ? (
              <TextInput label={t('events.materialsEditor.url')} type="url" placeholder="https://" required value={url} onChange={(x) => setUrl(x.currentTarget.value)} error={urlProblem} />
            ) : (
              <FileInput label={t('events.materialsEditor.fileLabel')} description={t('events.materialsEditor.fileHelp')} required value={file} onChange={setFile} clearable error={fileProblem} />
            )}
            <Select
              label={t('events.materialsEditor.for')}
              data={[{ value: '', label: t('events.materialsEditor.wholeEvent') }, ...e.sessions.map((s) => ({ value: s.id, label: s.title }))]}
              value={sessionId ?? ''}
              allowDeselect={false}
              onChange={(v) => setSessionId(v || null)}
            />
            <Fieldset legend={t('events.materialsEditor.marking')} variant="unstyled">
              <Stack gap="xs">
                <Text size="sm" c="dimmed">
                  {t('events.materialsEditor.markingHelp')}
                </Text>
                <MarkingFields value={marking} onChange={setMarking} />
              </Stack>
            </Fieldset>
            <ErrorAlert error={error} />
            <Button type="submit" loading={busy} w="fit-content" data-testid="add-material">
              {t('events.materialsEditor.add')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}

// ---------- translations ----------

/** The title, description and agenda in the other languages (the library's translation editor); sessions' titles are in the timetable. */
function EventTranslations({ e, onChange }: { e: EventDetail; onChange: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [open, setOpen] = useState(false);
  const others = e.translation.versions.filter((v) => !v.source);
  return (
    <Stack gap="md">
      <Text size="sm">{t('events.translationsEditor.help', { language: labels.language(e.language) })}</Text>
      {others.length ? (
        <Text size="sm">
          {t('events.translationsEditor.existing')}{' '}
          {others.map((v) => `${labels.language(v.language)}${v.machine ? ` (${t('translation.machine')})` : v.outdated ? ` (${t('translation.outdatedShort')})` : ''}`).join(' · ')}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          {t('events.translationsEditor.none')}
        </Text>
      )}
      {open ? (
        <TranslationEditor
          info={e.translation}
          fields={[
            { name: 'title', label: t('events.editor.title') },
            { name: 'description', label: t('events.editor.description'), multiline: true },
            { name: 'agenda', label: t('events.editor.agenda'), multiline: true },
          ]}
          load={async (l) => {
            const v = await api.get<EventDetail>(`/api/v1/events/${e.id}${qs({ lang: l })}`);
            return v.translation.shown === l ? { title: v.title, description: v.description, agenda: v.agenda } : null;
          }}
          save={async (l, values, machine) => {
            await api.put(`/api/v1/events/${e.id}/translations/${l}`, { title: values.title ?? '', description: values.description ?? '', agenda: values.agenda ?? '', machine, basedOn: e.revision });
            onChange();
          }}
          remove={async (l) => {
            await api.del(`/api/v1/events/${e.id}/translations/${l}`);
            onChange();
          }}
          onDone={() => setOpen(false)}
        />
      ) : (
        <Button variant="light" w="fit-content" onClick={() => setOpen(true)} data-testid="translate-event">
          {t('events.translationsEditor.open')}
        </Button>
      )}
    </Stack>
  );
}
