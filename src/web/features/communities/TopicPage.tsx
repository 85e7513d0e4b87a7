import { Alert, Card, Stack, Text, Title } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { Loading, Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import { useUploadFiles } from './attachments';
import { MarkdownEditor, PostFormEnd, type EditorValue } from './MarkdownEditor';
import { MarkingChanger } from './Marking';
import { EditablePost, ReplyCard } from './Posts';
import { asError, useWhen } from './common';
import { SubscribeToggle } from './SubscribeToggle';
import type { Topic } from './types';

// ---------- one topic ----------

export function TopicPage() {
  const { t } = useTranslation();
  const when = useWhen();
  const { communityId, topicId } = useParams({ strict: false }) as { communityId: string; topicId: string };
  const topic = useApi<Topic>(`/api/v1/topics/${topicId}`);
  const [value, setValue] = useState<EditorValue>({ body: '', mentions: [], files: [] });
  const [error, setError] = useState<ApiError>();
  const [fileErrors, setFileErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [editorKey, setEditorKey] = useState(0);
  const navigate = useNavigate();
  const uploadFiles = useUploadFiles();
  if (topic.loading && !topic.data) return <Loading />;
  if (topic.error || !topic.data)
    return (
      <Page title={t('discussions.notFound')}>
        <Alert color="gray">{t('errors.NOT_FOUND')}</Alert>
        <AppLink to="/communities/$communityId" params={{ communityId }}>
          {t('discussions.backToCommunity')}
        </AppLink>
      </Page>
    );
  const tp = topic.data;
  async function reply(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setFileErrors([]);
    try {
      const r = await api.post<Topic & { replyId: string }>(`/api/v1/topics/${tp.id}/replies`, { body: value.body, mentions: value.mentions });
      setFileErrors(await uploadFiles(tp.id, value.files, r.replyId));
      setValue({ body: '', mentions: [], files: [] });
      setEditorKey((k) => k + 1);
      topic.reload();
    } catch (x) {
      setError(asError(x));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Page title={tp.title} actions={<TlpBadge tlp={tp.tlp} />}>
      <Text size="sm" c="dimmed">
        {t('discussions.postedBy', { name: tp.author.name, org: tp.organisation.name, when: when(tp.createdAt) })} ·{' '}
        <AppLink to="/communities/$communityId" params={{ communityId: tp.communityId }}>
          {tp.communityName}
        </AppLink>
      </Text>
      <Text size="sm">
        {t('discussions.tlp')}: {t(`discussions.tlpAudience.${tp.tlp}`, { community: tp.communityName })}
      </Text>
      <Card withBorder component="article" aria-label={t('discussions.topicBody')}>
        <EditablePost
          what="topic"
          post={tp}
          save={(v) => api.patch(`/api/v1/topics/${tp.id}`, v)}
          onSaved={topic.reload}
          onDelete={async () => {
            await api.del(`/api/v1/topics/${tp.id}`);
            await navigate({ to: '/communities/$communityId', params: { communityId: tp.communityId } });
          }}
        >
          {tp.editedAt && (
            <Text size="xs" c="dimmed" mt="xs">
              {t('discussions.manage.edited', { when: when(tp.editedAt) })}
            </Text>
          )}
        </EditablePost>
      </Card>
      {tp.can.changeMarking && <MarkingChanger key={tp.tlp} tp={tp} onDone={topic.reload} />}
      {tp.can.reply && <SubscribeToggle path={`/api/v1/topics/${tp.id}/subscription`} mode={tp.subscription} onChange={topic.reload} />}
      <section aria-labelledby="replies-heading">
        <Title order={2} size="h3" id="replies-heading" mb="sm">
          {t('discussions.repliesTitle', { count: tp.replies.length })}
        </Title>
        <Stack>
          {tp.replies.map((r) => (
            <ReplyCard key={r.id} r={r} onChange={topic.reload} />
          ))}
        </Stack>
      </section>
      {tp.can.reply ? (
        <Card withBorder component="form" onSubmit={reply} aria-labelledby="reply-heading">
          <Stack>
            <Title order={2} size="h3" id="reply-heading">
              {t('discussions.reply')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('discussions.replyInherits', { tlp: `TLP:${tp.tlp}` })}
            </Text>
            <MarkdownEditor key={editorKey} communityId={tp.communityId} value={value} onChange={setValue} label={t('discussions.replyBody')} />
            <PostFormEnd error={error} fileErrors={fileErrors} busy={busy} submit={t('discussions.sendReply')} />
          </Stack>
        </Card>
      ) : (
        <Text c="dimmed">{t('discussions.membersOnlyPost')}</Text>
      )}
      <AppLink to="/communities/$communityId" params={{ communityId: tp.communityId }}>
        {t('discussions.backToCommunity')}
      </AppLink>
    </Page>
  );
}
