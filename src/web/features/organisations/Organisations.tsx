import { Alert, Anchor, Group, List, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { StatusBadge } from '../../components/StatusBadge';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client';
import type { CommunitySummary, Items } from '../../api/types';
import { canEditProfile } from './ProfileEdit';
import type { OrganisationProfile } from './profile';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { CountrySelect } from '../../components/CountrySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { DataTable } from '../../components/DataTable';
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
      {orgs.error ? null : orgs.loading && !orgs.data ? (
        <Loading />
      ) : (
        <DataTable
          minWidth={700}
          caption={t('organisations.caption', { count: items.length })}
          columns={[t('common.name'), t('join.country'), t('join.type'), t('join.sectors'), ...(me ? [t('organisations.members')] : [])]}
          rows={items}
          empty={t('common.noResults')}
        >
          {(o) => (
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
          )}
        </DataTable>
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
              <ProfileRow label={t('orgProfile.establishedOn')} value={m.establishedOn ? labels.date(m.establishedOn) : t('orgProfile.none')} />
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
      {m && o.status === 'approved' && <OrganisationLinks organisationId={o.id} name={o.acronym || o.name} />}
      {canSeeMembers && <MembersTable organisationId={o.id} canGrantSecretariat={hasRole(me, 'secretariat')} />}
      <AppLink to="/organisations">{t('organisations.backToList')}</AppLink>
    </Page>
  );
}

/**
 * For members: where the organisation appears elsewhere — its points of contact and the intelligence
 * it shared (the directory and the threat-intel list, filtered by it in the URL), and the communities
 * it belongs to (those whose members the viewer may see).
 */
function OrganisationLinks({ organisationId, name }: { organisationId: string; name: string }) {
  const { t } = useTranslation();
  const communities = useApi<Items<CommunitySummary>>(`/api/v1/communities${qs({ organisation: organisationId })}`);
  const list = communities.data?.items ?? [];
  return (
    <Stack gap="xs" component="section" aria-labelledby="org-links" data-testid="organisation-links">
      <Title order={2} size="h3" id="org-links">
        {t('orgProfile.linksTitle')}
      </Title>
      <List spacing={4}>
        <List.Item>
          <AppLink to="/contacts" search={{ organisation: organisationId }} data-testid="organisation-contacts-link">
            {t('orgProfile.linkContacts', { name })}
          </AppLink>
        </List.Item>
        <List.Item>
          <AppLink to="/intel" search={{ organisation: organisationId }} data-testid="organisation-intel-link">
            {t('orgProfile.linkIntel', { name })}
          </AppLink>
        </List.Item>
        <List.Item>
          {t('orgProfile.communitiesOf', { name })}
          {': '}
          {communities.loading && !communities.data ? (
            '…'
          ) : list.length === 0 ? (
            t('orgProfile.noCommunities')
          ) : (
            <span data-testid="organisation-communities">
              {list.map((c, i) => (
                <span key={c.id}>
                  {i > 0 && ', '}
                  <AppLink to="/communities/$communityId" params={{ communityId: c.id }}>
                    {c.name}
                  </AppLink>
                </span>
              ))}
            </span>
          )}
        </List.Item>
      </List>
      <ErrorAlert error={communities.error} />
    </Stack>
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
