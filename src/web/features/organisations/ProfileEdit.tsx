import { Alert, Button, Checkbox, Fieldset, FileInput, Group, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, getCsrfToken } from '../../api/client';
import type { Me } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { CountrySelect } from '../../components/CountrySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Forbidden } from '../../components/Forbidden';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { timeZones } from '../../components/time';
import { hasRole, useSession } from '../../session';
import { ORGANISATION_LIMITS } from '#shared/profile';
import { useOrgTypeOptions, useSectorOptions } from '../join/JoinRequest';
import {
  asnValue,
  lines,
  LOGO_MAX_BYTES,
  LOGO_TYPES,
  MEMBERSHIPS,
  OTHER_LANGUAGES,
  UI_LANGUAGES,
  validateProfileForm,
  type OrganisationProfile,
} from './profile';

/** The organisation's admins and the secretariat edit a profile. */
export function canEditProfile(me: Me | null, organisationId: string) {
  return hasRole(me, 'secretariat') || (hasRole(me, 'org_admin') && me?.organisation?.id === organisationId);
}

interface FormState {
  name: string;
  acronym: string;
  country: string | null;
  type: string | null;
  sectors: string[];
  website: string;
  languages: string[];
  descriptions: Record<string, string>;
  ipRanges: string;
  asns: string;
  domains: string;
  sectorsServed: string[];
  operatingHours: string;
  timeZone: string;
  establishedOn: string;
  memberships: string[];
  otherMemberships: string;
}

function formOf(o: OrganisationProfile): FormState {
  const m = o.memberProfile;
  return {
    name: o.name,
    acronym: o.acronym ?? '',
    country: o.country,
    type: o.type,
    sectors: o.sectors,
    website: o.website ?? '',
    languages: o.languages ?? [],
    descriptions: { ...(o.descriptions ?? {}) },
    ipRanges: (m?.ipRanges ?? []).join('\n'),
    asns: (m?.asns ?? []).join('\n'),
    domains: (m?.domains ?? []).join('\n'),
    sectorsServed: m?.sectorsServed ?? [],
    operatingHours: m?.operatingHours ?? '',
    timeZone: m?.timeZone ?? '',
    establishedOn: m?.establishedOn ?? '',
    memberships: m?.memberships ?? [],
    otherMemberships: (m?.otherMemberships ?? []).join('\n'),
  };
}

export function OrganisationProfileEdit() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { organisationId } = useParams({ strict: false }) as { organisationId: string };
  const org = useApi<OrganisationProfile>(`/api/v1/organisations/${organisationId}`);
  if (!canEditProfile(me, organisationId)) return <Forbidden />;
  if (org.loading && !org.data) return <Loading />;
  if (org.error || !org.data)
    return (
      <Page title={t('organisations.notFoundTitle')}>
        <ErrorAlert error={org.error} />
        <AppLink to="/organisations">{t('organisations.backToList')}</AppLink>
      </Page>
    );
  return <EditForm org={org.data} onSaved={org.setData} secretariat={hasRole(me, 'secretariat')} />;
}

function EditForm({ org, onSaved, secretariat }: { org: OrganisationProfile; onSaved: (o: OrganisationProfile) => void; secretariat: boolean }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const typeOptions = useOrgTypeOptions();
  const sectorOptions = useSectorOptions();
  const [form, setForm] = useState<FormState>(() => formOf(org));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setSaved(false);
  };
  const languageOptions = useMemo(
    () => [...UI_LANGUAGES, ...OTHER_LANGUAGES].map((l) => ({ value: l, label: `${labels.language(l)} (${l})` })),
    [labels],
  );
  const zoneOptions = useMemo(() => timeZones(), []);
  const descriptionLanguages = [...new Set([...form.languages, ...UI_LANGUAGES, ...Object.keys(form.descriptions)])];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    const local = validateProfileForm(form);
    const msgs = Object.fromEntries(Object.entries(local).map(([k, v]) => [k, t(`orgProfile.errors.${v.key}`, { values: v.values ?? '' })]));
    setErrors(msgs);
    if (Object.keys(msgs).length) return;
    const body: Record<string, unknown> = {
      acronym: form.acronym.trim() || null,
      sectors: form.sectors,
      website: form.website.trim() || null,
      languages: form.languages,
      descriptions: Object.fromEntries(Object.entries(form.descriptions).filter(([, v]) => v.trim())),
      ipRanges: lines(form.ipRanges),
      asns: lines(form.asns).map(asnValue),
      domains: lines(form.domains),
      sectorsServed: form.sectorsServed,
      operatingHours: form.operatingHours.trim() || null,
      timeZone: form.timeZone.trim() || null,
      establishedOn: form.establishedOn.trim() || null,
      memberships: form.memberships,
      otherMemberships: lines(form.otherMemberships.replace(/,/g, '\u0000')).map((x) => x.replace(/\u0000/g, ',')),
    };
    if (secretariat) Object.assign(body, { name: form.name.trim(), country: form.country, type: form.type });
    setSaving(true);
    try {
      const updated = await api.patch<OrganisationProfile>(`/api/v1/organisations/${org.id}/profile?lang=${labels.lang}`, body);
      onSaved(updated);
      setForm(formOf(updated));
      setSaved(true);
    } catch (err) {
      const field = err instanceof ApiError && err.code === 'VALIDATION_FAILED' ? (err.details as { field?: string } | undefined)?.field : undefined;
      if (field) {
        const values = ((err as ApiError).details as { invalid?: unknown[]; unknown?: unknown[] }).invalid ?? ((err as ApiError).details as { unknown?: unknown[] }).unknown ?? [];
        setErrors({ [field]: t(`orgProfile.errors.${field}`, { values: values.join(', '), defaultValue: t('orgProfile.errors.generic') }) });
      } else setError(err);
    } finally {
      setSaving(false);
    }
  };

  const err = (k: string) => errors[k] || undefined;
  return (
    <Page title={t('orgProfile.editTitle', { name: org.name })}>
      <AppLink to="/organisations/$organisationId" params={{ organisationId: org.id }}>
        {t('orgProfile.backToOrganisation')}
      </AppLink>
      <LogoEditor org={org} onChanged={onSaved} />
      <form onSubmit={submit} noValidate>
        <Stack>
          {Object.keys(errors).length > 0 && (
            <Alert color="red" role="alert">
              {t('orgProfile.fixErrors')}
            </Alert>
          )}
          <ErrorAlert error={error} />
          <Fieldset legend={t('orgProfile.publicPart')}>
            <Stack>
              {!secretariat && (
                <Text size="sm" c="dimmed">
                  {t('orgProfile.secretariatOnly')}
                </Text>
              )}
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label={t('orgProfile.name')} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} disabled={!secretariat} error={err('name')} required maxLength={ORGANISATION_LIMITS.name} />
                <TextInput label={t('orgProfile.acronym')} value={form.acronym} onChange={(e) => set('acronym', e.currentTarget.value)} maxLength={ORGANISATION_LIMITS.acronym} error={err('acronym')} />
                <CountrySelect label={t('join.country')} value={form.country} onChange={(v) => set('country', v)} disabled={!secretariat} error={err('country')} />
                <Select label={t('join.type')} data={typeOptions} value={form.type} onChange={(v) => set('type', v)} disabled={!secretariat} error={err('type')} allowDeselect={false} />
              </SimpleGrid>
              <MultiSelect label={t('join.sectors')} data={sectorOptions} value={form.sectors} onChange={(v) => set('sectors', v)} searchable clearable error={err('sectors')} />
              <TextInput label={t('orgProfile.website')} type="url" value={form.website} onChange={(e) => set('website', e.currentTarget.value)} placeholder="https://" error={err('website')} maxLength={ORGANISATION_LIMITS.website} />
              <MultiSelect
                label={t('orgProfile.languages')}
                description={t('orgProfile.languagesHelp')}
                data={languageOptions}
                value={form.languages}
                onChange={(v) => set('languages', v)}
                searchable
                clearable
                error={err('languages')}
              />
              <Text fw={500}>{t('orgProfile.descriptionsTitle')}</Text>
              <Text size="sm" c="dimmed">
                {t('orgProfile.descriptionsHelp')}
              </Text>
              {err('descriptions') && (
                <Text c="red" size="sm" role="alert">
                  {err('descriptions')}
                </Text>
              )}
              {descriptionLanguages.map((l) => (
                <Textarea
                  key={l}
                  lang={l}
                  label={t('orgProfile.descriptionIn', { language: labels.language(l) })}
                  value={form.descriptions[l] ?? ''}
                  onChange={(e) => set('descriptions', { ...form.descriptions, [l]: e.currentTarget.value })}
                  autosize
                  minRows={2}
                  maxLength={ORGANISATION_LIMITS.description}
                />
              ))}
            </Stack>
          </Fieldset>
          <Fieldset legend={t('orgProfile.memberPart')}>
            <Stack>
              <Text size="sm" c="dimmed">
                {t('orgProfile.memberPartHelp')}
              </Text>
              <Textarea label={t('orgProfile.ipRanges')} description={t('orgProfile.ipRangesHelp')} value={form.ipRanges} onChange={(e) => set('ipRanges', e.currentTarget.value)} autosize minRows={2} error={err('ipRanges')} styles={{ input: { fontFamily: 'monospace' } }} />
              <Textarea label={t('orgProfile.asns')} description={t('orgProfile.asnsHelp')} value={form.asns} onChange={(e) => set('asns', e.currentTarget.value)} autosize minRows={2} error={err('asns')} styles={{ input: { fontFamily: 'monospace' } }} />
              <Textarea label={t('orgProfile.domains')} description={t('orgProfile.domainsHelp')} value={form.domains} onChange={(e) => set('domains', e.currentTarget.value)} autosize minRows={2} error={err('domains')} styles={{ input: { fontFamily: 'monospace' } }} />
              <MultiSelect label={t('orgProfile.sectorsServed')} data={sectorOptions} value={form.sectorsServed} onChange={(v) => set('sectorsServed', v)} searchable clearable error={err('sectorsServed')} />
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput label={t('orgProfile.operatingHours')} description={t('orgProfile.operatingHoursHelp')} value={form.operatingHours} onChange={(e) => set('operatingHours', e.currentTarget.value)} maxLength={ORGANISATION_LIMITS.operatingHours} error={err('operatingHours')} />
                <Select label={t('orgProfile.timeZone')} data={zoneOptions} value={form.timeZone || null} onChange={(v) => set('timeZone', v ?? '')} searchable clearable limit={50} error={err('timeZone')} />
                <TextInput label={t('orgProfile.establishedOn')} type="date" value={form.establishedOn} onChange={(e) => set('establishedOn', e.currentTarget.value)} error={err('establishedOn')} />
              </SimpleGrid>
              <Checkbox.Group label={t('orgProfile.memberships')} value={form.memberships} onChange={(v) => set('memberships', v)} error={err('memberships')}>
                <Group mt="xs">
                  {MEMBERSHIPS.map((m) => (
                    <Checkbox key={m} value={m} label={t(`orgProfile.membershipNames.${m}`)} />
                  ))}
                </Group>
              </Checkbox.Group>
              <Textarea label={t('orgProfile.otherMemberships')} description={t('orgProfile.otherMembershipsHelp')} value={form.otherMemberships} onChange={(e) => set('otherMemberships', e.currentTarget.value)} autosize minRows={1} error={err('otherMemberships')} />
            </Stack>
          </Fieldset>
          <Group>
            <Button type="submit" loading={saving}>
              {t('orgProfile.saveProfile')}
            </Button>
          </Group>
          {saved && (
            <Alert color="green" role="status">
              {t('orgProfile.saved')}
            </Alert>
          )}
        </Stack>
      </form>
    </Page>
  );
}

/** Upload with a preview (a data: URL, which the content security policy allows), or remove the logo. */
function LogoEditor({ org, onChanged }: { org: OrganisationProfile; onChanged: (o: OrganisationProfile) => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setPreview(null);
    setProblem(null);
    if (!file) return;
    if (!(LOGO_TYPES as readonly string[]).includes(file.type)) return setProblem(t('orgProfile.errors.logoType'));
    if (file.size > LOGO_MAX_BYTES) return setProblem(t('orgProfile.errors.logoSize'));
    const reader = new FileReader();
    reader.onload = () => setPreview(typeof reader.result === 'string' ? reader.result : null);
    reader.readAsDataURL(file);
    return () => reader.abort();
  }, [file, t]);

  const reload = async () => onChanged(await api.get<OrganisationProfile>(`/api/v1/organisations/${org.id}`));
  const upload = async () => {
    if (!file || problem) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const res = await fetch(`/api/v1/organisations/${org.id}/logo`, {
        method: 'PUT',
        headers: { 'Content-Type': file.type, 'X-CSRF-Token': getCsrfToken() ?? '', Accept: 'application/json' },
        body: file,
        credentials: 'same-origin',
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
        if (res.status === 415) setProblem(t('orgProfile.errors.logoRejected'));
        else if (res.status === 413) setProblem(t('orgProfile.errors.logoSize'));
        else setError(new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText));
        return;
      }
      setFile(null);
      setNotice(t('orgProfile.logoSaved'));
      await reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api.del(`/api/v1/organisations/${org.id}/logo`);
      setNotice(t('orgProfile.logoRemoved'));
      await reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Fieldset legend={t('orgProfile.logo')}>
      <Stack>
        <Group align="flex-start" gap="xl">
          <Stack gap={4} align="center">
            <Text size="sm">{t('orgProfile.currentLogo')}</Text>
            {org.logoUrl ? <img src={org.logoUrl} alt={t('orgProfile.logoAlt', { name: org.name })} width={96} height={96} style={{ objectFit: 'contain' }} /> : <Text c="dimmed">{t('orgProfile.noLogo')}</Text>}
          </Stack>
          {preview && (
            <Stack gap={4} align="center">
              <Text size="sm">{t('orgProfile.logoPreview')}</Text>
              <img src={preview} alt={t('orgProfile.logoPreview')} width={96} height={96} style={{ objectFit: 'contain' }} />
            </Stack>
          )}
        </Group>
        <FileInput label={t('orgProfile.chooseLogo')} description={t('orgProfile.logoHelp')} accept={LOGO_TYPES.join(',')} value={file} onChange={setFile} clearable error={problem ?? undefined} />
        <Group>
          <Button onClick={upload} disabled={!file || !!problem} loading={busy}>
            {t('orgProfile.uploadLogo')}
          </Button>
          {org.logoUrl && (
            <Button variant="light" color="red" onClick={remove} disabled={busy}>
              {t('orgProfile.removeLogo')}
            </Button>
          )}
        </Group>
        <ErrorAlert error={error} />
        {notice && (
          <Alert color="green" role="status">
            {notice}
          </Alert>
        )}
      </Stack>
    </Fieldset>
  );
}
