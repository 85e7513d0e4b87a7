import { Alert, Group, MultiSelect, Text, TextInput } from '@mantine/core';
import { useMemo, type ComponentProps, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AppLink } from '../../components/AppLink';
import { StatusBadge } from '../../components/StatusBadge';
import { useCountryOptions } from '../../components/CountrySelect';
import { useLabels } from '../../components/labels';
import { INCIDENT_STATUSES, NIS2_IMPACT_SEVERITIES, NIS2_SECTORS, RSIT, type ImpactSeverity, type IncidentListItem, type IncidentNextDue, type IncidentStatus, type RsitCategory } from './api';
import { listOf, type IncidentsSearch } from './search';

/** The words of the RSIT and NIS2 codes in the reader's language (unknown codes shown as they are). */
export function useIncidentLabels() {
  const { t } = useTranslation();
  return useMemo(() => {
    const word = (group: string, code: string | null | undefined) => (code ? t(`incidents.${group}.${code}`, { defaultValue: code }) : '');
    const category = (c: string) => t(`incidents.rsit.categories.${c}`, { defaultValue: c });
    const type = (ty: string) => t(`incidents.rsit.types.${ty}`, { defaultValue: ty });
    return {
      category,
      type,
      /** `category/type` → "Malicious code — Infected system". */
      rsitClass(cls: string) {
        const [c, ty] = cls.split('/');
        return c && ty ? t('incidents.rsit.class', { category: category(c), type: type(ty) }) : cls;
      },
      sector: (s: string) => word('sectors', s),
      subsector: (s: string) => word('subsectors', s),
      severity: (s: string | null | undefined) => (s ? word('severity', s) : t('incidents.notAssessed')),
      outlook: (s: string | null | undefined) => word('outlook', s),
      rootCause: (s: string | null | undefined) => word('rootCause', s),
      threat: (s: string | null | undefined) => word('threat', s),
      status: (s: string) => word('status', s),
      outcome: (s: string | null | undefined) => word('outcome', s),
      report: (s: string) => word('reports', s),
      /** Category options, then the types of one category, for pickers. */
      categoryOptions: (Object.keys(RSIT) as RsitCategory[]).map((c) => ({ value: c, label: category(c) })),
      typeOptions: (c: RsitCategory | null) => (c && RSIT[c] ? RSIT[c].map((ty) => ({ value: `${c}/${ty}`, label: type(ty) })) : []),
    };
  }, [t]);
}

const SEVERITY_COLOUR: Record<ImpactSeverity, string> = { red: 'red', yellow: 'yellow', green: 'green', white: 'gray' };

/** Impact severity: its colour and, always, its word (never the colour alone). */
export function SeverityBadge({ severity }: { severity: ImpactSeverity | null }) {
  const l = useIncidentLabels();
  return (
    <StatusBadge color={severity ? SEVERITY_COLOUR[severity] : 'gray'} tt="none" data-testid="incident-severity" data-severity={severity ?? 'none'}>
      {l.severity(severity)}
    </StatusBadge>
  );
}

const STATUS_COLOUR: Record<IncidentStatus, string> = { new: 'blue', triage: 'yellow', investigating: 'yellow', contained: 'teal', recovered: 'green', closed: 'gray' };

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  const l = useIncidentLabels();
  return (
    <StatusBadge color={STATUS_COLOUR[status]} tt="none" data-testid="incident-status">
      {l.status(status)}
    </StatusBadge>
  );
}

/** Says an exercise report is one, in words, wherever it is shown. */
export function ExerciseTag() {
  const { t } = useTranslation();
  return (
    <StatusBadge color="blue" data-testid="exercise-tag">
      {t('incidents.exerciseTag')}
    </StatusBadge>
  );
}

export function ExerciseBanner() {
  const { t } = useTranslation();
  return (
    <Alert color="blue" variant="filled" data-testid="exercise-banner">
      {t('incidents.exerciseBanner')}
    </Alert>
  );
}

/** The next report owed: its kind, its due time in the reader's zone, and "overdue" in words when it is. */
export function NextDue({ due }: { due: IncidentNextDue | null }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const l = useIncidentLabels();
  if (!due) return <Text size="sm">{t('incidents.clock.none')}</Text>;
  const text = t(due.overdue ? 'incidents.clock.overdue' : 'incidents.clock.due', { kind: l.report(due.kind), at: labels.dateTime(due.dueAt) });
  return (
    <Group gap={6} wrap="wrap" data-testid="incident-next-due" data-overdue={due.overdue || undefined}>
      {due.overdue && (
        <StatusBadge color="red" tt="none">
          {t('incidents.clock.overdueTag')}
        </StatusBadge>
      )}
      <Text size="sm" c={due.overdue ? 'red.9' : undefined}>
        {text}
      </Text>
    </Group>
  );
}

/** An incident's title as a link, marked with the language it is shown in. */
export function IncidentLink({ r }: { r: Pick<IncidentListItem, 'id' | 'title' | 'lang'> }) {
  return (
    <AppLink to="/incidents/$id" params={{ id: r.id }} data-testid="incident-link">
      <span lang={r.lang}>{r.title}</span>
    </AppLink>
  );
}

/**
 * The filters the incident list and the situational picture share (the server parses them with
 * one parser for both): countries, sectors, RSIT, status, impact, then `extra` (the list's
 * community), then the window. `set` writes to the address.
 */
export function IncidentFilterFields({ search, set, extra, fromDescription }: { search: IncidentsSearch; set: (patch: Partial<IncidentsSearch>) => void; extra?: ReactNode; fromDescription?: string }) {
  const { t } = useTranslation();
  const l = useIncidentLabels();
  const countryOptions = useCountryOptions();
  const list = (k: 'country' | 'sector' | 'rsit' | 'status' | 'impactSeverity', label: string, data: ComponentProps<typeof MultiSelect>['data'], w: number, searchable = true) => (
    <MultiSelect label={label} data={data} value={listOf(search[k])} onChange={(v) => set({ [k]: v.length ? v.join(',') : undefined })} searchable={searchable} clearable placeholder={search[k] ? undefined : t('incidents.all')} w={w} maw="100%" />
  );
  return (
    <>
      {list('country', t('incidents.filters.country'), countryOptions, 260)}
      {list('sector', t('incidents.filters.sector'), NIS2_SECTORS.map((s) => ({ value: s, label: l.sector(s) })), 260)}
      {list('rsit', t('incidents.filters.rsit'), l.categoryOptions, 260)}
      {list('status', t('incidents.filters.status'), INCIDENT_STATUSES.map((s) => ({ value: s, label: l.status(s) })), 220, false)}
      {list('impactSeverity', t('incidents.filters.severity'), NIS2_IMPACT_SEVERITIES.map((s) => ({ value: s, label: l.severity(s) })), 240, false)}
      {extra}
      <TextInput type="date" label={t('incidents.filters.from')} description={fromDescription} value={search.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value || undefined })} max={search.to} w={170} maw="100%" />
      <TextInput type="date" label={t('incidents.filters.to')} value={search.to ?? ''} onChange={(e) => set({ to: e.currentTarget.value || undefined })} min={search.from} w={170} maw="100%" />
    </>
  );
}
