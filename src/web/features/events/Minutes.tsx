import { Alert, Button, Group, List, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { focusFirstInvalid } from '../../components/EditorGate';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { OrganisationSelect } from '../../components/OrganisationSelect';
import { Loading, Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import type { EventDetail, RecordLink } from './api';
import { MINUTES_LIMITS, minutesBody, minutesProblems, type CommitmentForm, type MinutesForm } from './editor';

/**
 * "Write the minutes" (`/events/$id/minutes`), for the organisers once the event is over: the
 * minutes and the commitments agreed there become a draft activity record of the organisation
 * that wrote the event, with the event's marking, prefilled with its title, dates, place,
 * participating organisations and concepts; the record is then edited, proposed and published
 * as every record is (features/records).
 */
export function EventMinutesPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const { id } = useParams({ strict: false }) as { id: string };
  const ev = useApi<EventDetail>(`/api/v1/events/${id}`);
  const [form, setForm] = useState<MinutesForm>({ minutes: '', commitments: [] });
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ref = useRef<HTMLFormElement>(null);
  const e = ev.data;
  if (ev.error)
    return (
      <Page title={t('events.minutes.title')}>
        <ErrorAlert error={ev.error} />
      </Page>
    );
  if (!e) return <Loading />;
  if (e.record)
    return (
      <Page title={t('events.minutes.title')}>
        <Alert color="green">{t('events.minutes.done')}</Alert>
        <AppLink to="/records/$slug" params={{ slug: e.record.slug }} data-testid="minutes-record">
          {e.record.title}
        </AppLink>
      </Page>
    );
  if (!e.can.writeMinutes)
    return (
      <Page title={t('events.minutes.title')}>
        <Alert color="gray">{!e.can.manage ? t('events.minutes.organisersOnly') : e.status !== 'published' ? t('events.minutes.notPublished') : new Date(e.endsAt) > new Date() ? t('events.minutes.notOver', { date: labels.dateTime(e.endsAt) }) : t('events.minutes.writingOrganisation')}</Alert>
        <AppLink to="/events/$id" params={{ id: e.id }}>
          {t('events.editor.backToEvent')}
        </AppLink>
      </Page>
    );

  const problems = minutesProblems(form);
  const shown = checked ? problems : [];
  const server = error instanceof ApiError ? ((error.details as { field?: string } | undefined)?.field ?? null) : null;
  const message = (field: string) => {
    const p = shown.find((x) => x.field === field);
    if (p) return t(`events.problem.${p.problem}`, { limit: p.limit !== undefined ? new Intl.NumberFormat(labels.lang).format(p.limit) : '' });
    return server === field ? t('events.minutes.refused') : undefined;
  };
  const setCommitment = (i: number, c: Partial<CommitmentForm>) => setForm((f) => ({ ...f, commitments: f.commitments.map((x, k) => (k === i ? { ...x, ...c } : x)) }));
  const submit = async (x: FormEvent) => {
    x.preventDefault();
    setChecked(true);
    setError(null);
    if (problems.length) return focusFirstInvalid(ref.current);
    setBusy(true);
    try {
      const made = await api.post<RecordLink>(`/api/v1/events/${e.id}/record`, minutesBody(form));
      await navigate({ to: '/records/$slug', params: { slug: made.slug } });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === 'ALREADY_EXISTS') ev.reload();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('events.minutes.title')}>
      <Text lang={e.translation.shown} fw={600}>
        <AppLink to="/events/$id" params={{ id: e.id }}>
          {e.title}
        </AppLink>
      </Text>
      <Text>{t('events.minutes.intro')}</Text>
      <Paper withBorder p="sm" maw={920}>
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('events.minutes.prefilled')}
          </Text>
          <List size="sm">
            <List.Item>{t('events.minutes.fromTitle', { title: e.title })}</List.Item>
            <List.Item>{t('events.minutes.fromDates', { when: `${labels.date(e.startsAt)} – ${labels.date(e.endsAt)}` })}</List.Item>
            <List.Item>{t('events.minutes.fromParticipants')}</List.Item>
            <List.Item>
              <Group gap={4} component="span">
                {t('events.minutes.fromMarking')} <TlpBadge tlp={e.tlp} size="sm" />
              </Group>
            </List.Item>
          </List>
        </Stack>
      </Paper>
      <Paper withBorder p={{ base: 'sm', sm: 'lg' }} maw={920}>
        <form onSubmit={(x) => void submit(x)} noValidate ref={ref} aria-label={t('events.minutes.title')} data-testid="minutes-form">
          <Stack>
            <Textarea
              label={t('events.minutes.minutes')}
              description={t('events.minutes.minutesHelp', { max: new Intl.NumberFormat(labels.lang).format(MINUTES_LIMITS.minutes) })}
              required
              autosize
              minRows={10}
              maxRows={30}
              value={form.minutes}
              onChange={(x) => setForm({ ...form, minutes: x.currentTarget.value })}
              error={message('minutes')}
              lang={e.language}
              name="minutes"
            />
            <Stack gap="sm" component="section" aria-labelledby="commitments-title">
              <Title order={2} size="h4" id="commitments-title">
                {t('events.minutes.commitments')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('events.minutes.commitmentsHelp')}
              </Text>
              {form.commitments.map((c, i) => (
                <Paper key={i} withBorder p="sm" data-testid="commitment">
                  <Stack gap="xs">
                    <TextInput label={t('events.minutes.commitmentText', { n: i + 1 })} required value={c.text} onChange={(x) => setCommitment(i, { text: x.currentTarget.value })} error={message(`commitments.${i}.text`)} lang={e.language} />
                    <SimpleGrid cols={{ base: 1, sm: 2 }}>
                      <OrganisationSelect label={t('events.minutes.owner')} required value={c.ownerOrgId} onChange={(v) => setCommitment(i, { ownerOrgId: v })} clearable error={message(`commitments.${i}.ownerOrgId`)} />
                      <TextInput label={t('events.minutes.due')} type="date" value={c.due} onChange={(x) => setCommitment(i, { due: x.currentTarget.value })} error={message(`commitments.${i}.due`)} />
                    </SimpleGrid>
                    <Button size="compact-sm" variant="subtle" color="red.9" w="fit-content" onClick={() => setForm({ ...form, commitments: form.commitments.filter((_, k) => k !== i) })} aria-label={t('events.minutes.removeCommitment', { n: i + 1 })}>
                      {t('common.remove')}
                    </Button>
                  </Stack>
                </Paper>
              ))}
              {message('commitments') && (
                <Text c="red" size="sm" role="alert">
                  {message('commitments')}
                </Text>
              )}
              <Button variant="light" w="fit-content" disabled={form.commitments.length >= MINUTES_LIMITS.commitments} onClick={() => setForm({ ...form, commitments: [...form.commitments, { text: '', ownerOrgId: null, due: '' }] })} data-testid="add-commitment">
                {t('events.minutes.addCommitment')}
              </Button>
            </Stack>
            {checked && problems.length > 0 && (
              <Alert color="red" role="alert" title={t('events.editor.problemsTitle')}>
                {t('events.editor.problems', { count: problems.length })}
              </Alert>
            )}
            <ErrorAlert error={error} />
            <Group>
              <Button type="submit" loading={busy} data-testid="save-minutes">
                {t('events.minutes.create')}
              </Button>
              <ButtonLink to="/events/$id" params={{ id: e.id }} variant="default">
                {t('common.cancel')}
              </ButtonLink>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Page>
  );
}
