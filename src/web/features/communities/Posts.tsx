import { Alert, Button, Card, Group, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { AttachmentList } from './attachments';
import { asError, ServerHtml, useWhen } from './common';
import type { Attachment, Reply } from './types';

// ---------- editing, deleting ----------

/** Edit a post in place: its Markdown (and the topic's title); the server renders and sanitises it again. */
function EditPost({ what, title, body, onSave, onCancel }: { what: 'topic' | 'reply'; title?: string; body: string; onSave: (v: { title?: string; body: string }) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [v, setV] = useState({ title, body });
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSave(what === 'topic' ? { title: v.title, body: v.body } : { body: v.body });
    } catch (x) {
      setError(asError(x));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Stack component="form" onSubmit={submit} gap="sm" aria-label={t(what === 'topic' ? 'discussions.manage.editTopic' : 'discussions.manage.editReply')}>
      {what === 'topic' && <TextInput label={t('discussions.topicTitle')} required maxLength={300} value={v.title ?? ''} onChange={(e) => setV({ ...v, title: e.currentTarget.value })} />}
      <Textarea
        label={what === 'topic' ? t('discussions.body') : t('discussions.replyBody')}
        description={t('discussions.markdownHelp')}
        autosize
        minRows={4}
        maxRows={20}
        required
        data-autofocus
        value={v.body}
        onChange={(e) => setV({ ...v, body: e.currentTarget.value })}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
        }}
      />
      <ErrorAlert error={error} />
      <Group>
        <Button type="submit" loading={busy}>
          {t('discussions.manage.save')}
        </Button>
        <Button variant="default" onClick={onCancel}>
          {t('discussions.manage.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}

/** A delete button that asks once more, in place (keyboard: Tab to the confirmation, Escape by Cancel). */
function DeleteButton({ label, question, onDelete }: { label: string; question: string; onDelete: () => Promise<void> }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  if (!asking)
    return (
      <Button variant="subtle" color="red" size="xs" onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  return (
    <Alert color="red" role="alertdialog" aria-label={label} title={question}>
      <Group>
        <Button
          color="red"
          size="xs"
          autoFocus
          loading={busy}
          onClick={async () => {
            setBusy(true);
            setError(undefined);
            try {
              await onDelete();
            } catch (x) {
              setError(asError(x));
              setBusy(false);
            }
          }}
        >
          {t('discussions.manage.confirmDelete')}
        </Button>
        <Button variant="default" size="xs" onClick={() => setAsking(false)}>
          {t('discussions.manage.cancel')}
        </Button>
      </Group>
      <ErrorAlert error={error} />
    </Alert>
  );
}

function Edited({ at }: { at: string | null }) {
  const { t } = useTranslation();
  const when = useWhen();
  if (!at) return null;
  return (
    <Text span size="xs" c="dimmed">
      {' '}
      · {t('discussions.manage.edited', { when: when(at) })}
    </Text>
  );
}

const POST_LABELS = {
  topic: { edit: 'discussions.manage.editTopic', delete: 'discussions.manage.deleteTopic', confirmDelete: 'discussions.manage.confirmDeleteTopic' },
  reply: { edit: 'discussions.manage.editReply', delete: 'discussions.manage.deleteReply', confirmDelete: 'discussions.manage.confirmDeleteReply' },
} as const;

/**
 * The body of a topic or reply with its attachments and, for whoever may, its edit and delete
 * buttons; editing swaps the body for the editor. `children` sit between attachments and buttons.
 */
export function EditablePost({
  what,
  post,
  save,
  onSaved,
  onDelete,
  children,
}: {
  what: 'topic' | 'reply';
  post: { title?: string; bodyMarkdown: string; bodyHtml: string; attachments: Attachment[]; can: { edit: boolean; delete: boolean } };
  save: (v: { title?: string; body: string }) => Promise<unknown>;
  onSaved: () => void;
  onDelete: () => Promise<void>;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const labels = POST_LABELS[what];
  return (
    <>
      {editing ? (
        <EditPost
          what={what}
          title={post.title}
          body={post.bodyMarkdown}
          onCancel={() => setEditing(false)}
          onSave={async (v) => {
            await save(v);
            setEditing(false);
            onSaved();
          }}
        />
      ) : (
        <ServerHtml html={post.bodyHtml} />
      )}
      <AttachmentList items={post.attachments} />
      {children}
      {(post.can.edit || post.can.delete) && !editing && (
        <Group gap="xs" mt="xs">
          {post.can.edit && (
            <Button variant="subtle" size="xs" onClick={() => setEditing(true)}>
              {t(labels.edit)}
            </Button>
          )}
          {post.can.delete && <DeleteButton label={t(labels.delete)} question={t(labels.confirmDelete)} onDelete={onDelete} />}
        </Group>
      )}
    </>
  );
}

export function ReplyCard({ r, onChange }: { r: Reply; onChange: () => void }) {
  const { t } = useTranslation();
  const when = useWhen();
  return (
    <Card withBorder component="article" aria-label={t('discussions.replyBy', { name: r.author.name })}>
      <Text size="sm" c="dimmed" mb="xs">
        {t('discussions.postedBy', { name: r.author.name, org: r.organisation, when: when(r.createdAt) })}
        <Edited at={r.editedAt} />
      </Text>
      <EditablePost
        what="reply"
        post={r}
        save={(v) => api.patch(`/api/v1/replies/${r.id}`, { body: v.body })}
        onSaved={onChange}
        onDelete={async () => {
          await api.del(`/api/v1/replies/${r.id}`);
          onChange();
        }}
      />
    </Card>
  );
}
