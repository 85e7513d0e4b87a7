import { Button, Checkbox, Fieldset, Group, MultiSelect, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client';
import { UI_LANGUAGES } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { useCountryOptions } from '../../components/CountrySelect';
import { CannotEdit, focusFirstInvalid } from '../../components/EditorGate';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { timeZoneLabel } from '../../components/time';
import { EMPTY_AUDIENCE, MarkingFields } from '../notes/MarkingFields';
import { LIMITS, NIS2_IMPACT_SEVERITIES, NIS2_OUTLOOKS, NIS2_ROOT_CAUSES, NIS2_SECTORS, NIS2_THREAT_SEVERITIES, type IncidentReport, type RsitCategory } from './api';
import { bodyOf, emptyForm, formOf, problemsOf, subsectorsWithin, withoutOrganisation, type IncidentForm as Form, type Marking } from './form';
import { useIncidentLabels } from './shared';
import { SUBSECTORS_OF } from './subsectors';

/** Report an incident (`/incidents/new`) or change the report (`/incidents/$id/edit`). */
export function IncidentFormPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const l = useIncidentLabels();
  const navigate = useNavigate();
  const { id } = useParams({ strict: false }) as { id?: string };
  // The source text is what is edited, not the translation a reader is shown: asked for again in its language when needed.
  const first = useApi<IncidentReport>(id ? `/api/v1/incidents/${encodeURIComponent(id)}` : null);
  const source = first.data?.translation.source;
  const needSource = !!first.data && first.data.translation.shown !== source;
  const again = useApi<IncidentReport>(needSource && id ? `/api/v1/incidents/${encodeURIComponent(id)}${qs({ lang: source })}` : null);
  const existing = needSource ? again : first;
  const item = existing.data;
  const tz = labels.timeZone;
  const [form, setForm] = useState<Form>(() => emptyForm(labels.lang, new Date(), tz));
  // AMBER to the reporter's own organisation (always in the audience) until they add others.
  const [marking, setMarking] = useState<Marking>({ tlp: 'AMBER', pap: 'AMBER', audience: EMPTY_AUDIENCE });
  const [ready, setReady] = useState(!id);
  useEffect(() => {
    if (!item || ready) return;
    setForm(formOf(item, tz));
    setMarking({ tlp: item.marking.tlp, pap: item.marking.pap, audience: withoutOrganisation(item.marking.audience, item.ownerOrg.id) });
    setReady(true);
  }, [item, ready, tz]);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const countryOptions = useCountryOptions();
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const problems = useMemo(() => problemsOf(form, tz, new Date()), [form, tz]);
  const shown = checked ? problems : {};
  const problem = (k: keyof typeof problems) => (shown[k] ? t(`incidents.form.problems.${shown[k]}`) : undefined);
  const subsectorData = useMemo(
    () => form.sectors.filter((s) => s in SUBSECTORS_OF).map((s) => ({ group: l.sector(s), items: SUBSECTORS_OF[s as keyof typeof SUBSECTORS_OF].map((x) => ({ value: x, label: l.subsector(x) })) })),
    [form.sectors, l],
  );
  const optional = (values: readonly string[], word: (v: string) => string) => [{ value: '', label: t('incidents.form.notSaid') }, ...values.map((v) => ({ value: v, label: word(v) }))];

  if (id && (first.loading || existing.loading) && !item) return <Loading />;
  if (id && !item)
    return (
      <CannotEdit title={t('incidents.view.notFoundTitle')} error={existing.error} back={<AppLink to="/incidents">{t('incidents.view.back')}</AppLink>} />
    );
  if (item && !item.can.edit)
    return (
      <CannotEdit
        title={t('incidents.form.editTitle')}
        notYours={t('incidents.form.notYours')}
        back={
          <AppLink to="/incidents/$id" params={{ id: item.id }}>
            {t('incidents.form.backToReport')}
          </AppLink>
        }
      />
    );
  if (!ready) return <Loading />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    setError(null);
    if (Object.keys(problems).length) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setBusy(true);
    try {
      const body = bodyOf(form, marking, tz, !item);
      const saved = item ? await api.patch<IncidentReport>(`/api/v1/incidents/${item.id}`, body) : await api.post<IncidentReport>('/api/v1/incidents', body);
      await navigate({ to: '/incidents/$id', params: { id: saved.id } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const zone = t('incidents.form.timesHelp', { zone: timeZoneLabel(tz, labels.lang) });
  return (
    <Page title={item ? t('incidents.form.editTitle') : t('incidents.form.newTitle')}>
      {item && (
        <AppLink to="/incidents/$id" params={{ id: item.id }}>
          <span lang={item.lang}>{item.title}</span>
        </AppLink>
      )}
      <Text>{t('incidents.form.intro')}</Text>
      <Paper withBorder p={{ base: 'sm', sm: 'lg' }} maw={900}>
        <form onSubmit={(e) => void submit(e)} noValidate ref={formRef} data-testid="incident-form">
          <Stack gap="lg">
            <Fieldset legend={t('incidents.form.text')}>
              <Stack gap="sm">
                <Select
                  label={t('incidents.form.language')}
                  description={t('incidents.form.languageHelp')}
                  data={[...UI_LANGUAGES, ...((UI_LANGUAGES as readonly string[]).includes(form.language) ? [] : [form.language])].map((x) => ({ value: x, label: labels.language(x) }))}
                  value={form.language}
                  onChange={(v) => v && set('language', v)}
                  allowDeselect={false}
                  required
                  w={280}
                  maw="100%"
                />
                <TextInput label={t('incidents.form.title')} value={form.title} onChange={(e) => set('title', e.currentTarget.value)} maxLength={LIMITS.title} required error={problem('title')} lang={form.language} data-testid="incident-title" />
                <Textarea
                  label={t('incidents.form.description')}
                  description={t('incidents.form.descriptionHelp')}
                  value={form.description}
                  onChange={(e) => set('description', e.currentTarget.value)}
                  maxLength={LIMITS.description}
                  autosize
                  minRows={5}
                  maxRows={20}
                  lang={form.language}
                  data-testid="incident-description"
                />
              </Stack>
            </Fieldset>

            <Fieldset legend={t('incidents.form.classification')}>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select
                  label={t('incidents.form.rsitCategory')}
                  data={l.categoryOptions}
                  value={form.category}
                  onChange={(v) => setForm((f) => ({ ...f, category: v, rsitClass: v && f.rsitClass?.startsWith(`${v}/`) ? f.rsitClass : null }))}
                  searchable
                  required
                  error={shown.rsitClass && !form.category ? problem('rsitClass') : undefined}
                  data-testid="incident-rsit-category"
                />
                <Select
                  label={t('incidents.form.rsitType')}
                  data={l.typeOptions(form.category as RsitCategory | null)}
                  value={form.rsitClass}
                  onChange={(v) => set('rsitClass', v)}
                  disabled={!form.category}
                  searchable
                  required
                  error={shown.rsitClass && form.category ? problem('rsitClass') : undefined}
                  data-testid="incident-rsit-type"
                />
              </SimpleGrid>
            </Fieldset>

            <Fieldset legend={t('incidents.form.nis2')}>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select label={t('incidents.form.impactSeverity')} data={optional(NIS2_IMPACT_SEVERITIES, l.severity)} value={form.impactSeverity} onChange={(v) => set('impactSeverity', v ?? '')} allowDeselect={false} data-testid="incident-impact-severity" />
                <Select label={t('incidents.form.impactOutlook')} data={optional(NIS2_OUTLOOKS, l.outlook)} value={form.impactOutlook} onChange={(v) => set('impactOutlook', v ?? '')} allowDeselect={false} />
                <Select label={t('incidents.form.rootCause')} data={optional(NIS2_ROOT_CAUSES, l.rootCause)} value={form.rootCause} onChange={(v) => set('rootCause', v ?? '')} allowDeselect={false} />
                <Select label={t('incidents.form.threatSeverity')} data={optional(NIS2_THREAT_SEVERITIES, l.threat)} value={form.threatSeverity} onChange={(v) => set('threatSeverity', v ?? '')} allowDeselect={false} />
              </SimpleGrid>
            </Fieldset>

            <Fieldset legend={t('incidents.form.impact')}>
              <Stack gap="sm">
                <MultiSelect label={t('incidents.form.countries')} data={countryOptions} value={form.countries} onChange={(v) => set('countries', v)} searchable clearable data-testid="incident-countries" />
                <MultiSelect
                  label={t('incidents.form.sectors')}
                  data={NIS2_SECTORS.map((s) => ({ value: s, label: l.sector(s) }))}
                  value={form.sectors}
                  onChange={(v) => setForm((f) => ({ ...f, sectors: v, subsectors: subsectorsWithin(v, f.subsectors) }))}
                  searchable
                  clearable
                  data-testid="incident-sectors"
                />
                {subsectorData.length > 0 && <MultiSelect label={t('incidents.form.subsectors')} description={t('incidents.form.subsectorsHelp')} data={subsectorData} value={form.subsectors} onChange={(v) => set('subsectors', v)} searchable clearable />}
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label={t('incidents.form.usersAffected')}
                    description={t('incidents.form.usersAffectedHelp')}
                    inputMode="numeric"
                    value={form.usersAffected}
                    onChange={(e) => set('usersAffected', e.currentTarget.value)}
                    error={problem('usersAffected')}
                  />
                  <Checkbox label={t('incidents.form.crossBorder')} checked={form.crossBorder} onChange={(e) => set('crossBorder', e.currentTarget.checked)} mt={{ sm: 'xl' }} />
                </SimpleGrid>
              </Stack>
            </Fieldset>

            <Fieldset legend={t('incidents.form.times')}>
              <Stack gap="sm">
                <Text size="sm" c="dimmed">
                  {zone}
                </Text>
                <TextInput
                  type="datetime-local"
                  label={t('incidents.form.awareAt')}
                  description={t('incidents.form.awareAtHelp')}
                  value={form.awareAt}
                  onChange={(e) => set('awareAt', e.currentTarget.value)}
                  required
                  error={problem('awareAt')}
                  w={320}
                  maw="100%"
                  data-testid="incident-aware-at"
                />
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput type="datetime-local" label={t('incidents.form.startedAt')} value={form.startedAt} onChange={(e) => set('startedAt', e.currentTarget.value)} error={problem('startedAt')} />
                  <TextInput type="datetime-local" label={t('incidents.form.endedAt')} value={form.endedAt} min={form.startedAt || undefined} onChange={(e) => set('endedAt', e.currentTarget.value)} error={problem('endedAt')} />
                </SimpleGrid>
              </Stack>
            </Fieldset>

            {!item && <Checkbox label={t('incidents.form.exercise')} description={t('incidents.form.exerciseHelp')} checked={form.exercise} onChange={(e) => set('exercise', e.currentTarget.checked)} data-testid="incident-exercise" />}

            <Fieldset legend={t('incidents.form.marking')}>
              <Stack gap="sm">
                <Text size="sm">{t('incidents.form.markingHelp')}</Text>
                <MarkingFields value={marking} onChange={setMarking} />
              </Stack>
            </Fieldset>

            <ErrorAlert error={error} />
            <Group>
              <Button type="submit" loading={busy} data-testid="incident-submit">
                {busy ? t('incidents.form.sending') : item ? t('incidents.form.save') : t('incidents.form.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Page>
  );
}
