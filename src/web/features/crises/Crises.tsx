import { Button, Card, Group, MultiSelect, Select, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { useCountryOptions } from '../../components/CountrySelect';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterPanel } from '../../components/FilterPanel';
import { useLabels } from '../../components/labels';
import { OrganisationSelect } from '../../components/OrganisationSelect';
import { Loading, Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { hasRole, useSession } from '../../session';
import { CRISIS_LEVELS, NIS2_SECTORS } from '#shared/incidents';
import { CRISIS_LIMITS } from '#shared/crises';
import type { CrisisAlert, CrisisListItem, CrisisRoom } from './api';
import { activeCrisisFilters, crisesListPath, validateCrisesSearch, type CrisesSearch } from './search';

const LEVEL_COLOR: Record<string, string> = { normal: 'gray', elevated: 'yellow', serious: 'red', crisis: 'red' };

/** The level as a badge in words, never by colour alone. */
export function LevelBadge({ level }: { level: string }) {
  const { t } = useTranslation();
  return (
    <StatusBadge color={LEVEL_COLOR[level] ?? 'gray'} data-testid="crisis-level">
      {t('crises.level.label', { level: t(`crises.levels.${level}`) })}
    </StatusBadge>
  );
}

/** Said on every screen of an exercise, so that nobody takes it for a real crisis. */
export function ExerciseBadge() {
  const { t } = useTranslation();
  return (
    <StatusBadge color="blue" data-testid="exercise-badge">
      {t('crises.exercise')}
    </StatusBadge>
  );
}

/** My alerts, newest first, each acknowledged with one button. */
export function AlertsPanel({ crisisId, onAck }: { crisisId?: string; onAck?: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const alerts = useApi<{ items: CrisisAlert[] }>(`/api/v1/crises/alerts?lang=${labels.lang}`);
  const [error, setError] = useState<unknown>(null);
  const items = (alerts.data?.items ?? []).filter((a) => !crisisId || a.crisis.id === crisisId);
  const ack = async (id: string) => {
    setError(null);
    try {
      await api.post(`/api/v1/crises/alerts/${id}/ack`);
      alerts.reload();
      onAck?.();
    } catch (e) {
      setError(e);
    }
  };
  if (!items.length) return null;
  return (
    <Card withBorder component="section" aria-labelledby="crisis-alerts">
      <Title order={2} size="h4" id="crisis-alerts">
        {t('crises.alerts.title')}
      </Title>
      <ErrorAlert error={error ?? alerts.error} />
      <Stack gap="xs" component="ul" className="plain-list">
        {items.map((a) => (
          <Group component="li" key={a.id} justify="space-between" wrap="wrap" data-testid="crisis-alert">
            <Text size="sm">
              {a.crisis.exercise && <ExerciseBadge />} {t(`crises.alerts.kinds.${a.kind}`, { level: a.level ? t(`crises.levels.${a.level}`) : '' })} —{' '}
              <AppLink to="/crises/$id" params={{ id: a.crisis.id }}>
                <span lang={a.crisis.lang}>{a.crisis.title}</span>
              </AppLink>{' '}
              · {labels.dateTime(a.at)}
              {a.encrypted && ` · ${t('crises.alerts.encrypted')}`}
            </Text>
            {a.acknowledgedAt ? (
              <Text size="sm">{t('crises.alerts.acknowledged', { at: labels.dateTime(a.acknowledgedAt) })}</Text>
            ) : (
              <Button size="xs" onClick={() => void ack(a.id)} aria-label={t('crises.alerts.ackLabel', { title: a.crisis.title })}>
                {t('crises.alerts.ack')}
              </Button>
            )}
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

/** The crises whose rooms the person is in (or may read), open first; exercises labelled. */
export function CrisesPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const navigate = useNavigate();
  const search = validateCrisesSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const set = (patch: Partial<CrisesSearch>) => void navigate({ to: '/crises', search: validateCrisesSearch({ ...search, ...patch }) as never, replace: true });
  const list = useApi<{ items: CrisisListItem[] }>(crisesListPath(search, labels.lang));
  const mayDeclare = hasRole(me, 'secretariat') || me?.organisation?.type === 'national_cyber_agency' || me?.organisation?.type === 'national_csirt' || me?.organisation?.type === 'mfa';
  return (
    <Page
      title={t('crises.title')}
      actions={
        mayDeclare ? (
          <ButtonLink to="/crises/new" data-testid="declare-crisis">
            {t('crises.declare.link')}
          </ButtonLink>
        ) : undefined
      }
    >
      <Text>{t('crises.intro')}</Text>
      <AlertsPanel />
      <FilterPanel active={activeCrisisFilters(search)}>
        <Group align="flex-end" wrap="wrap" gap="sm">
          <Select
            label={t('crises.filters.status')}
            data={[
              { value: 'open', label: t('crises.status.open') },
              { value: 'closed', label: t('crises.status.closed') },
            ]}
            value={search.status ?? null}
            onChange={(v) => set({ status: (v as 'open' | 'closed' | null) ?? undefined })}
            clearable
            placeholder={t('common.all')}
            w={200}
          />
          <Select
            label={t('crises.filters.kind')}
            data={[
              { value: 'false', label: t('crises.filters.real') },
              { value: 'true', label: t('crises.filters.exercises') },
            ]}
            value={search.exercise === undefined ? null : String(search.exercise)}
            onChange={(v) => set({ exercise: v === null ? undefined : v === 'true' })}
            clearable
            placeholder={t('common.all')}
            w={220}
          />
        </Group>
      </FilterPanel>
      <ErrorAlert error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : (
        <DataTable
          caption={t('crises.count', { count: list.data?.items.length ?? 0 })}
          columns={[t('crises.columns.crisis'), t('crises.columns.level'), t('crises.columns.scope'), t('crises.columns.nextSitrep'), t('crises.columns.role')]}
          rows={list.data?.items ?? []}
          empty={t('crises.none')}
          minWidth={760}
        >
          {(c) => (
            <Table.Tr key={c.id} data-testid="crisis-row">
              <Table.Td>
                {c.exercise && <ExerciseBadge />}{' '}
                <AppLink to="/crises/$id" params={{ id: c.id }}>
                  <span lang={c.lang}>{c.title}</span>
                </AppLink>
                <Text size="xs">
                  {t(`crises.status.${c.status}`)} · {labels.dateTime(c.declaredAt)}
                </Text>
              </Table.Td>
              <Table.Td>
                <LevelBadge level={c.level} />
              </Table.Td>
              <Table.Td>
                {c.countries.map((x) => labels.country(x)).join(', ')}
                {c.sectors.length > 0 && <Text size="xs">{c.sectors.map((s) => labels.sector(s)).join(', ')}</Text>}
              </Table.Td>
              <Table.Td>{c.nextSitrep ? <NextSitrep due={c.nextSitrep} /> : '—'}</Table.Td>
              <Table.Td>{c.myRole ? t(`crises.roles.${c.myRole}`) : '—'}</Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
    </Page>
  );
}

export function NextSitrep({ due }: { due: { dueAt: string; overdue: boolean } }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return due.overdue ? (
    <StatusBadge color="red">{t('crises.sitreps.overdue', { at: labels.dateTime(due.dueAt) })}</StatusBadge>
  ) : (
    <Text size="sm">{t('crises.sitreps.due', { at: labels.dateTime(due.dueAt) })}</Text>
  );
}

/** Declare a crisis: its title, level, scope (countries, NIS2 sectors), the organisations invited, and whether it is an exercise. */
export function DeclareCrisisPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const countries = useCountryOptions();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [language, setLanguage] = useState<string>(labels.lang);
  const [level, setLevel] = useState<string>('elevated');
  const [scope, setScope] = useState<string[]>([]);
  const [sectors, setSectors] = useState<string[]>([]);
  const [organisations, setOrganisations] = useState<string[]>([]);
  const [pick, setPick] = useState<string | null>(null);
  const [exercise, setExercise] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const room = await api.post<CrisisRoom>('/api/v1/crises', { title, description, language, level, countries: scope, sectors, organisations, exercise });
      void navigate({ to: '/crises/$id', params: { id: room.id } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('crises.declare.title')}>
      <Text>{t('crises.declare.intro')}</Text>
      <form onSubmit={(e) => void submit(e)}>
        <Stack maw={640}>
          <ErrorAlert error={error} />
          <TextInput label={t('crises.declare.name')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={CRISIS_LIMITS.title} />
          <Textarea label={t('crises.declare.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={3} maxLength={CRISIS_LIMITS.description} />
          <Select label={t('crises.declare.language')} data={['en', 'es', 'pt', 'fr'].map((l) => ({ value: l, label: labels.language(l) }))} value={language} onChange={(v) => setLanguage(v ?? 'en')} allowDeselect={false} />
          <Select
            label={t('crises.declare.level')}
            description={t('crises.declare.levelHelp')}
            data={CRISIS_LEVELS.map((l) => ({ value: l, label: t(`crises.levels.${l}`) }))}
            value={level}
            onChange={(v) => setLevel(v ?? 'elevated')}
            allowDeselect={false}
          />
          <MultiSelect label={t('crises.declare.countries')} description={t('crises.declare.countriesHelp')} data={countries} value={scope} onChange={setScope} searchable required />
          <MultiSelect label={t('crises.declare.sectors')} data={NIS2_SECTORS.map((s) => ({ value: s, label: labels.sector(s) }))} value={sectors} onChange={setSectors} searchable />
          <Group align="flex-end">
            <OrganisationSelect label={t('crises.declare.invite')} value={pick} onChange={setPick} searchable clearable w={360} />
            <Button
              variant="default"
              disabled={!pick}
              onClick={() => {
                if (pick && !organisations.includes(pick)) setOrganisations([...organisations, pick]);
                setPick(null);
              }}
            >
              {t('crises.declare.add')}
            </Button>
          </Group>
          {organisations.length > 0 && (
            <Text size="sm" role="status">
              {t('crises.declare.invited', { count: organisations.length })}
            </Text>
          )}
          <Switch label={t('crises.declare.exercise')} description={t('crises.declare.exerciseHelp')} checked={exercise} onChange={(e) => setExercise(e.currentTarget.checked)} />
          <Group>
            <Button type="submit" loading={busy} disabled={!title.trim() || scope.length === 0}>
              {exercise ? t('crises.declare.submitExercise') : t('crises.declare.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Page>
  );
}
