import { Alert, Button, Card, Group, List, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { api, qs } from '../../api/client';
import { TranslationEditor, TranslationNotice } from '../../components/Translation';
import { StatusBadge } from '../../components/StatusBadge';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { CommunityDetail, CommunitySummary, Items } from '../../api/types';
import { ButtonLink } from '../../components/AppLink';
import { hasRole, useSession } from '../../session';
import { CommunityDiscussions } from './Discussions';
import type { CommunityFull } from './types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { DataTable } from '../../components/DataTable';

export function CommunityCard({ c }: { c: CommunitySummary }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md" component="article">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Title order={3} size="h4" lang={c.language}>
          <AppLink to="/communities/$communityId" params={{ communityId: c.id }}>
            {c.name}
          </AppLink>
        </Title>
        {c.isMember && (
          <StatusBadge color="teal">
            {t('communities.member')}
          </StatusBadge>
        )}
      </Group>
      <Text size="sm" mt="xs" lang={c.language}>
        {c.description}
      </Text>
      {c.organisationCount !== null && c.peopleCount !== null && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('communities.counts', { organisations: t('communities.organisationCount', { count: c.organisationCount }), people: t('communities.peopleCount', { count: c.peopleCount }) })}
        </Text>
      )}
    </Card>
  );
}

export function CommunitiesList() {
  const { t } = useTranslation();
  const communities = useApi<Items<CommunitySummary>>('/api/v1/communities');
  const { me } = useSession();
  const proposals = hasRole(me, 'secretariat') || hasRole(me, 'org_admin');
  return (
    <Page
      title={t('communities.title')}
      actions={
        proposals ? (
          <ButtonLink to="/communities/proposals" variant="default">
            {hasRole(me, 'secretariat') ? t('discussions.proposalsQueue') : t('discussions.propose')}
          </ButtonLink>
        ) : undefined
      }
    >
      <Text>{t('communities.intro')}</Text>
      <ErrorAlert error={communities.error} />
      {communities.error ? null : communities.loading && !communities.data ? (
        <Loading />
      ) : (communities.data?.items ?? []).length === 0 ? (
        <Text>{t('communities.none')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {(communities.data?.items ?? []).map((c) => (
            <CommunityCard key={c.id} c={c} />
          ))}
        </SimpleGrid>
      )}
    </Page>
  );
}

export function CommunityView() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { communityId } = useParams({ strict: false }) as { communityId: string };
  // A language picked among the community's versions; otherwise the server picks the reader's.
  const [lang, setLang] = useState<string | null>(null);
  const [translating, setTranslating] = useState(false);
  const community = useApi<CommunityDetail & CommunityFull>(`/api/v1/communities/${communityId}${qs({ lang: lang ?? undefined })}`);
  if (community.loading && !community.data) return <Loading />;
  if (community.error || !community.data)
    return (
      <Page title={t('communities.notFoundTitle')}>
        <Alert color="gray">{t('errors.NOT_FOUND')}</Alert>
        <AppLink to="/communities">{t('communities.backToList')}</AppLink>
      </Page>
    );
  const c = community.data;
  return (
    <Page
      title={c.name}
      titleLang={c.language}
      actions={
        <Group>
          {c.isMember && <StatusBadge color="teal">{t('communities.member')}</StatusBadge>}
          {c.can.manage && !translating && (
            <Button variant="default" onClick={() => setTranslating(true)}>
              {t('translation.translate')}
            </Button>
          )}
        </Group>
      }
    >
      {c.description && <Text lang={c.language}>{c.description}</Text>}
      <TranslationNotice info={c.translation} onPick={setLang} />
      {translating && (
        <TranslationEditor
          info={c.translation}
          fields={[
            { name: 'name', label: t('discussions.proposalName') },
            { name: 'description', label: t('discussions.proposalDescription'), multiline: true },
          ]}
          load={async (l) => {
            const v = await api.get<CommunityDetail>(`/api/v1/communities/${c.id}${qs({ lang: l })}`);
            return v.language === l ? { name: v.name, description: v.description } : null;
          }}
          save={async (l, values, machine) => {
            await api.put(`/api/v1/communities/${c.id}/translations/${l}`, { name: values.name ?? '', description: values.description ?? '', machine });
            setLang(l);
            community.reload();
          }}
          remove={async (l) => {
            await api.del(`/api/v1/communities/${c.id}/translations/${l}`);
            setLang(null);
            community.reload();
          }}
          onDone={() => setTranslating(false)}
        />
      )}
      <CommunityDiscussions community={c} reload={community.reload} />
      <section aria-labelledby="community-orgs">
        <Title order={2} size="h3" id="community-orgs" mb="sm">
          {t('communities.memberOrganisations')}
        </Title>
        {c.organisations.length === 0 ? (
          <Text>{t('communities.noOrganisations')}</Text>
        ) : (
          <DataTable
            columns={[t('common.organisation'), t('join.country'), t('join.type')]}
            rows={c.organisations}
          >
            {(o) => (
              <Table.Tr key={o.id}>
                <Table.Td>
                  <AppLink to="/organisations/$organisationId" params={{ organisationId: o.id }}>
                    {o.name}
                  </AppLink>
                </Table.Td>
                <Table.Td>{labels.country(o.country)}</Table.Td>
                <Table.Td>{labels.orgType(o.type)}</Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        )}
      </section>
      {c.people.length > 0 && (
        <section aria-labelledby="community-people">
          <Title order={2} size="h3" id="community-people" mb="sm">
            {t('communities.people')}
          </Title>
          <List>
            {c.people.map((p) => (
              <List.Item key={p.id}>
                {p.name}
                {p.isAdmin ? ` — ${t('communities.admin')}` : ''}
              </List.Item>
            ))}
          </List>
        </section>
      )}
      <Stack>
        <AppLink to="/communities">{t('communities.backToList')}</AppLink>
      </Stack>
    </Page>
  );
}
