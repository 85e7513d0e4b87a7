import { Alert, Button, Checkbox, Group, MultiSelect, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { CONTACT_LIMITS } from '#shared/contacts';
import type { Items, Organisation } from '../../api/types';
import { useApi } from '../../api/useApi';
import { ButtonLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { hasRole, useSession } from '../../session';
import { audienceFor, MarkingFields } from '../notes/MarkingFields';
import { CHANNEL_TYPES, FIELDS, groupFingerprint, isCountryKind, KINDS, type Contact, type Field, type KeyCheck, type Kind } from './api';
import { DIRECTORY_LANGUAGES, useFocalCountries } from './badges';
import { FieldSharing, formFrom, type FormState } from './contactForm';

// ---------- add / edit ----------

export function ContactEditor() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const navigate = useNavigate();
  const { contactId } = useParams({ strict: false }) as { contactId?: string };
  const existing = useApi<Contact>(contactId ? `/api/v1/contacts/${contactId}` : null);
  const orgs = useApi<Items<Organisation>>('/api/v1/organisations');
  const focalCountries = useFocalCountries();
  const [form, setForm] = useState<FormState | null>(contactId ? null : formFrom(undefined, me?.organisation?.id ?? null));
  const [error, setError] = useState<unknown>(null);
  const [keyInfo, setKeyInfo] = useState<KeyCheck | null>(null);
  const [keyError, setKeyError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (contactId && existing.data && !form) setForm(formFrom(existing.data, null));
  }, [contactId, existing.data, form]);
  if (contactId && existing.loading && !existing.data) return <Loading />;
  if (!form) return existing.error ? <ErrorAlert error={existing.error} /> : <Loading />;
  const withheld = new Set(existing.data?.withheld ?? []);
  const orgOptions = (orgs.data?.items ?? [])
    .filter((o) => o.status === 'approved' && ((hasRole(me, 'org_admin') && o.id === me?.organisation?.id) || focalCountries.includes(o.country)))
    .map((o) => ({ value: o.id, label: `${o.name} (${labels.country(o.country)})` }));
  const org = (orgs.data?.items ?? []).find((o) => o.id === form.organisationId);
  const kindAllowed = (k: Kind) =>
    isCountryKind(k) ? !!org && focalCountries.includes(org.country) : hasRole(me, 'org_admin') && form.organisationId === me?.organisation?.id;
  const up = (patch: Partial<FormState>) => setForm({ ...form, ...patch });

  const checkKey = async () => {
    setKeyInfo(null);
    setKeyError(null);
    if (!form.openpgpKey.trim()) return;
    try {
      setKeyInfo(await api.post<KeyCheck>('/api/v1/contacts/key-check', { armored: form.openpgpKey }));
    } catch (e) {
      setKeyError(e instanceof ApiError && e.code === 'INVALID_KEY' ? t('contacts.invalidKey') : String((e as Error).message));
    }
  };

  const submit = async () => {
    setSaving(true);
    setError(null);
    const fieldMarkings = Object.fromEntries(
      FIELDS.filter((f) => !withheld.has(f)).map((f) => {
        const v = form.fields[f];
        return [f, v.choice === 'entry' ? null : { tlp: v.choice, audience: audienceFor(v.choice, v.audience) }];
      }),
    );
    const body: Record<string, unknown> = {
      kinds: form.kinds,
      fullName: form.fullName.trim(),
      position: form.position.trim(),
      isTeamMailbox: form.isTeamMailbox,
      languages: form.languages,
      timeZone: form.timeZone.trim() || null,
      validUntil: form.validUntil || null,
      website: form.website.trim() || null,
      tlp: form.marking.tlp,
      pap: form.marking.pap,
      audience: audienceFor(form.marking.tlp, form.marking.audience),
      fieldMarkings,
    };
    const values: Record<Field, unknown> = {
      emails: form.emails.split(/[\s,;]+/).filter(Boolean),
      phone: form.phone.trim() || null,
      emergencyPhone: form.emergencyPhone.trim() || null,
      availability: form.availability.trim() || null,
      secureChannels: form.channels.filter((c) => c.address.trim()),
      openpgpKey: form.openpgpKey.trim() || null,
    };
    for (const f of FIELDS) if (!withheld.has(f)) body[f] = values[f];
    if (contactId && existing.data?.openpgpKey && form.openpgpKey === existing.data.openpgpKey.armored) delete body.openpgpKey;
    try {
      const saved = contactId ? await api.patch<Contact>(`/api/v1/contacts/${contactId}`, body) : await api.post<Contact>('/api/v1/contacts', { ...body, organisationId: form.organisationId });
      void navigate({ to: '/contacts/$contactId', params: { contactId: saved.id } });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'INVALID_KEY') setKeyError(t('contacts.invalidKey'));
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  const fieldBlock = (f: Field, input: ReactNode) =>
    withheld.has(f) ? (
      <Text key={f} size="sm" c="dimmed">
        {t(`contacts.fields.${f}`)}: {t('contacts.notShared')}
      </Text>
    ) : (
      <Stack key={f} gap={4}>
        {input}
        <FieldSharing field={f} value={form.fields[f]} onChange={(v) => up({ fields: { ...form.fields, [f]: v } })} />
      </Stack>
    );

  return (
    <Page title={contactId ? t('contacts.editTitle') : t('contacts.addTitle')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack maw={760}>
          <Text size="sm">{t('contacts.whoManages')}</Text>
          {!contactId && (
            <Select label={t('common.organisation')} data={orgOptions} value={form.organisationId} onChange={(v) => up({ organisationId: v, kinds: [] })} searchable required />
          )}
          <Checkbox.Group label={t('contacts.kind')} value={form.kinds} onChange={(v) => up({ kinds: v as Kind[] })} required>
            <Stack gap={4} mt={4}>
              {KINDS.map((k) => (
                <Checkbox key={k} value={k} label={t(`contacts.kinds.${k}`)} disabled={!kindAllowed(k) && !form.kinds.includes(k)} />
              ))}
            </Stack>
          </Checkbox.Group>
          {form.kinds.some(isCountryKind) && <Alert color="blue">{t('contacts.nominationNote')}</Alert>}
          <TextInput label={t('contacts.fullName')} value={form.fullName} onChange={(e) => up({ fullName: e.currentTarget.value })} required maxLength={CONTACT_LIMITS.fullName} />
          <Checkbox label={t('contacts.isTeamMailbox')} checked={form.isTeamMailbox} onChange={(e) => up({ isTeamMailbox: e.currentTarget.checked })} />
          <TextInput label={t('contacts.position')} value={form.position} onChange={(e) => up({ position: e.currentTarget.value })} maxLength={CONTACT_LIMITS.position} />
          <MultiSelect label={t('contacts.languages')} data={DIRECTORY_LANGUAGES.map((l) => ({ value: l, label: labels.language(l) }))} value={form.languages} onChange={(v) => up({ languages: v })} searchable />
          <TimeZoneSelect label={t('contacts.timeZone')} description={t('contacts.timeZoneHelp')} value={form.timeZone} onChange={(z) => up({ timeZone: z })} clearable />
          <Title order={2} size="h4">
            {t('contacts.entrySharing')}
          </Title>
          <MarkingFields value={form.marking} onChange={(m) => up({ marking: m })} />
          <Title order={2} size="h4">
            {t('contacts.channelsTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('contacts.fieldSharingHelp')}
          </Text>
          {fieldBlock('emails', <TextInput label={t('contacts.fields.emails')} description={t('contacts.emailsHelp')} value={form.emails} onChange={(e) => up({ emails: e.currentTarget.value })} />)}
          {fieldBlock('phone', <TextInput label={t('contacts.fields.phone')} type="tel" value={form.phone} onChange={(e) => up({ phone: e.currentTarget.value })} />)}
          {fieldBlock('emergencyPhone', <TextInput label={t('contacts.fields.emergencyPhone')} type="tel" value={form.emergencyPhone} onChange={(e) => up({ emergencyPhone: e.currentTarget.value })} />)}
          {fieldBlock('availability', <TextInput label={t('contacts.fields.availability')} description={t('contacts.availabilityHelp')} value={form.availability} onChange={(e) => up({ availability: e.currentTarget.value })} />)}
          {fieldBlock(
            'secureChannels',
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('contacts.fields.secureChannels')}
              </Text>
              {form.channels.map((ch, i) => (
                <Group key={i} align="flex-end" wrap="wrap">
                  <Select
                    label={t('contacts.channelType')}
                    data={CHANNEL_TYPES.map((c) => ({ value: c, label: t(`contacts.channels.${c}`) }))}
                    value={ch.type}
                    allowDeselect={false}
                    onChange={(v) => up({ channels: form.channels.map((x, j) => (j === i ? { ...x, type: v ?? 'other' } : x)) })}
                  />
                  <TextInput label={t('contacts.channelAddress')} value={ch.address} onChange={(e) => up({ channels: form.channels.map((x, j) => (j === i ? { ...x, address: e.currentTarget.value } : x)) })} />
                  <Button variant="subtle" color="red" onClick={() => up({ channels: form.channels.filter((_, j) => j !== i) })}>
                    {t('common.remove')}
                  </Button>
                </Group>
              ))}
              <div>
                <Button size="xs" variant="default" onClick={() => up({ channels: [...form.channels, { type: 'signal', address: '' }] })}>
                  {t('contacts.addChannel')}
                </Button>
              </div>
            </Stack>,
          )}
          {fieldBlock(
            'openpgpKey',
            <Stack gap={4}>
              <Textarea
                label={t('contacts.fields.openpgpKey')}
                description={t('contacts.keyHelp')}
                value={form.openpgpKey}
                onChange={(e) => {
                  up({ openpgpKey: e.currentTarget.value });
                  setKeyInfo(null);
                  setKeyError(null);
                }}
                autosize
                minRows={3}
                maxRows={10}
                styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
                error={keyError}
              />
              <div>
                <Button size="xs" variant="default" onClick={() => void checkKey()} disabled={!form.openpgpKey.trim()}>
                  {t('contacts.checkKey')}
                </Button>
              </div>
              {keyInfo && (
                <Alert color={keyInfo.expired || keyInfo.revoked ? 'red' : 'green'} role="status">
                  {t('contacts.fingerprint')}: <code>{groupFingerprint(keyInfo.fingerprint)}</code> · {keyInfo.algorithm} · {t('contacts.keyExpires')}:{' '}
                  {keyInfo.expiresAt ? labels.date(keyInfo.expiresAt) : t('contacts.keyNoExpiry')}
                  {keyInfo.expired && ` · ${t('contacts.keyExpired')}`}
                  {keyInfo.revoked && ` · ${t('contacts.keyRevoked')}`}
                </Alert>
              )}
            </Stack>,
          )}
          <TextInput label={t('contacts.validUntil')} type="date" value={form.validUntil} onChange={(e) => up({ validUntil: e.currentTarget.value })} />
          <TextInput label={t('contacts.website')} description={t('contacts.websiteHelp')} type="url" maxLength={CONTACT_LIMITS.website} value={form.website} onChange={(e) => up({ website: e.currentTarget.value })} />
          <ErrorAlert error={error} />
          <Group>
            <Button type="submit" loading={saving} disabled={form.kinds.length === 0 || !form.fullName.trim() || !form.organisationId}>
              {t('common.save')}
            </Button>
            {contactId ? (
              <ButtonLink to="/contacts/$contactId" params={{ contactId }} variant="default">
                {t('common.cancel')}
              </ButtonLink>
            ) : (
              <ButtonLink to="/contacts" variant="default">
                {t('common.cancel')}
              </ButtonLink>
            )}
          </Group>
        </Stack>
      </form>
    </Page>
  );
}
