import { Card, Group, SimpleGrid, Stack, Text, Title, type MantineSpacing } from '@mantine/core';
import type { ReactNode } from 'react';
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

/** One workstream of the charter: a titled section with its description. */
function Workstream({ id, title, description, children }: { id: string; title: ReactNode; description: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <Title order={2} id={id} mb={4}>
        {title}
      </Title>
      <Text mb="sm" c="dimmed">
        {description}
      </Text>
      {children}
    </section>
  );
}

/** A feature of a workstream: title (with an optional action beside it), a short introduction, then its content. */
function FeatureCard({ title, action, intro, mt, children }: { title: ReactNode; action?: ReactNode; intro: ReactNode; mt?: MantineSpacing; children?: ReactNode }) {
  return (
    <Card withBorder padding="lg" mt={mt}>
      {action ? (
        <Group justify="space-between" mb="sm">
          <Title order={3} size="h4">
            {title}
          </Title>
          {action}
        </Group>
      ) : (
        <Title order={3} size="h4" mb="xs">
          {title}
        </Title>
      )}
      <Text size="sm" mb="sm">
        {intro}
      </Text>
      {children}
    </Card>
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

      <Workstream id="ws-information" title={t('workstreams.informationSharing.title')} description={t('workstreams.informationSharing.description')}>
        <FeatureCard
          title={<AppLink to="/notes">{t('nav.notes')}</AppLink>}
          action={
            <ButtonLink to="/notes/new" size="sm">
              {t('notes.new')}
            </ButtonLink>
          }
          intro={t('workstreams.informationSharing.notesIntro')}
        >
          {recent.length > 0 ? (
            <Stack gap="sm">
              {recent.map((n) => (
                <NoteCard key={n.id} note={n} />
              ))}
            </Stack>
          ) : (
            !notes.loading && <Text size="sm">{t('notes.none')}</Text>
          )}
        </FeatureCard>
        <FeatureCard
          mt="md"
          title={<AppLink to="/intel">{t('intel.list.title')}</AppLink>}
          action={
            <ButtonLink to="/intel/upload" size="sm">
              {t('intel.list.upload')}
            </ButtonLink>
          }
          intro={t('intel.home.intro')}
        >
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
        </FeatureCard>
      </Workstream>

      <Workstream id="ws-joint" title={t('workstreams.jointInitiatives.title')} description={t('workstreams.jointInitiatives.description')}>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <FeatureCard title={<AppLink to="/communities">{t('nav.communities')}</AppLink>} intro={t('communities.intro')}>
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
          </FeatureCard>
          <FeatureCard title={<AppLink to="/contacts">{t('contacts.nav')}</AppLink>} intro={t('home.contactsIntro')}>
            <Group gap="xs">
              <ButtonLink to="/contacts" variant="light" size="sm">
                {t('home.findContacts')}
              </ButtonLink>
              <ButtonLink to="/contacts/coverage" variant="default" size="sm">
                {t('contacts.coverage.link')}
              </ButtonLink>
            </Group>
          </FeatureCard>
          <FeatureCard title={t('home.discussions')} intro={t('home.discussionsIntro')}>
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
          </FeatureCard>
          <FeatureCard title={<AppLink to="/organisations">{t('nav.organisations')}</AppLink>} intro={t('organisations.intro')}>
            {orgs.data && <Text size="sm">{t('home.organisationCount', { count: orgCount })}</Text>}
            <Group mt="sm">
              <ButtonLink to="/organisations" variant="light" size="sm">
                {t('home.browseDirectory')}
              </ButtonLink>
            </Group>
          </FeatureCard>
        </SimpleGrid>
      </Workstream>
    </Page>
  );
}

