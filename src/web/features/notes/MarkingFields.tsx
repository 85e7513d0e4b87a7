import { Alert, MultiSelect, Select, Stack } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client';
import { PAP_LEVELS, TLP_LEVELS, type Audience, type CommunitySummary, type Items, type Organisation, type Pap, type Person, type Tlp } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useLabels } from '../../components/labels';
import { TlpChoice } from '../../components/TlpChoice';
import { hasRole, useSession } from '../../session';

export interface Marking {
  tlp: Tlp;
  pap: Pap;
  audience: Audience;
}

export const EMPTY_AUDIENCE: Audience = { organisations: [], communities: [], people: [] };

/** Keep only the parts of the audience the TLP level allows. */
export function audienceFor(tlp: Tlp, a: Audience): Audience {
  if (tlp === 'AMBER') return { organisations: a.organisations, communities: a.communities, people: [] };
  if (tlp === 'AMBER+STRICT') return { organisations: a.organisations, communities: [], people: [] };
  if (tlp === 'RED') return { organisations: [], communities: [], people: a.people };
  return { organisations: [], communities: [], people: [] };
}

export function useAudienceOptions() {
  const { me } = useSession();
  const labels = useLabels();
  const orgs = useApi<Items<Organisation>>(`/api/v1/organisations${qs({ status: hasRole(me, 'secretariat') ? 'approved' : undefined })}`);
  const communities = useApi<Items<{ id: string; name: string } & Partial<CommunitySummary>>>('/api/v1/communities');
  const people = useApi<Items<Person>>(hasRole(me, 'secretariat') ? '/api/v1/people' : null);
  return useMemo(
    () => ({
      organisations: (orgs.data?.items ?? [])
        .filter((o) => o.id !== me?.organisation?.id)
        .map((o) => ({ value: o.id, label: `${o.name} (${labels.country(o.country)})` })),
      communities: (communities.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
      people: (people.data?.items ?? []).filter((p) => p.id !== me?.id).map((p) => ({ value: p.id, label: `${p.name} — ${p.organisation?.name ?? p.email}` })),
      orgName: new Map((orgs.data?.items ?? []).map((o) => [o.id, o.name])),
      communityName: new Map((communities.data?.items ?? []).map((c) => [c.id, c.name])),
      personName: new Map((people.data?.items ?? []).map((p) => [p.id, p.name])),
    }),
    [orgs.data, communities.data, people.data, labels, me],
  );
}

export function MarkingFields({ value, onChange }: { value: Marking; onChange: (m: Marking) => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const options = useAudienceOptions();
  const canPickPeople = hasRole(me, 'secretariat');
  // Keep chosen ids that are not in the option lists (e.g. set by someone else) visible.
  const withKnown = (opts: { value: string; label: string }[], ids: string[]) => [
    ...opts,
    ...ids.filter((id) => !opts.some((o) => o.value === id)).map((id) => ({ value: id, label: id })),
  ];
  return (
    <Stack>
      <TlpChoice levels={TLP_LEVELS} value={value.tlp} onChange={(tlp) => onChange({ ...value, tlp })} label={t('notes.tlp')} description={t('notes.tlpHelp')} />
      {(value.tlp === 'AMBER' || value.tlp === 'AMBER+STRICT') && (
        <MultiSelect
          label={t('notes.audienceOrganisations')}
          description={t('notes.audienceOrganisationsHelp')}
          data={withKnown(options.organisations, value.audience.organisations)}
          value={value.audience.organisations}
          onChange={(ids) => onChange({ ...value, audience: { ...value.audience, organisations: ids } })}
          searchable
          clearable
        />
      )}
      {value.tlp === 'AMBER' && (
        <MultiSelect
          label={t('notes.audienceCommunities')}
          data={withKnown(options.communities, value.audience.communities)}
          value={value.audience.communities}
          onChange={(ids) => onChange({ ...value, audience: { ...value.audience, communities: ids } })}
          searchable
          clearable
        />
      )}
      {value.tlp === 'RED' &&
        (canPickPeople ? (
          <MultiSelect
            label={t('notes.audiencePeople')}
            description={t('notes.audiencePeopleHelp')}
            data={withKnown(options.people, value.audience.people)}
            value={value.audience.people}
            onChange={(ids) => onChange({ ...value, audience: { ...value.audience, people: ids } })}
            searchable
            clearable
          />
        ) : (
          <Alert color="red" variant="light">
            {value.audience.people.length > 0 ? t('notes.redKeepsPeople', { count: value.audience.people.length }) : t('notes.redOnlyYou')}
          </Alert>
        ))}
      <Select
        label={t('notes.pap')}
        description={t('notes.papHelp')}
        data={PAP_LEVELS.map((p) => ({ value: p, label: `PAP:${p} — ${t(`pap.${p}`)}` }))}
        value={value.pap}
        allowDeselect={false}
        onChange={(v) => v && onChange({ ...value, pap: v as Pap })}
      />
    </Stack>
  );
}
