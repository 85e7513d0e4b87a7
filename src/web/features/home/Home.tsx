import { Badge, Card, Group, List, Select, SimpleGrid, Stack, Text, Title, type MantineSpacing } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommunitySummary, Items, Note, Organisation } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import { personasFor, type Persona } from '../../navigation';
import { usePersona, type SecretariatTodo } from '../../persona';
import { useSession } from '../../session';
import { NoteCard } from '../notes/Notes';
import { CommunityCard } from '../communities/Communities';
import type { IntelPage } from '../intel/api';
import { listUrl } from '../intel/filters';
import { displayName } from '../intel/names';
import { IncidentsHomeCard } from '../incidents/HomeCard';

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
          ({t('home.replyCount', { count: topic.replyCount })})
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
function FeatureCard({ title, action, intro, mt, children, testId }: { title: ReactNode; action?: ReactNode; intro: ReactNode; mt?: MantineSpacing; children?: ReactNode; testId?: string }) {
  return (
    <Card withBorder padding="lg" mt={mt} data-testid={testId}>
      {action ? (
        <Group justify="space-between" mb="sm" gap="xs">
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

function NotesCard({ intro }: { intro: string }) {
  const { t } = useTranslation();
  const notes = useApi<Items<Note>>('/api/v1/notes');
  const recent = (notes.data?.items ?? []).slice(0, 3);
  return (
    <FeatureCard
      testId="home-notes"
      title={<AppLink to="/notes">{t('nav.notes')}</AppLink>}
      action={
        <ButtonLink to="/notes/new" size="sm">
          {t('notes.new')}
        </ButtonLink>
      }
      intro={intro}
    >
      {recent.length > 0 ? (
        <Stack gap="sm">
          {recent.map((n) => (
            <NoteCard key={n.id} note={n} />
          ))}
        </Stack>
      ) : (
        !notes.loading && (notes.error ? <ErrorAlert error={notes.error} /> : <Text size="sm">{t('notes.none')}</Text>)
      )}
    </FeatureCard>
  );
}

/** The analyst's first card: what members submitted lately (no reference content, no relationships), and the intel pages. */
function IntelCard() {
  const { t } = useTranslation();
  const labels = useLabels();
  const latest = useApi<IntelPage>(listUrl({}, null, 5));
  const items = latest.data?.items ?? [];
  return (
    <FeatureCard
      testId="home-intel"
      title={<AppLink to="/intel">{t('intel.list.title')}</AppLink>}
      action={
        <ButtonLink to="/intel/upload" size="sm">
          {t('intel.list.upload')}
        </ButtonLink>
      }
      intro={t('intel.home.intro')}
    >
      <Text size="sm" fw={600} mb={4}>
        {t('start.analyst.latest')}
      </Text>
      {latest.error ? (
        <ErrorAlert error={latest.error} />
      ) : items.length > 0 ? (
        <List size="sm" spacing={4} mb="sm" listStyleType="none" pl={0}>
          {items.map((it) => (
            <List.Item key={`${it.id}/${it.version}`} data-testid="home-intel-item">
              <Group gap="xs" wrap="wrap">
                <TlpBadge tlp={it.tlp} size="sm" />
                <AppLink to="/intel/objects/$id" params={{ id: it.id }}>
                  {displayName(it)}
                </AppLink>
                <Text span size="sm" c="dimmed">
                  {t(`intel.types.${it.type}`, { defaultValue: it.type })}
                  {it.organisation ? ` · ${it.organisation.name} (${labels.country(it.organisation.country)})` : ''}
                </Text>
              </Group>
            </List.Item>
          ))}
        </List>
      ) : (
        latest.data && (
          <Text size="sm" mb="sm">
            {t('intel.list.noneFromMembers')}
          </Text>
        )
      )}
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
  );
}

/** Points of contact, opened on the kinds this view needs. */
function ContactsCard({ persona }: { persona: Persona }) {
  const { t } = useTranslation();
  const kind: Record<Persona, { kind: string; label: string; intro: string }> = {
    analyst: { kind: 'operational_24_7', label: t('start.analyst.contacts'), intro: t('start.analyst.contactsIntro') },
    diplomat: { kind: 'diplomatic', label: t('start.diplomat.contacts'), intro: t('start.diplomat.contactsIntro') },
    capacity: { kind: 'capacity_building', label: t('start.capacity.contacts'), intro: t('start.capacity.contactsIntro') },
    secretariat: { kind: 'diplomatic', label: t('start.diplomat.contacts'), intro: t('home.contactsIntro') },
  };
  const k = kind[persona];
  return (
    <FeatureCard testId="home-contacts" title={<AppLink to="/contacts">{t('nav.contacts')}</AppLink>} intro={k.intro}>
      <Group gap="xs">
        <ButtonLink to="/contacts" search={{ kind: k.kind }} variant="light" size="sm">
          {k.label}
        </ButtonLink>
        <ButtonLink to="/contacts" variant="default" size="sm">
          {t('home.findContacts')}
        </ButtonLink>
        <ButtonLink to="/contacts/coverage" variant="default" size="sm">
          {t('contacts.coverage.link')}
        </ButtonLink>
      </Group>
    </FeatureCard>
  );
}

function CommunitiesCard({ intro }: { intro: string }) {
  const { t } = useTranslation();
  const communities = useApi<Items<CommunitySummary>>('/api/v1/communities');
  const mine = (communities.data?.items ?? []).filter((c) => c.isMember).slice(0, 3);
  return (
    <FeatureCard testId="home-communities" title={<AppLink to="/communities">{t('nav.communities')}</AppLink>} intro={intro}>
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
      <ErrorAlert error={communities.error} />
    </FeatureCard>
  );
}

function DiscussionsCard() {
  const { t } = useTranslation();
  const communities = useApi<Items<CommunitySummary>>('/api/v1/communities');
  const mine = (communities.data?.items ?? []).filter((c) => c.isMember).slice(0, 3);
  return (
    <FeatureCard testId="home-discussions" title={t('home.discussions')} intro={t('home.discussionsIntro')}>
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
  );
}

function DirectoryCard({ intro }: { intro: string }) {
  const { t } = useTranslation();
  const orgs = useApi<Items<Organisation>>('/api/v1/organisations?status=approved');
  const orgCount = (orgs.data?.items ?? []).filter((o) => o.status === 'approved').length;
  return (
    <FeatureCard testId="home-directory" title={<AppLink to="/organisations">{t('nav.organisations')}</AppLink>} intro={intro}>
      {orgs.data && <Text size="sm">{t('home.organisationCount', { count: orgCount })}</Text>}
      <Group mt="sm">
        <ButtonLink to="/organisations" variant="light" size="sm">
          {t('home.browseDirectory')}
        </ButtonLink>
      </Group>
    </FeatureCard>
  );
}

/** The secretariat's to-do panel: what waits for its decision, with counts (of what it may see only). */
function TodoPanel({ todo }: { todo: SecretariatTodo | null }) {
  const { t } = useTranslation();
  const rows: { key: keyof SecretariatTodo; to: string; search?: Record<string, string> }[] = [
    { key: 'organisations', to: '/secretariat', search: { tab: 'organisations' } },
    { key: 'nominations', to: '/contacts/nominations' },
    { key: 'proposals', to: '/communities/proposals' },
    { key: 'requests', to: '/requests/triage' },
  ];
  const total = todo ? todo.organisations + todo.nominations + todo.proposals + todo.requests : null;
  return (
    <section aria-labelledby="todo-title" data-testid="todo-panel">
      <Card withBorder padding="lg">
        <Title order={2} id="todo-title" size="h3" mb={4}>
          {t('start.todo.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('start.todo.intro')}
        </Text>
        {todo && (
          <Stack gap="xs">
            {rows.map((r) => (
              <Group key={r.key} justify="space-between" wrap="nowrap" gap="sm" data-testid={`todo-${r.key}`} data-count={todo[r.key]}>
                <Group gap="xs" wrap="nowrap">
                  <Badge color={todo[r.key] > 0 ? 'red.9' : 'gray.7'} size="lg" circle={todo[r.key] < 10} aria-hidden="true">
                    {todo[r.key]}
                  </Badge>
                  <Text size="sm">{t(`start.todo.${r.key}`, { count: todo[r.key] })}</Text>
                </Group>
                <ButtonLink to={r.to} search={r.search} variant={todo[r.key] > 0 ? 'filled' : 'default'} size="xs" aria-label={t(`start.todo.review.${r.key}`)}>
                  {t('start.todo.open')}
                </ButtonLink>
              </Group>
            ))}
            {total === 0 && <Text size="sm">{t('start.todo.nothing')}</Text>}
          </Stack>
        )}
      </Card>
    </section>
  );
}

function SecretariatTools() {
  const { t } = useTranslation();
  return (
    <FeatureCard testId="home-secretariat-tools" title={t('start.secretariat.tools')} intro={t('start.secretariat.toolsIntro')}>
      <Group gap="xs">
        <ButtonLink to="/communication-checks/new" size="sm">
          {t('start.secretariat.launchCheck')}
        </ButtonLink>
        <ButtonLink to="/communication-checks" variant="light" size="sm">
          {t('nav.checks')}
        </ButtonLink>
        <ButtonLink to="/secretariat" search={{ tab: 'audit' }} variant="default" size="sm">
          {t('secretariat.audit')}
        </ButtonLink>
        <ButtonLink to="/secretariat" search={{ tab: 'outbox' }} variant="default" size="sm">
          {t('secretariat.outbox')}
        </ButtonLink>
        <ButtonLink to="/contacts/focal-points" variant="default" size="sm">
          {t('start.secretariat.focalPoints')}
        </ButtonLink>
      </Group>
    </FeatureCard>
  );
}

/** Which view the page is arranged for, why, and a way to switch. */
function ViewSwitch() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const { persona, start, chosen, choose } = usePersona();
  if (!persona || !me) return null;
  const why = start
    ? start.basis === 'organisation'
      ? t('start.basis.organisation', { type: labels.orgType(start.organisationType) })
      : t(`start.basis.${start.basis}`)
    : '';
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <Select
        label={t('start.viewLabel')}
        description={chosen ? t('start.chosen') : why}
        data={personasFor(me.roles).map((p) => ({ value: p, label: t(`start.personas.${p}`) }))}
        value={persona}
        allowDeselect={false}
        onChange={(v) => v && choose(v === start?.persona ? null : (v as Persona))}
        w={300}
        maw="100%"
        data-testid="persona-switch"
      />
    </Group>
  );
}

/**
 * The home page, arranged for the person: an analyst starts from threat intelligence, a
 * diplomat from notes, communities and diplomatic contacts (no STIX or TAXII in sight), a
 * capacity-building provider from communities and partners, and the secretariat from its
 * to-do list. The sections follow the charter's workstreams; only what exists is shown.
 */
export function Home() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const { persona, todo } = usePersona();
  const view: Persona = persona ?? 'diplomat';
  const info = (
    <Workstream key="info" id="ws-information" title={t('workstreams.informationSharing.title')} description={t('workstreams.informationSharing.description')}>
      <Stack gap="md">
        {view === 'analyst' && <IntelCard />}
        {view === 'analyst' && <IncidentsHomeCard />}
        <NotesCard intro={view === 'diplomat' ? t('start.diplomat.notesIntro') : t('workstreams.informationSharing.notesIntro')} />
      </Stack>
    </Workstream>
  );
  const joint = (
    <Workstream key="joint" id="ws-joint" title={t('workstreams.jointInitiatives.title')} description={t('workstreams.jointInitiatives.description')}>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {view === 'capacity' ? (
          <>
            <CommunitiesCard intro={t('start.capacity.communitiesIntro')} />
            <DirectoryCard intro={t('start.capacity.directoryIntro')} />
            <ContactsCard persona={view} />
            <DiscussionsCard />
          </>
        ) : (
          <>
            <ContactsCard persona={view} />
            <CommunitiesCard intro={t('communities.intro')} />
            <DiscussionsCard />
            <DirectoryCard intro={view === 'diplomat' ? t('start.diplomat.directoryIntro') : t('organisations.intro')} />
          </>
        )}
      </SimpleGrid>
    </Workstream>
  );
  return (
    <Page title={t('home.title', { name: me?.name ?? '' })}>
      <Text>
        {me?.organisation ? t('home.subtitle', { organisation: me.organisation.name, country: labels.country(me.organisation.country) }) : null}{' '}
        {t('home.levels')}
      </Text>
      <ViewSwitch />
      {persona && (
        <Stack gap="xl" data-testid="home-view" data-persona={persona}>
          {view === 'secretariat' && (
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <TodoPanel todo={todo} />
              <SecretariatTools />
            </SimpleGrid>
          )}
          {view === 'capacity' ? [joint, info] : [info, joint]}
        </Stack>
      )}
    </Page>
  );
}
