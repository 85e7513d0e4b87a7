import { Alert, Button, Card, Checkbox, Group, Modal, Select, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterPanel } from '../../components/FilterPanel';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { APPLICATION_STATUSES, LIMITS, SELECTION_MODES, type Application, type OfferApplications, type SelectionMode } from './api';
import { draftOfQuestion, QuestionEditor, questionOfDraft, type QuestionDraft } from './ApplyPanel';
import { activeApplicationFilters, offerApplicationsPath, type ApplicationsSearch } from './search';
import { ApplicationStatusBadge } from './shared';

type Decision = 'select' | 'waitlist' | 'not-select';

/** How the offer selects and what it asks: the provider's settings. */
function Settings({ data, onSaved }: { data: OfferApplications; onSaved: () => void }) {
  const { t } = useTranslation();
  const [selection, setSelection] = useState<SelectionMode>(data.offer.selection);
  const [waitlist, setWaitlist] = useState(data.offer.waitlist);
  const [questions, setQuestions] = useState<QuestionDraft[]>(data.offer.questions.map(draftOfQuestion));
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await api.put(`/api/v1/offers/${data.offer.id}/application-settings`, { selection, waitlist, questions: questions.map(questionOfDraft) });
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const nextId = () => {
    for (let i = questions.length + 1; ; i++) if (!questions.some((q) => q.id === `q${i}`)) return `q${i}`;
  };
  return (
    <Card withBorder component="section" aria-labelledby="settings-title">
      <form onSubmit={(e) => void submit(e)}>
        <Stack gap="sm">
          <Title order={2} size="h3" id="settings-title">
            {t('applications.settings.title')}
          </Title>
          <Group align="flex-end" wrap="wrap">
            <Select
              label={t('applications.settings.selection')}
              data={SELECTION_MODES.map((m) => ({ value: m, label: t(`applications.selection.${m}`) }))}
              value={selection}
              onChange={(v) => setSelection((v as SelectionMode) ?? 'by-criteria')}
              allowDeselect={false}
              w={280}
            />
            <Switch label={t('applications.settings.waitlist')} checked={waitlist} onChange={(e) => setWaitlist(e.currentTarget.checked)} mb={8} />
          </Group>
          <Text size="sm" c="dimmed">
            {t(`applications.selection.${selection}Help`)}
          </Text>
          <Text fw={600} size="sm">
            {t('applications.settings.questions')}
          </Text>
          {questions.map((q, i) => (
            <QuestionEditor key={q.id} d={q} onChange={(d) => setQuestions((qs) => qs.map((x, j) => (j === i ? d : x)))} onRemove={() => setQuestions((qs) => qs.filter((_, j) => j !== i))} />
          ))}
          <Group>
            <Button variant="default" disabled={questions.length >= LIMITS.questions} onClick={() => setQuestions((qs) => [...qs, { id: nextId(), label: '', type: 'text', options: '', required: false }])}>
              {t('applications.settings.addQuestion')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Group>
          {saved && <Text size="sm">{t('applications.settings.saved')}</Text>}
          <ErrorAlert error={error} />
        </Stack>
      </form>
    </Card>
  );
}

/** The decision on one application: select, waitlist or not select, against the stated criteria. */
function DecisionForm({ a, criteria, decision, onDone, onCancel }: { a: Application; criteria: string; decision: Decision; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/applications/${a.id}/decision`, { decision, reason });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack>
        {criteria.trim() && (
          <Alert color="gray" title={t('applications.provider.criteria')}>
            <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
              {criteria}
            </Text>
          </Alert>
        )}
        <Textarea
          label={t('applications.provider.reason')}
          description={decision === 'not-select' ? t('applications.provider.reasonRequired') : t('applications.provider.reasonOptional')}
          required={decision === 'not-select'}
          autosize
          minRows={2}
          maxLength={LIMITS.reason}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} color={decision === 'not-select' ? 'red.9' : undefined}>
            {t(`applications.provider.decisions.${decision}`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** What the provider may do with one application now. */
function Actions({ a, onDecide, onChange }: { a: Application; onDecide: (d: Decision) => void; onChange: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const begun = Date.parse(a.session.startsAt) <= Date.now();
  const put = async (path: 'attendance' | 'completion', body: Record<string, unknown>) => {
    setError(null);
    try {
      await api.put(`/api/v1/applications/${a.id}/${path}`, body);
      onChange();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Stack gap={4}>
      {a.can.decide && (
        <Group gap={4} wrap="wrap">
          <Button size="compact-xs" onClick={() => onDecide('select')} aria-label={t('applications.provider.selectOne', { name: a.applicant.name })}>
            {t('applications.provider.decisions.select')}
          </Button>
          {a.status !== 'waitlisted' && (
            <Button size="compact-xs" variant="default" onClick={() => onDecide('waitlist')} aria-label={t('applications.provider.waitlistOne', { name: a.applicant.name })}>
              {t('applications.provider.decisions.waitlist')}
            </Button>
          )}
          <Button size="compact-xs" variant="outline" color="red.9" onClick={() => onDecide('not-select')} aria-label={t('applications.provider.notSelectOne', { name: a.applicant.name })}>
            {t('applications.provider.decisions.not-select')}
          </Button>
        </Group>
      )}
      {a.can.attend && begun && (
        <Group gap="xs" wrap="wrap">
          <Checkbox size="xs" label={t('applications.provider.attended')} checked={a.attended === true} onChange={(e) => void put('attendance', { attended: e.currentTarget.checked })} aria-label={t('applications.provider.attendedOne', { name: a.applicant.name })} />
          <Checkbox
            size="xs"
            label={t('applications.provider.completed')}
            checked={a.completed === true}
            disabled={a.attended !== true}
            onChange={(e) => void put('completion', { completed: e.currentTarget.checked })}
            aria-label={t('applications.provider.completedOne', { name: a.applicant.name })}
          />
        </Group>
      )}
      {a.can.attend && !begun && (
        <Text size="xs" c="dimmed">
          {t('applications.provider.notBegun')}
        </Text>
      )}
      {a.certificate && !a.certificate.revoked && a.certificate.url && (
        <a href={a.certificate.url} style={{ fontSize: 12 }}>
          {t('applications.provider.certificate')}
        </a>
      )}
      <ErrorAlert error={error} />
    </Stack>
  );
}

/** The provider's applications to an offer (`/offers/{id}/applications`): per session, with filters in the address. */
export function ProviderApplicationsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const { id } = useParams({ strict: false }) as { id: string };
  const search = useSearch({ strict: false }) as ApplicationsSearch;
  const res = useApi<OfferApplications>(offerApplicationsPath(id, search));
  const [q, setQ] = useState(search.q ?? '');
  const [deciding, setDeciding] = useState<{ a: Application; d: Decision } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setQ(search.q ?? ''), [search.q]);
  const setSearch = (patch: Partial<ApplicationsSearch>) => void navigate({ to: '/offers/$id/applications', params: { id }, search: { ...search, ...patch } as never, replace: true });
  const data = res.data;
  if (res.loading && !data) return <Loading />;
  if (!data)
    return (
      <Page title={t('applications.provider.title')}>
        <ErrorAlert error={res.error} />
      </Page>
    );
  const cancel = async (sessionId: string) => {
    setError(null);
    try {
      await api.post(`/api/v1/offers/${data.offer.id}/sessions/${sessionId}/cancel`);
      res.reload();
    } catch (e) {
      setError(e);
    }
  };
  const when = (s: { startsAt: string }) => labels.dateTime(s.startsAt);
  return (
    <Page title={t('applications.provider.titleFor', { title: data.offer.title })}>
      <Group gap="md">
        <AppLink to="/offers/$id" params={{ id: data.offer.slug }}>
          {t('applications.provider.backToOffer')}
        </AppLink>
        <ButtonLink to="/offers/$id/outcomes" params={{ id: data.offer.slug }} variant="default" size="compact-sm">
          {t('applications.outcomes.open')}
        </ButtonLink>
      </Group>
      {!data.can.manage && <Alert color="gray">{t('applications.provider.readOnly')}</Alert>}
      {data.can.manage && <Settings data={data} onSaved={res.reload} />}
      <ErrorAlert error={error} />
      <DataTable
        caption={t('applications.provider.sessionsCaption')}
        columns={[t('applications.session.when'), t('applications.session.freeSeats'), t('applications.provider.counts'), ...(data.can.manage ? [t('applications.provider.actions')] : [])]}
        rows={data.sessions}
      >
        {(s) => (
          <Table.Tr key={s.id}>
            <Table.Td>
              {when(s)}
              {s.cancelled && (
                <Text size="xs" c="red.9">
                  {t('applications.session.cancelled')}
                </Text>
              )}
            </Table.Td>
            <Table.Td>{t('applications.session.seats', { count: s.seats, free: s.freeSeats })}</Table.Td>
            <Table.Td>
              {APPLICATION_STATUSES.filter((x) => s.counts[x])
                .map((x) => `${t(`applications.status.${x}`)}: ${s.counts[x]}`)
                .join(' · ') || '—'}
            </Table.Td>
            {data.can.manage && (
              <Table.Td>
                {!s.cancelled && Date.parse(s.endsAt) > Date.now() && (
                  <Button size="compact-xs" variant="outline" color="red.9" onClick={() => void cancel(s.id)} aria-label={t('applications.provider.cancelOne', { when: when(s) })}>
                    {t('applications.provider.cancelSession')}
                  </Button>
                )}
              </Table.Td>
            )}
          </Table.Tr>
        )}
      </DataTable>
      <FilterPanel active={activeApplicationFilters(search)}>
        <Group align="flex-end" wrap="wrap">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setSearch({ q: q.trim() || undefined });
            }}
          >
            <TextInput label={t('applications.provider.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} onBlur={() => setSearch({ q: q.trim() || undefined })} w={240} />
          </form>
          <Select
            label={t('applications.provider.session')}
            data={data.sessions.map((s) => ({ value: s.id, label: when(s) }))}
            value={search.session ?? null}
            onChange={(v) => setSearch({ session: v ?? undefined })}
            clearable
            w={240}
          />
          <Select
            label={t('applications.provider.status')}
            data={APPLICATION_STATUSES.map((x) => ({ value: x, label: t(`applications.status.${x}`) }))}
            value={search.status ?? null}
            onChange={(v) => setSearch({ status: v ?? undefined })}
            clearable
            w={220}
          />
        </Group>
      </FilterPanel>
      <DataTable
        caption={t('applications.provider.caption', { count: data.items.length })}
        columns={[t('applications.provider.applicant'), t('applications.session.when'), t('applications.provider.statusColumn'), t('applications.provider.application'), t('applications.provider.actions')]}
        rows={data.items}
        empty={t('applications.provider.none')}
        minWidth={900}
      >
        {(a) => (
          <Table.Tr key={a.id} data-testid="provider-application">
            <Table.Td>
              <Text size="sm" fw={600}>
                {a.applicant.name}
              </Text>
              <Text size="xs">
                {a.applicant.organisation.name} · {labels.country(a.applicant.country)}
              </Text>
              {a.applicant.email && <Text size="xs">{a.applicant.email}</Text>}
            </Table.Td>
            <Table.Td>{when(a.session)}</Table.Td>
            <Table.Td>
              <ApplicationStatusBadge status={a.status} position={a.waitlistPosition} />
              {a.endorsement && (
                <Text size="xs" c="dimmed">
                  {t('applications.provider.endorsedOn', { date: labels.date(a.endorsement.at) })}
                </Text>
              )}
              {a.decisionReason && <Text size="xs">{a.decisionReason}</Text>}
            </Table.Td>
            <Table.Td>
              {a.motivation ? (
                <details>
                  <summary>{t('applications.provider.motivation')}</summary>
                  <Text size="xs" style={{ whiteSpace: 'pre-line' }}>
                    {a.motivation}
                  </Text>
                </details>
              ) : (
                '—'
              )}
              {Object.entries(a.answers).map(([k, v]) => (
                <Text size="xs" key={k}>
                  {`${data.offer.questions.find((x) => x.id === k)?.label ?? k}: ${typeof v === 'boolean' ? (v ? t('applications.yes') : t('applications.no')) : v}`}
                </Text>
              ))}
            </Table.Td>
            <Table.Td>
              <Actions a={a} onDecide={(d) => setDeciding({ a, d })} onChange={res.reload} />
            </Table.Td>
          </Table.Tr>
        )}
      </DataTable>
      <Modal opened={deciding !== null} onClose={() => setDeciding(null)} title={deciding ? t(`applications.provider.decisionTitle.${deciding.d}`, { name: deciding.a.applicant.name }) : ''} size="lg">
        {deciding && (
          <DecisionForm
            a={deciding.a}
            criteria={data.offer.selectionCriteria}
            decision={deciding.d}
            onCancel={() => setDeciding(null)}
            onDone={() => {
              setDeciding(null);
              res.reload();
            }}
          />
        )}
      </Modal>
    </Page>
  );
}
