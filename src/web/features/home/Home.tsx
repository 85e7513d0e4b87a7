import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CommunitySummary, Items, Note, Organisation } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { useLabels } from '../../components/labels';
import { Page } from '../../components/Page';
import { useSession } from '../../session';
import { NoteCard } from '../notes/Notes';
import { CommunityCard } from '../communities/Communities';

/** The latest topics of one community this person belongs to (only those they may see). */
function LatestTopics({ community }: { community: CommunitySummary }) {
  const { t } = useTranslation();
  const topics = useApi<Items<{ id: string; title: string; replyCount: number }>>(`/api/v1/communities/${community.id}/topics`);
  const items = (topics.data?.items ?? []).slice(0, 2);
  return (
    <Stack gap={2}>
      <Text size="sm" fw={600}>
        <AppLink to="/communities/$communityId" params={{ communityId: community.id }}>
          {community.name}
        </AppLink>
      </Text>
      {items.map((topic) => (
        <Text size="sm" key={topic.id}>
          <AppLink to="/communities/$communityId/topics/$topicId" params={{ communityId: community.id, topicId: topic.id }}>
            {topic.title}
          </AppLink>{' '}
          ({t('home.replyCount', { n: topic.replyCount })})
        </Text>
      ))}
      {topics.data && items.length === 0 && <Text size="sm">{t('home.noTopics')}</Text>}
    </Stack>
  );
}

/**
 * Navigation that follows the charter: each workstream shows only the features
 * that exist on the platform today; a workstream with nothing yet is not shown.
 */
export function Home() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const notes = useApi<Items<Note>>('/api/v1/notes');
  const communities = useApi<Items<CommunitySummary>>('/api/v1/communities');
  const orgs = useApi<Items<Organisation>>('/api/v1/organisations?status=approved');
  const recent = (notes.data?.items ?? []).slice(0, 3);
  const mine = (communities.data?.items ?? []).filter((c) => c.isMember).slice(0, 3);
  const orgCount = (orgs.data?.items ?? []).filter((o) => o.status === 'approved').length;
  return (
    <Page title={t('home.title', { name: me?.name ?? '' })}>
      <Text>
        {me?.organisation ? t('home.subtitle', { organisation: me.organisation.name, country: labels.country(me.organisation.country) }) : null}{' '}
        {t('home.levels')}
      </Text>

      <section aria-labelledby="ws-information">
        <Title order={2} id="ws-information" mb={4}>
          {t('workstreams.informationSharing.title')}
        </Title>
        <Text mb="sm" c="dimmed">
          {t('workstreams.informationSharing.description')}
        </Text>
        <Card withBorder padding="lg">
          <Group justify="space-between" mb="sm">
            <Title order={3} size="h4">
              <AppLink to="/notes">{t('nav.notes')}</AppLink>
            </Title>
            <ButtonLink to="/notes/new" size="sm">
              {t('notes.new')}
            </ButtonLink>
          </Group>
          <Text size="sm" mb="sm">
            {t('workstreams.informationSharing.notesIntro')}
          </Text>
          {recent.length > 0 ? (
            <Stack gap="sm">
              {recent.map((n) => (
                <NoteCard key={n.id} note={n} />
              ))}
            </Stack>
          ) : (
            !notes.loading && <Text size="sm">{t('notes.none')}</Text>
          )}
        </Card>
        <Card withBorder padding="lg" mt="md">
          <Group justify="space-between" mb="sm">
            <Title order={3} size="h4">
              <AppLink to="/intel">{t('intel.list.title')}</AppLink>
            </Title>
            <ButtonLink to="/intel/upload" size="sm">
              {t('intel.list.upload')}
            </ButtonLink>
          </Group>
          <Text size="sm" mb="sm">
            {t('intel.home.intro')}
          </Text>
          <Group gap="xs">
            <ButtonLink to="/intel/vulnerabilities" variant="light" size="sm">
              {t('intel.vulns.title')}
            </ButtonLink>
            <ButtonLink to="/intel/attack" variant="light" size="sm">
              {t('intel.attack.title')}
            </ButtonLink>
            <ButtonLink to="/intel/subscriptions" variant="default" size="sm">
              {t('intel.subs.title')}
            </ButtonLink>
          </Group>
        </Card>
      </section>

      <section aria-labelledby="ws-joint">
        <Title order={2} id="ws-joint" mb={4}>
          {t('workstreams.jointInitiatives.title')}
        </Title>
        <Text mb="sm" c="dimmed">
          {t('workstreams.jointInitiatives.description')}
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder padding="lg">
            <Title order={3} size="h4" mb="xs">
              <AppLink to="/communities">{t('nav.communities')}</AppLink>
            </Title>
            <Text size="sm" mb="sm">
              {t('communities.intro')}
            </Text>
            {mine.length > 0 && (
              <Stack gap="sm">
                <Text size="sm" fw={600}>
                  {t('home.yourCommunities')}
                </Text>
                {mine.map((c) => (
                  <CommunityCard key={c.id} c={c} />
                ))}
              </Stack>
            )}
          </Card>
          <Card withBorder padding="lg">
            <Title order={3} size="h4" mb="xs">
              <AppLink to="/contacts">{t('contacts.nav')}</AppLink>
            </Title>
            <Text size="sm" mb="sm">
              {t('home.contactsIntro')}
            </Text>
            <Group gap="xs">
              <ButtonLink to="/contacts" variant="light" size="sm">
                {t('home.findContacts')}
              </ButtonLink>
              <ButtonLink to="/contacts/coverage" variant="default" size="sm">
                {t('contacts.coverage.link')}
              </ButtonLink>
            </Group>
          </Card>
          <Card withBorder padding="lg">
            <Title order={3} size="h4" mb="xs">
              {t('home.discussions')}
            </Title>
            <Text size="sm" mb="sm">
              {t('home.discussionsIntro')}
            </Text>
            {mine.length > 0 ? (
              <Stack gap="sm">
                {mine.map((c) => (
                  <LatestTopics key={c.id} community={c} />
                ))}
              </Stack>
            ) : (
              communities.data && (
                <Text size="sm">
                  <AppLink to="/communities">{t('home.joinForDiscussions')}</AppLink>
                </Text>
              )
            )}
          </Card>
          <Card withBorder padding="lg">
            <Title order={3} size="h4" mb="xs">
              <AppLink to="/organisations">{t('nav.organisations')}</AppLink>
            </Title>
            <Text size="sm" mb="sm">
              {t('organisations.intro')}
            </Text>
            {orgs.data && <Text size="sm">{t('home.organisationCount', { count: orgCount })}</Text>}
            <Group mt="sm">
              <ButtonLink to="/organisations" variant="light" size="sm">
                {t('home.browseDirectory')}
              </ButtonLink>
            </Group>
          </Card>
        </SimpleGrid>
      </section>
    </Page>
  );
}

