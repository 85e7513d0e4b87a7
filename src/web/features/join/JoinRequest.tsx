import { Alert, Button, Fieldset, MultiSelect, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { isWebsite, ORGANISATION_LIMITS } from '#shared/profile';
import { ORGANISATION_TYPES, SECTORS } from '../../api/types';
import { AppLink } from '../../components/AppLink';
import { CountrySelect } from '../../components/CountrySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Page } from '../../components/Page';

export function useOrgTypeOptions() {
  const labels = useLabels();
  return useMemo(() => ORGANISATION_TYPES.map((v) => ({ value: v, label: labels.orgType(v) })), [labels]);
}

export function useSectorOptions() {
  const labels = useLabels();
  return useMemo(() => SECTORS.map((v) => ({ value: v, label: labels.sector(v) })), [labels]);
}

export function JoinRequest() {
  const { t } = useTranslation();
  const typeOptions = useOrgTypeOptions();
  const sectorOptions = useSectorOptions();
  const [form, setForm] = useState({
    name: '',
    acronym: '',
    country: null as string | null,
    type: null as string | null,
    sectors: [] as string[],
    website: '',
    description: '',
    requesterName: '',
    requesterEmail: '',
    message: '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [touched, setTouched] = useState(false);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => setForm((f) => ({ ...f, [key]: value }));

  const websiteInvalid = form.website.trim() !== '' && !isWebsite(form.website.trim());
  const emailInvalid = form.requesterEmail.trim() !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.requesterEmail.trim());
  const missing = !form.name.trim() || !form.country || !form.type || !form.requesterName.trim() || !form.requesterEmail.trim();
  const req = (v: unknown) => (touched && !v ? t('common.required') : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (missing || websiteInvalid || emailInvalid) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(
        '/api/v1/organisations/join-requests',
        {
          organisation: {
            name: form.name.trim(),
            ...(form.acronym.trim() ? { acronym: form.acronym.trim() } : {}),
            country: form.country,
            type: form.type,
            sectors: form.sectors,
            ...(form.website.trim() ? { website: form.website.trim() } : {}),
            ...(form.description.trim() ? { description: form.description.trim() } : {}),
          },
          requester: { name: form.requesterName.trim(), email: form.requesterEmail.trim() },
          ...(form.message.trim() ? { message: form.message.trim() } : {}),
        },
        { quiet401: true },
      );
      setDone(true);
      window.scrollTo(0, 0);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <Page title={t('join.doneTitle')}>
        <Alert color="green" role="status" data-testid="join-done">
          {t('join.doneText', { email: form.requesterEmail.trim() })}
        </Alert>
        <AppLink to="/">{t('nav.backHome')}</AppLink>
      </Page>
    );

  return (
    <Page title={t('join.title')}>
      <Text maw={760}>{t('join.intro')}</Text>
      <Paper withBorder p="lg" maw={860}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <ErrorAlert error={error} />
            <Fieldset legend={t('join.organisation')}>
              <Stack>
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput label={t('join.orgName')} required value={form.name} error={req(form.name.trim())} onChange={(e) => set('name', e.currentTarget.value)} name="orgName" maxLength={ORGANISATION_LIMITS.name} />
                  <TextInput label={t('join.acronym')} value={form.acronym} onChange={(e) => set('acronym', e.currentTarget.value)} name="acronym" maxLength={ORGANISATION_LIMITS.acronym} />
                  <CountrySelect label={t('join.country')} required value={form.country} error={req(form.country)} onChange={(v) => set('country', v)} name="country" />
                  <Select label={t('join.type')} required searchable data={typeOptions} value={form.type} error={req(form.type)} onChange={(v) => set('type', v)} name="type" />
                </SimpleGrid>
                <MultiSelect label={t('join.sectors')} description={t('join.sectorsHelp')} data={sectorOptions} value={form.sectors} onChange={(v) => set('sectors', v)} searchable clearable name="sectors" />
                <TextInput
                  label={t('join.website')}
                  type="url"
                  placeholder="https://"
                  value={form.website}
                  error={websiteInvalid ? t('join.websiteInvalid') : undefined}
                  onChange={(e) => set('website', e.currentTarget.value)}
                  name="website"
                  maxLength={ORGANISATION_LIMITS.website}
                />
                <Textarea label={t('join.description')} autosize minRows={3} value={form.description} onChange={(e) => set('description', e.currentTarget.value)} name="description" maxLength={ORGANISATION_LIMITS.description} />
              </Stack>
            </Fieldset>
            <Fieldset legend={t('join.requester')}>
              <Stack>
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput label={t('join.requesterName')} required autoComplete="name" value={form.requesterName} error={req(form.requesterName.trim())} onChange={(e) => set('requesterName', e.currentTarget.value)} name="requesterName" />
                  <TextInput
                    label={t('join.requesterEmail')}
                    type="email"
                    required
                    autoComplete="email"
                    value={form.requesterEmail}
                    error={emailInvalid ? t('join.emailInvalid') : req(form.requesterEmail.trim())}
                    onChange={(e) => set('requesterEmail', e.currentTarget.value)}
                    name="requesterEmail"
                  />
                </SimpleGrid>
                <Textarea label={t('join.message')} autosize minRows={3} value={form.message} onChange={(e) => set('message', e.currentTarget.value)} name="message" />
              </Stack>
            </Fieldset>
            <Button type="submit" loading={busy} data-testid="join-submit">
              {t('join.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Page>
  );
}
