import { MultiSelect, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { tlpAtLeast } from '#shared/tlp';
import type { Tlp } from '../../api/types';
import { audienceFor, EMPTY_AUDIENCE, useAudienceOptions, type Marking } from '../notes/MarkingFields';
import { FIELDS, type Contact, type Field, type FieldMarking, type Kind } from './api';

// The contact editor's form state (from and to a contact) and its per-field sharing control.

export type SharingChoice = 'entry' | Tlp;
export interface FormState {
  organisationId: string | null;
  kinds: Kind[];
  fullName: string;
  position: string;
  isTeamMailbox: boolean;
  languages: string[];
  timeZone: string;
  emails: string;
  phone: string;
  emergencyPhone: string;
  availability: string;
  channels: { type: string; address: string }[];
  openpgpKey: string;
  validUntil: string;
  website: string;
  marking: Marking;
  fields: Record<Field, { choice: SharingChoice; audience: FieldMarking['audience'] }>;
}

const emptyFields = () => Object.fromEntries(FIELDS.map((f) => [f, { choice: 'entry' as SharingChoice, audience: EMPTY_AUDIENCE }])) as FormState['fields'];

export function formFrom(c: Contact | undefined, orgId: string | null): FormState {
  return {
    organisationId: c?.organisation.id ?? orgId,
    kinds: c?.kinds ?? [],
    fullName: c?.fullName ?? '',
    position: c?.position ?? '',
    isTeamMailbox: c?.isTeamMailbox ?? false,
    languages: c?.languages ?? [],
    timeZone: c?.timeZone ?? '',
    emails: (c?.emails ?? []).join(', '),
    phone: c?.phone ?? '',
    emergencyPhone: c?.emergencyPhone ?? '',
    availability: c?.availability ?? '',
    channels: c?.secureChannels ?? [],
    openpgpKey: c?.openpgpKey?.armored ?? '',
    validUntil: c?.validUntil ?? '',
    website: c?.website ?? '',
    marking: { tlp: c?.tlp ?? 'GREEN', pap: c?.pap ?? 'GREEN', audience: c?.audience ?? EMPTY_AUDIENCE },
    fields: {
      ...emptyFields(),
      ...Object.fromEntries(Object.entries(c?.fieldMarkings ?? {}).map(([f, m]) => [f, { choice: m.tlp, audience: m.audience }])),
    },
  };
}

export function FieldSharing({ field, value, onChange }: { field: Field; value: FormState['fields'][Field]; onChange: (v: FormState['fields'][Field]) => void }) {
  const { t } = useTranslation();
  const options = useAudienceOptions();
  const label = t('contacts.sharedWith', { field: t(`contacts.fields.${field}`) });
  return (
    <Stack gap={4} className="field-sharing">
      <Select
        label={label}
        size="xs"
        data={[
          { value: 'entry', label: t('contacts.sameAsEntry') },
          ...tlpAtLeast('GREEN').map((tlp) => ({ value: tlp, label: `TLP:${tlp} — ${t(`tlp.${tlp}.short`)}` })),
        ]}
        value={value.choice}
        allowDeselect={false}
        onChange={(v) => v && onChange({ choice: v as SharingChoice, audience: v === 'entry' ? EMPTY_AUDIENCE : audienceFor(v as Tlp, value.audience) })}
      />
      {(value.choice === 'AMBER' || value.choice === 'AMBER+STRICT') && (
        <MultiSelect
          size="xs"
          label={t('contacts.fieldOrganisations', { field: t(`contacts.fields.${field}`) })}
          data={options.organisations}
          value={value.audience.organisations}
          onChange={(ids) => onChange({ ...value, audience: { ...value.audience, organisations: ids } })}
          searchable
          clearable
        />
      )}
      {value.choice === 'AMBER' && (
        <MultiSelect
          size="xs"
          label={t('contacts.fieldCommunities', { field: t(`contacts.fields.${field}`) })}
          data={options.communities}
          value={value.audience.communities}
          onChange={(ids) => onChange({ ...value, audience: { ...value.audience, communities: ids } })}
          searchable
          clearable
        />
      )}
      {value.choice === 'RED' && (
        <Text size="xs" c="dimmed">
          {t('contacts.redField')}
        </Text>
      )}
    </Stack>
  );
}
