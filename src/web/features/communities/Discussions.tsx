import { Alert, Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { TopicTlp } from '#shared/tlp';
import type { Items } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import { DataTable } from '../../components/DataTable';
import { useUploadFiles } from './attachments';
import { MarkdownEditor, PostFormEnd, type EditorValue } from './MarkdownEditor';
import { TopicTlpFields } from './Marking';
import { JoinButtons, JoinRequests } from './Membership';
import { asError, useWhen } from './common';
import { SubscribeToggle } from './SubscribeToggle';
import type { CommunityFull, Topic, TopicSummary } from './types';

function TopicForm({ community, onDone }: { community: CommunityFull; onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [tlp, setTlp] = useState<TopicTlp>('AMBER');
  const [redPeople, setRedPeople] = useState<string[]>([]);
  const [value, setValue] = useState<EditorValue>({ body: '', mentions: [], files: [] });
  const [error, setError] = useState<ApiError>();
  const [fileErrors, setFileErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const uploadFiles = useUploadFiles();
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setFileErrors([]);
    try {
      const created = await api.post<Topic>(`/api/v1/communities/${community.id}/topics`, {
        title,
        body: value.body,
        tlp,
        ...(tlp === 'RED' ? { audience: { people: redPeople } } : {}),
        mentions: value.mentions,
      });
      const errs = await uploadFiles(created.id, value.files);
      setFileErrors(errs);
      if (!errs.length) onDone(created.id);
    } catch (x) {
      setError(asError(x));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card withBorder component="form" onSubmit={submit} aria-labelledby="new-topic-heading">
      <Stack>
        <Title order={3} size="h4" id="new-topic-heading">
          {t('discussions.newTopic')}
        </Title>
        <TextInput label={t('discussions.topicTitle')} required maxLength={300} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <TopicTlpFields community={community} description={t('discussions.tlpHelp')} tlp={tlp} onTlp={setTlp} people={redPeople} onPeople={setRedPeople} />
        <MarkdownEditor communityId={community.id} value={value} onChange={setValue} label={t('discussions.body')} />
        <PostFormEnd error={error} fileErrors={fileErrors} busy={busy} submit={t('discussions.publish')} />
      </Stack>
    </Card>
  );
}

/** The parts of a community page beyond its members: status, joining, following, join requests, discussions. */
export function CommunityDiscussions({ community, reload }: { community: CommunityFull; reload: () => void }) {
  const { t } = useTranslation();
  const when = useWhen();
  const topics = useApi<Items<TopicSummary>>(community.status === 'approved' ? `/api/v1/communities/${community.id}/topics` : null);
  const [writing, setWriting] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  return (
    <>
      {community.status !== 'approved' && (
        <Alert color={community.status === 'rejected' ? 'red' : 'yellow'} title={t(`discussions.status.${community.status}`)}>
          {community.proposal?.decisionReason ? t('discussions.decisionReason', { reason: community.proposal.decisionReason }) : t('discussions.waitingApproval')}
        </Alert>
      )}
      {community.descriptionHidden && <Text c="dimmed">{t('discussions.descriptionHidden')}</Text>}
      <JoinButtons community={community} onChange={reload} />
      {community.isMember && community.status === 'approved' && <SubscribeToggle path={`/api/v1/communities/${community.id}/subscription`} mode={community.subscription} onChange={reload} />}
      <JoinRequests community={community} />
      {community.status === 'approved' && (
        <section aria-labelledby="discussions-heading">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h3" id="discussions-heading">
              {t('discussions.title')}
            </Title>
            {community.isMember && !writing && <Button onClick={() => setWriting(true)}>{t('discussions.newTopic')}</Button>}
          </Group>
          {!community.isMember && <Text size="sm" c="dimmed" mb="sm">{t('discussions.membersOnlyPost')}</Text>}
          {created && (
            <Alert color="teal" role="status" mb="sm">
              {t('discussions.published')}{' '}
              <AppLink to="/communities/$communityId/topics/$topicId" params={{ communityId: community.id, topicId: created }}>
                {t('discussions.openTopic')}
              </AppLink>
            </Alert>
          )}
          {writing && (
            <TopicForm
              community={community}
              onDone={(id) => {
                setWriting(false);
                setCreated(id);
                topics.reload();
              }}
            />
          )}
          <ErrorAlert error={topics.error} />
          {topics.error ? null : topics.loading && !topics.data ? (
            <Loading />
          ) : (topics.data?.items ?? []).length === 0 ? (
            <Text>{t('discussions.noTopics')}</Text>
          ) : (
            <DataTable
              caption={t('discussions.tableCaption')}
              columns={[t('discussions.topic'), 'TLP', t('discussions.author'), t('discussions.replies'), t('discussions.lastActivity')]}
              rows={topics.data?.items ?? []}
            >
              {(x) => (
                <Table.Tr key={x.id}>
                  <Table.Td>
                    <AppLink to="/communities/$communityId/topics/$topicId" params={{ communityId: community.id, topicId: x.id }}>
                      {x.title}
                    </AppLink>{' '}
                    <Badge size="xs" variant="light" aria-label={t('discussions.language', { lang: x.language })}>
                      {x.language}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <TlpBadge tlp={x.tlp} size="sm" />
                  </Table.Td>
                  <Table.Td>
                    {x.author.name} ({x.organisation.name})
                  </Table.Td>
                  <Table.Td>{x.replyCount}</Table.Td>
                  <Table.Td>{when(x.lastActivityAt)}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          )}
        </section>
      )}
    </>
  );
}
