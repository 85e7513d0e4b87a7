import { Alert, Anchor, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { StatusBadge } from '../../components/StatusBadge';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client';
import type { Items, Organisation } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
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
  const orgs = useApi<Items<Organisation>>(
    `/api/v1/organisations${qs({ status: hasRole(me, 'secretariat') ? 'approved' : undefined, q: dq.trim(), country: country ?? undefined, type: type ?? undefined })}`,
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
                <Table.Th scope="col">{t('organisations.members')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>{t('common.noResults')}</Table.Td>
                </Table.Tr>
              )}
              {items.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    <AppLink to="/organisations/$organisationId" params={{ organisationId: o.id }}>
                      {o.name}
                    </AppLink>
                    {o.acronym ? ` (${o.acronym})` : ''}
                  </Table.Td>
                  <Table.Td>{labels.country(o.country)}</Table.Td>
                  <Table.Td>{labels.orgType(o.type)}</Table.Td>
                  <Table.Td>{o.sectors.map(labels.sector).join(', ') || '—'}</Table.Td>
                  <Table.Td>{o.memberCount}</Table.Td>
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
  const org = useApi<Organisation>(`/api/v1/organisations/${organisationId}`);
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
  return (
    <Page title={o.acronym ? `${o.name} (${o.acronym})` : o.name}>
      <Stack gap="xs">
        <Group gap="xs">
          <StatusBadge color="blue">{labels.orgType(o.type)}</StatusBadge>
          <StatusBadge color="gray">
            {labels.country(o.country)}
          </StatusBadge>
          {o.status !== 'approved' && <StatusBadge color="red">{labels.orgStatus(o.status)}</StatusBadge>}
        </Group>
        {o.description && <Text className="note-body">{o.description}</Text>}
        <Text>
          <strong>{t('join.sectors')}:</strong> {o.sectors.map(labels.sector).join(', ') || '—'}
        </Text>
        {safeWebsite && (
          <Text>
            <strong>{t('join.website')}:</strong>{' '}
            <Anchor href={safeWebsite} target="_blank" rel="noopener noreferrer">
              {safeWebsite}
            </Anchor>
          </Text>
        )}
        <Text>
          <strong>{t('organisations.members')}:</strong> {o.memberCount}
        </Text>
        <Text>
          <strong>{t('organisations.since')}:</strong> {labels.date(o.createdAt)}
        </Text>
      </Stack>
      {canSeeMembers && <MembersTable organisationId={o.id} canGrantSecretariat={hasRole(me, 'secretariat')} />}
      <AppLink to="/organisations">{t('organisations.backToList')}</AppLink>
    </Page>
  );
}
