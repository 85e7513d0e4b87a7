import { Alert, Anchor, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { StatusBadge } from '../../components/StatusBadge';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client';
import type { Items } from '../../api/types';
import { canEditProfile } from './ProfileEdit';
import type { OrganisationProfile } from './profile';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { CountrySelect } from '../../components/CountrySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { useDebounced } from '../../components/useDebounced';
import { hasRole, useSession } from '../../session';
import { useOrgTypeOptions } from '../join/JoinRequest';
import { MembersTable } from '../orgadmin/OrgAdmin';

export function OrganisationsDirectory() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const typeOptions = useOrgTypeOptions();
  const [q, setQ] = useState('');
  const [country, setCountry] = useState<string | null>(null);
  const [type, setType] = useState<string | null>(null);
  const dq = useDebounced(q, 300);
  const orgs = useApi<Items<OrganisationProfile>>(
    `/api/v1/organisations${qs({ status: hasRole(me, 'secretariat') ? 'approved' : undefined, q: dq.trim(), country: country ?? undefined, type: type ?? undefined, lang: labels.lang })}`,
    { quiet401: true },
  );
  const items = (orgs.data?.items ?? []).filter((o) => o.status === 'approved');
  return (
    <Page title={t('organisations.title')}>
      <Text>{t('organisations.intro')}</Text>
      <Group align="flex-end" wrap="wrap" role="search">
        <TextInput label={t('common.search')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} />
        <CountrySelect label={t('join.country')} value={country} onChange={setCountry} clearable placeholder={t('common.all')} />
        <Select label={t('join.type')} data={typeOptions} value={type} onChange={setType} clearable placeholder={t('common.all')} />
      </Group>
      <ErrorAlert error={orgs.error} />
      {orgs.loading && !orgs.data ? (
        <Loading />
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table striped withTableBorder>
            <Table.Caption>{t('organisations.caption', { count: items.length })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('common.name')}</Table.Th>
                <Table.Th scope="col">{t('join.country')}</Table.Th>
                <Table.Th scope="col">{t('join.type')}</Table.Th>
                <Table.Th scope="col">{t('join.sectors')}</Table.Th>
                {me && <Table.Th scope="col">{t('organisations.members')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={me ? 5 : 4}>{t('common.noResults')}</Table.Td>
                </Table.Tr>
              )}
              {items.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    {o.logoUrl && <img src={o.logoUrl} alt="" width={24} height={24} className="org-logo-small" style={{ objectFit: 'contain', verticalAlign: 'middle', marginInlineEnd: 8 }} />}
                    <AppLink to="/organisations/$organisationId" params={{ organisationId: o.id }}>
                      {o.name}
                    </AppLink>
                    {o.acronym ? ` (${o.acronym})` : ''}
                  </Table.Td>
                  <Table.Td>{labels.country(o.country)}</Table.Td>
                  <Table.Td>{labels.orgType(o.type)}</Table.Td>
                  <Table.Td>{o.sectors.map(labels.sector).join(', ') || '—'}</Table.Td>
                  {me && <Table.Td>{o.memberCount ?? '—'}</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Page>
  );
}

export function OrganisationView() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const { organisationId } = useParams({ strict: false }) as { organisationId: string };
  const org = useApi<OrganisationProfile>(`/api/v1/organisations/${organisationId}${qs({ lang: labels.lang })}`, { quiet401: true });
  if (org.loading && !org.data) return <Loading />;
  if (org.error || !org.data)
    return (
      <Page title={t('organisations.notFoundTitle')}>
        <Alert color="gray">{t('errors.NOT_FOUND')}</Alert>
        <AppLink to="/organisations">{t('organisations.backToList')}</AppLink>
      </Page>
    );
  const o = org.data;
  const safeWebsite = o.website && /^https?:\/\//i.test(o.website) ? o.website : null;
  const canSeeMembers = hasRole(me, 'secretariat') || (hasRole(me, 'org_admin') && me?.organisation?.id === o.id);
  const canEdit = canEditProfile(me, o.id);
  const m = o.memberProfile;
  const list = (xs: string[] | undefined) => (xs && xs.length ? xs.join(', ') : t('orgProfile.none'));
  return (
    <Page
      title={o.acronym ? `${o.name} (${o.acronym})` : o.name}
      actions={
        canEdit ? (
          <ButtonLink to="/organisations/$organisationId/edit" params={{ organisationId: o.id }} variant="light">
            {t('orgProfile.editProfile')}
          </ButtonLink>
        ) : undefined
      }
    >
      <Group align="flex-start" wrap="nowrap" gap="lg">
        {o.logoUrl && <img src={o.logoUrl} alt={t('orgProfile.logoAlt', { name: o.name })} width={96} height={96} style={{ objectFit: 'contain', flexShrink: 0 }} />}
        <Stack gap="xs">
          <Title order={2} size="h3">
            {t('orgProfile.publicPart')}
          </Title>
          <Group gap="xs">
            <StatusBadge color="blue">{labels.orgType(o.type)}</StatusBadge>
            <StatusBadge color="gray">{labels.country(o.country)}</StatusBadge>
            {o.status !== 'approved' && <StatusBadge color="red">{labels.orgStatus(o.status)}</StatusBadge>}
          </Group>
          {o.description && (
            <Text className="note-body" lang={o.descriptionLanguage ?? undefined}>
              {o.description}
            </Text>
          )}
          <Text>
            <strong>{t('join.sectors')}:</strong> {o.sectors.map(labels.sector).join(', ') || '—'}
          </Text>
          {o.languages && o.languages.length > 0 && (
            <Text>
              <strong>{t('orgProfile.languages')}:</strong> {o.languages.map(labels.language).join(', ')}
            </Text>
          )}
          {safeWebsite && (
            <Text>
              <strong>{t('join.website')}:</strong>{' '}
              <Anchor href={safeWebsite} target="_blank" rel="noopener noreferrer">
                {safeWebsite}
              </Anchor>
            </Text>
          )}
          {o.memberCount !== undefined && (
            <Text>
              <strong>{t('organisations.members')}:</strong> {o.memberCount}
            </Text>
          )}
          <Text>
            <strong>{t('organisations.since')}:</strong> {labels.date(o.createdAt)}
          </Text>
        </Stack>
      </Group>
      {m ? (
        <Stack gap="xs" component="section" aria-labelledby="member-part">
          <Title order={2} size="h3" id="member-part">
            {t('orgProfile.memberPart')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('orgProfile.memberPartHelp')}
          </Text>
          <Table withTableBorder variant="vertical" layout="fixed">
            <Table.Tbody>
              <ProfileRow label={t('orgProfile.ipRanges')} value={list(m.ipRanges)} mono />
              <ProfileRow label={t('orgProfile.asns')} value={m.asns.length ? m.asns.map((a) => `AS${a}`).join(', ') : t('orgProfile.none')} mono />
              <ProfileRow label={t('orgProfile.domains')} value={list(m.domains)} mono />
              <ProfileRow label={t('orgProfile.sectorsServed')} value={m.sectorsServed.length ? m.sectorsServed.map(labels.sector).join(', ') : t('orgProfile.none')} />
              <ProfileRow label={t('orgProfile.operatingHours')} value={m.operatingHours ?? t('orgProfile.none')} />
              <ProfileRow label={t('orgProfile.timeZone')} value={m.timeZone ?? t('orgProfile.none')} />
              <ProfileRow label={t('orgProfile.establishedOn')} value={m.establishedOn ? labels.date(`${m.establishedOn}T12:00:00Z`) : t('orgProfile.none')} />
              <ProfileRow
                label={t('orgProfile.memberships')}
                value={[...m.memberships.map((x) => t(`orgProfile.membershipNames.${x}`, { defaultValue: x })), ...m.otherMemberships].join(', ') || t('orgProfile.none')}
              />
            </Table.Tbody>
          </Table>
          {o.profileUpdatedAt && (
            <Text size="sm" c="dimmed">
              {t('orgProfile.lastUpdated')}: {labels.dateTime(o.profileUpdatedAt)}
            </Text>
          )}
        </Stack>
      ) : (
        !me && <Text c="dimmed">{t('orgProfile.signInForMore')}</Text>
      )}
      {canSeeMembers && <MembersTable organisationId={o.id} canGrantSecretariat={hasRole(me, 'secretariat')} />}
      <AppLink to="/organisations">{t('organisations.backToList')}</AppLink>
    </Page>
  );
}

function ProfileRow({ label, value, mono = false }: { label: string; value: string; mono?: boolean }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w="30%">
        {label}
      </Table.Th>
      <Table.Td style={mono ? { fontFamily: 'monospace', wordBreak: 'break-all' } : undefined}>{value}</Table.Td>
    </Table.Tr>
  );
}
