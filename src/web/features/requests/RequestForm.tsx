import { Alert, Button, Fieldset, Group, MultiSelect, Radio, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { UI_LANGUAGES, type Items, type Organisation, type Tlp } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useConcepts } from '../../components/concepts';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TlpChoice } from '../../components/TlpChoice';
import { useSession } from '../../session';
import { useOfferLabels } from '../offers/shared';
import { LIMITS, OFFER_FORMATS, REQUEST_TLPS, TARGET_AUDIENCES, URGENCIES, type AssistanceRequest, type Asking } from './api';

interface Form {
  who: string;
  language: string;
  title: string;
  description: string;
  wanted: string;
  constraints: string;
  concepts: string[];
  audiences: string[];
  languages: string[];
  urgency: string;
  format: string;
  from: string;
  to: string;
  tlp: Tlp;
  providers: string[];
}

/** Ask for assistance: a national focal point for their country, an organisation admin for their organisation; confidential by default. */
export function RequestNewPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const offerLabels = useOfferLabels();
  const navigate = useNavigate();
  const { me } = useSession();
  const asking = useApi<Asking>('/api/v1/requests/asking');
  const concepts = useConcepts(labels.lang, 'all');
  const orgs = useApi<Items<Organisation>>('/api/v1/organisations?status=approved');
  const [form, setForm] = useState<Form>({
    who: '',
    language: labels.lang,
    title: '',
    description: '',
    wanted: '',
    constraints: '',
    concepts: [],
    audiences: [],
    languages: [labels.lang],
    urgency: 'normal',
    format: '',
    from: '',
    to: '',
    tlp: 'AMBER',
    providers: [],
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  // The first way of asking this person has: their country if they are its focal point, else their organisation.
  useEffect(() => {
    if (asking.data && !form.who) set('who', asking.data.countries[0] ? `country:${asking.data.countries[0]}` : asking.data.organisation ? 'organisation' : '');
  }, [asking.data, form.who]);
  const languageData = useMemo(() => [...new Set([...UI_LANGUAGES, ...form.languages])].map((x) => ({ value: x, label: labels.language(x) })), [form.languages, labels]);
  const orgData = useMemo(() => (orgs.data?.items ?? []).filter((o) => o.status === 'approved' && o.id !== me?.organisation?.id).map((o) => ({ value: o.id, label: o.name })), [orgs.data, me]);

  if (asking.loading && !asking.data) return <Loading />;
  if (asking.error) return <ErrorAlert error={asking.error} />;
  const a = asking.data!;
  if (!a.organisation && !a.countries.length)
    return (
      <Page title={t('requests.form.title')}>
        <Alert color="gray">{t('requests.form.cannot')}</Alert>
      </Page>
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const named = form.tlp === 'AMBER' || form.tlp === 'AMBER+STRICT';
      const r = await api.post<AssistanceRequest>('/api/v1/requests', {
        language: form.language,
        title: form.title,
        description: form.description,
        wanted: form.wanted,
        constraints: form.constraints,
        country: form.who.startsWith('country:') ? form.who.slice(8) : null,
        concepts: form.concepts,
        audiences: form.audiences,
        languages: form.languages,
        urgency: form.urgency,
        format: form.format || null,
        timeframe: { from: form.from || null, to: form.to || null },
        tlp: form.tlp,
        ...(named && form.providers.length ? { providers: form.providers } : {}),
      });
      void navigate({ to: '/requests/$id', params: { id: r.id } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('requests.form.title')}>
      <Text>{t('requests.form.intro')}</Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md" maw={820}>
          <Radio.Group label={t('requests.form.who')} value={form.who} onChange={(v) => set('who', v)} required>
            <Stack gap="xs" mt="xs">
              {a.countries.map((c) => (
                <Radio key={c} value={`country:${c}`} label={t('requests.form.forCountry', { country: labels.country(c) })} />
              ))}
              {a.organisation && <Radio value="organisation" label={t('requests.form.forOrganisation', { organisation: me?.organisation?.name ?? '' })} />}
            </Stack>
          </Radio.Group>
          <Select label={t('requests.form.language')} data={UI_LANGUAGES.map((l) => ({ value: l, label: labels.language(l) }))} value={form.language} onChange={(v) => set('language', v ?? labels.lang)} allowDeselect={false} w={260} />
          <TextInput label={t('requests.form.requestTitle')} value={form.title} onChange={(e) => set('title', e.currentTarget.value)} maxLength={LIMITS.title} required data-testid="request-title" />
          <Textarea label={t('requests.form.description')} description={t('requests.form.descriptionHelp')} value={form.description} onChange={(e) => set('description', e.currentTarget.value)} maxLength={LIMITS.description} autosize minRows={4} />
          <Textarea label={t('requests.form.wanted')} description={t('requests.form.wantedHelp')} value={form.wanted} onChange={(e) => set('wanted', e.currentTarget.value)} maxLength={LIMITS.wanted} autosize minRows={3} />
          <Textarea label={t('requests.form.constraints')} description={t('requests.form.constraintsHelp')} value={form.constraints} onChange={(e) => set('constraints', e.currentTarget.value)} maxLength={LIMITS.constraints} autosize minRows={2} />
          <MultiSelect
            label={t('requests.form.concepts')}
            description={t('requests.form.conceptsHelp')}
            data={concepts.groups}
            value={form.concepts}
            onChange={(v) => set('concepts', v)}
            searchable
            clearable
            nothingFoundMessage={concepts.loading ? t('common.loading') : undefined}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <MultiSelect label={t('requests.form.audiences')} data={TARGET_AUDIENCES.map((k) => ({ value: k, label: offerLabels.audience(k) }))} value={form.audiences} onChange={(v) => set('audiences', v)} clearable />
            <MultiSelect label={t('requests.form.languages')} data={languageData} value={form.languages} onChange={(v) => set('languages', v.slice(0, LIMITS.languages))} searchable clearable />
            <Select label={t('requests.form.urgency')} data={URGENCIES.map((u) => ({ value: u, label: t(`requests.urgency.${u}`) }))} value={form.urgency} onChange={(v) => set('urgency', v ?? 'normal')} allowDeselect={false} />
            <Select
              label={t('requests.form.format')}
              data={[{ value: '', label: t('requests.anyFormat') }, ...OFFER_FORMATS.map((f) => ({ value: f, label: offerLabels.format(f) }))]}
              value={form.format}
              onChange={(v) => set('format', v ?? '')}
              allowDeselect={false}
            />
            <TextInput type="date" label={t('requests.form.from')} value={form.from} onChange={(e) => set('from', e.currentTarget.value)} />
            <TextInput type="date" label={t('requests.form.to')} value={form.to} onChange={(e) => set('to', e.currentTarget.value)} min={form.from || undefined} />
          </SimpleGrid>
          <Fieldset legend={t('requests.form.marking')}>
            <Stack gap="sm">
              <Alert color="blue" variant="light" data-testid="request-confidential">
                {t('requests.form.markingHelp')}
              </Alert>
              <TlpChoice levels={REQUEST_TLPS} value={form.tlp} onChange={(v) => set('tlp', v)} label={t('requests.form.marking')} description="" />
              {(form.tlp === 'AMBER' || form.tlp === 'AMBER+STRICT') && (
                <MultiSelect
                  label={t('requests.form.providers')}
                  description={t('requests.form.providersHelp')}
                  data={orgData}
                  value={form.providers}
                  onChange={(v) => set('providers', v.slice(0, LIMITS.providers))}
                  searchable
                  clearable
                  required={form.tlp === 'AMBER+STRICT'}
                  nothingFoundMessage={orgs.loading ? t('common.loading') : undefined}
                />
              )}
            </Stack>
          </Fieldset>
          {error != null && <ErrorAlert error={error} />}
          <Group>
            <Button type="submit" loading={busy} disabled={!form.title.trim() || !form.who} data-testid="request-submit">
              {busy ? t('requests.form.sending') : t('requests.form.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Page>
  );
}
