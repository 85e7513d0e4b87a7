import { Alert, Badge, Button, Card, Group, MultiSelect, Radio, Select, Stack, Table, Text, Textarea, TextInput, Title, Typography } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, getCsrfToken, qs } from '../../api/client';
import { TOPIC_TLP_LEVELS, type TopicTlp } from '../../../shared/tlp';
import type { CommunityDetail, Items, Tlp } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { TlpBadge } from '../../components/TlpBadge';
import { hasRole, useSession } from '../../session';
import { DataTable } from '../../components/DataTable';

// ---------- types (the API's shapes) ----------

export type Mode = 'immediate' | 'daily';
export interface CommunityFull {
  id: string;
  slug: string;
  name: string;
  description: string;
  isMember: boolean;
  isAdmin: boolean;
  status: 'proposed' | 'approved' | 'rejected';
  visibility: 'public' | 'members';
  descriptionHidden: boolean;
  can: CommunityDetail['can'];
  proposal: null | { organisationId: string | null; reason: string; decisionReason: string | null; decidedAt: string | null };
  pendingRequests: { person: boolean; organisation: boolean };
  subscription: Mode | null;
  people: { id: string; name: string; isAdmin: boolean }[];
}
interface Person {
  id: string;
  name: string;
}
interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
}
interface TopicSummary {
  id: string;
  communityId: string;
  title: string;
  language: string;
  tlp: Tlp;
  author: Person;
  organisation: { id: string; name: string };
  replyCount: number;
  createdAt: string;
  lastActivityAt: string;
  /** What this viewer may do with the topic: the server enforces the same rule. */
  can: { edit: boolean; changeMarking: boolean; delete: boolean; moderate: boolean; reply: boolean; attach: boolean };
}
interface Reply {
  id: string;
  bodyMarkdown: string;
  bodyHtml: string;
  author: Person;
  organisation: string;
  mentions: Person[];
  attachments: Attachment[];
  createdAt: string;
  editedAt: string | null;
  canEdit: boolean;
  canDelete: boolean;
  /** What this viewer may do with the reply: the server enforces the same rule. */
  can: { edit: boolean; delete: boolean; attach: boolean };
}
interface Topic extends TopicSummary {
  communityName: string;
  bodyMarkdown: string;
  bodyHtml: string;
  mentions: Person[];
  attachments: Attachment[];
  replies: Reply[];
  editedAt: string | null;
  canEdit: boolean;
  canDelete: boolean;
  canChangeMarking: boolean;
  canPost: boolean;
  canAttach: boolean;
  subscription: Mode | null;
}
interface JoinRequest {
  id: string;
  kind: 'organisation' | 'person';
  organisation: { id: string; name: string; country: string } | null;
  person: Person | null;
  requestedBy: { id: string; name: string; organisation: string };
  message: string;
  status: 'pending' | 'approved' | 'declined';
  decisionReason: string | null;
  createdAt: string;
}
interface Proposal {
  id: string;
  slug: string;
  name: string;
  description: string;
  visibility: 'public' | 'members';
  status: 'proposed' | 'approved' | 'rejected';
  reason: string;
  proposedBy: { id: string | null; name: string };
  organisation: { id: string | null; name: string; country: string };
  decisionReason: string | null;
  createdAt: string;
}

const asError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'NETWORK_ERROR', String(e)));
/** Date and time in the person's time zone, labelled (components/time.ts). */
function useWhen() {
  const labels = useLabels();
  return (iso: string | null) => labels.dateTime(iso);
}

/** Sanitised on the server (markdown-it without HTML + sanitize-html allow-list): safe to insert. */
function ServerHtml({ html }: { html: string }) {
  return (
    <Typography>
      <div className="discussion-body" dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}

function AttachmentList({ items }: { items: Attachment[] }) {
  const { t } = useTranslation();
  if (!items.length) return null;
  return (
    <Stack gap={2} aria-label={t('discussions.attachments')} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {items.map((a) => (
        <li key={a.id}>
          <a href={`/api/v1/attachments/${a.id}`} download={a.fileName}>
            {a.fileName}
          </a>{' '}
          <Text span size="xs" c="dimmed">
            ({t('discussions.size', { kb: Math.max(1, Math.round(a.sizeBytes / 1024)) })})
          </Text>
        </li>
      ))}
    </Stack>
  );
}

// ---------- uploads ----------

async function uploadFile(topicId: string, file: File, replyId?: string): Promise<void> {
  const res = await fetch(`/api/v1/topics/${topicId}/attachments${qs({ name: file.name, replyId })}`, {
    method: 'POST',
    headers: { 'Content-Type': file.type || 'application/octet-stream', 'X-CSRF-Token': getCsrfToken() ?? '', Accept: 'application/json' },
    body: file,
    credentials: 'same-origin',
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: unknown } };
    throw new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? res.statusText, body.error?.details);
  }
}

/** Uploads files one after the other to a topic (or one of its replies); answers what went wrong, one message a file. */
function useUploadFiles() {
  const { t } = useTranslation();
  const describe = (file: File, e: ApiError) => {
    if (e.status === 413) {
      const limit = (e.details as { limitBytes?: number } | undefined)?.limitBytes;
      return t('discussions.fileTooBig', { name: file.name, mb: limit ? (limit / 1048576).toFixed(1) : '?' });
    }
    if (e.status === 415) return t('discussions.fileTypeRefused', { name: file.name });
    return t('discussions.fileFailed', { name: file.name, message: e.message });
  };
  return async (topicId: string, files: File[], replyId?: string): Promise<string[]> => {
    const errs: string[] = [];
    for (const f of files) await uploadFile(topicId, f, replyId).catch((x: unknown) => errs.push(describe(f, asError(x))));
    return errs;
  };
}

/** The end of a post form: its errors (the request's, then one a file) and the submit button. */
function PostFormEnd({ error, fileErrors, busy, submit }: { error: ApiError | undefined; fileErrors: string[]; busy: boolean; submit: string }) {
  return (
    <>
      <ErrorAlert error={error} />
      {fileErrors.map((m) => (
        <Alert key={m} color="red" role="alert">
          {m}
        </Alert>
      ))}
      <Group>
        <Button type="submit" loading={busy}>
          {submit}
        </Button>
      </Group>
    </>
  );
}

// ---------- the Markdown editor with preview, mentions, TLP, files ----------

interface EditorValue {
  body: string;
  mentions: string[];
  files: File[];
}

function MarkdownEditor({ communityId, value, onChange, label }: { communityId: string; value: EditorValue; onChange: (v: EditorValue) => void; label: string }) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<string | null>(null);
  const [previewError, setPreviewError] = useState<ApiError>();
  const [search, setSearch] = useState('');
  const members = useApi<Items<{ id: string; name: string; organisation: string }>>(`/api/v1/communities/${communityId}/mentionable${qs({ q: search })}`);
  const [known, setKnown] = useState<Map<string, string>>(new Map());
  const options = [
    ...(members.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.name} — ${m.organisation}` })),
    ...value.mentions.filter((id) => !(members.data?.items ?? []).some((m) => m.id === id)).map((id) => ({ value: id, label: known.get(id) ?? id })),
  ];
  return (
    <Stack gap="sm">
      <Textarea label={label} description={t('discussions.markdownHelp')} autosize minRows={5} maxRows={20} required value={value.body} onChange={(e) => onChange({ ...value, body: e.currentTarget.value })} />
      <Group>
        <Button
          variant="default"
          size="xs"
          onClick={async () => {
            setPreviewError(undefined);
            try {
              setPreview((await api.post<{ html: string }>('/api/v1/discussions/preview', { markdown: value.body })).html);
            } catch (e) {
              setPreviewError(asError(e));
            }
          }}
        >
          {t('discussions.preview')}
        </Button>
      </Group>
      <ErrorAlert error={previewError} />
      {preview !== null && (
        <Card withBorder aria-label={t('discussions.previewLabel')} role="region">
          <ServerHtml html={preview} />
        </Card>
      )}
      <MultiSelect
        label={t('discussions.mentions')}
        description={t('discussions.mentionsHelp')}
        searchable
        searchValue={search}
        onSearchChange={setSearch}
        data={options}
        value={value.mentions}
        onChange={(ids) => {
          const names = new Map(known);
          for (const m of members.data?.items ?? []) names.set(m.id, m.name);
          setKnown(names);
          // Put "@Name" into the text for each newly picked person.
          const added = ids.filter((id) => !value.mentions.includes(id)).map((id) => `@${names.get(id) ?? ''}`);
          onChange({ ...value, mentions: ids, body: added.length ? `${value.body}${value.body && !value.body.endsWith(' ') ? ' ' : ''}${added.join(' ')} ` : value.body });
        }}
        nothingFoundMessage={t('discussions.noMembersFound')}
      />
      <div>
        <label htmlFor={`files-${label}`}>
          <Text size="sm" fw={500}>
            {t('discussions.files')}
          </Text>
        </label>
        <Text size="xs" c="dimmed" id={`files-help-${label}`}>
          {t('discussions.filesHelp')}
        </Text>
        <input
          id={`files-${label}`}
          type="file"
          multiple
          aria-describedby={`files-help-${label}`}
          accept=".pdf,.png,.jpg,.jpeg,.webp,.gif,.txt,.csv,.json,.docx,.xlsx,.pptx,.odt"
          onChange={(e) => onChange({ ...value, files: Array.from(e.currentTarget.files ?? []) })}
        />
      </div>
    </Stack>
  );
}


/** A topic's TLP (each level said as who in the community may read) and, at RED, the people who may. */
function TopicTlpFields({
  community,
  description,
  tlp,
  onTlp,
  people,
  onPeople,
}: {
  community: { id: string; name: string };
  description?: string;
  tlp: TopicTlp;
  onTlp: (tlp: TopicTlp) => void;
  people: string[];
  onPeople: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  const members = useApi<Items<{ id: string; name: string; organisation: string }>>(tlp === 'RED' ? `/api/v1/communities/${community.id}/mentionable` : null);
  return (
    <>
      <Radio.Group label={t('discussions.tlp')} description={description} value={tlp} onChange={(v) => onTlp(v as TopicTlp)}>
        <Stack gap={4} mt="xs">
          {TOPIC_TLP_LEVELS.map((x) => (
            <Radio key={x} value={x} label={<span><TlpBadge tlp={x} size="sm" /> {t(`discussions.tlpAudience.${x}`, { community: community.name })}</span>} aria-label={`TLP:${x} — ${t(`discussions.tlpAudience.${x}`, { community: community.name })}`} />
          ))}
        </Stack>
      </Radio.Group>
      {tlp === 'RED' && (
        <MultiSelect label={t('discussions.redPeople')} searchable data={(members.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.name} — ${m.organisation}` }))} value={people} onChange={onPeople} />
      )}
    </>
  );
}

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

function SubscribeToggle({ path, mode, onChange }: { path: string; mode: Mode | null; onChange: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError>();
  return (
    <Stack gap={4}>
      <Select
        label={t('discussions.follow')}
        w={260}
        allowDeselect={false}
        value={mode ?? 'none'}
        data={[
          { value: 'none', label: t('discussions.followNone') },
          { value: 'immediate', label: t('discussions.followImmediate') },
          { value: 'daily', label: t('discussions.followDaily') },
        ]}
        onChange={async (v) => {
          setError(undefined);
          try {
            if (!v || v === 'none') await api.del(path);
            else await api.put(path, { mode: v });
            onChange();
          } catch (e) {
            setError(asError(e));
          }
        }}
      />
      <ErrorAlert error={error} />
    </Stack>
  );
}

function JoinRequests({ community }: { community: CommunityFull }) {
  const { t } = useTranslation();
  const list = useApi<Items<JoinRequest>>(`/api/v1/communities/${community.id}/join-requests`);
  const [reason, setReason] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError>();
  const items = list.data?.items ?? [];
  if (!community.can.manage) return null;
  return (
    <section aria-labelledby="join-requests-heading">
      <Title order={2} size="h3" id="join-requests-heading" mb="sm">
        {t('discussions.joinRequests')}
      </Title>
      <ErrorAlert error={error ?? list.error} />
      {list.error ? null : items.length === 0 ? (
        <Text>{t('discussions.noJoinRequests')}</Text>
      ) : (
        <Stack>
          {items.map((r) => (
            <Card withBorder key={r.id}>
              <Text fw={500}>{r.kind === 'organisation' ? t('discussions.requestForOrg', { org: r.organisation?.name }) : t('discussions.requestForPerson', { name: r.person?.name })}</Text>
              <Text size="sm" c="dimmed">
                {t('discussions.requestedBy', { name: r.requestedBy.name, org: r.requestedBy.organisation })}
              </Text>
              {r.message && <Text size="sm">{r.message}</Text>}
              <Group mt="xs" align="flex-end">
                <TextInput label={t('discussions.reason')} value={reason[r.id] ?? ''} onChange={(e) => setReason({ ...reason, [r.id]: e.currentTarget.value })} />
                {(['approve', 'decline'] as const).map((d) => (
                  <Button
                    key={d}
                    variant={d === 'approve' ? 'filled' : 'default'}
                    onClick={async () => {
                      setError(undefined);
                      try {
                        await api.post(`/api/v1/communities/${community.id}/join-requests/${r.id}/decision`, { decision: d, ...(reason[r.id] ? { reason: reason[r.id] } : {}) });
                        list.reload();
                      } catch (e) {
                        setError(asError(e));
                      }
                    }}
                  >
                    {t(`discussions.${d}`)}
                  </Button>
                ))}
              </Group>
            </Card>
          ))}
        </Stack>
      )}
    </section>
  );
}

function JoinButtons({ community, onChange }: { community: CommunityFull; onChange: () => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState(false);
  if (community.isMember || community.status !== 'approved') return null;
  const ask = async (kind: 'person' | 'organisation') => {
    setError(undefined);
    try {
      await api.post(`/api/v1/communities/${community.id}/join-requests`, { for: kind });
      setDone(true);
      onChange();
    } catch (e) {
      setError(asError(e));
    }
  };
  return (
    <Stack gap="xs">
      <Group>
        {community.pendingRequests.person ? (
          <StatusBadge color="yellow">{t('discussions.pendingPerson')}</StatusBadge>
        ) : (
          <Button onClick={() => ask('person')}>{t('discussions.askJoinPerson')}</Button>
        )}
        {hasRole(me, 'org_admin') &&
          (community.pendingRequests.organisation ? (
            <StatusBadge color="yellow">{t('discussions.pendingOrganisation')}</StatusBadge>
          ) : (
            <Button variant="default" onClick={() => ask('organisation')}>
              {t('discussions.askJoinOrganisation')}
            </Button>
          ))}
      </Group>
      {done && (
        <Alert color="teal" role="status">
          {t('discussions.requestSent')}
        </Alert>
      )}
      <ErrorAlert error={error} />
    </Stack>
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

// ---------- editing, deleting, re-marking ----------

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

/** The author (or their organisation admins) change the topic's marking; once others replied, only narrower. */
function MarkingChanger({ tp, onDone }: { tp: Topic; onDone: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [tlp, setTlp] = useState<Exclude<Tlp, 'CLEAR'>>(tp.tlp === 'CLEAR' ? 'GREEN' : (tp.tlp as Exclude<Tlp, 'CLEAR'>));
  const [people, setPeople] = useState<string[]>([]);
  const [error, setError] = useState<ApiError>();
  if (!open)
    return (
      <Button variant="default" size="xs" onClick={() => setOpen(true)}>
        {t('discussions.manage.changeMarking')}
      </Button>
    );
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await api.put(`/api/v1/topics/${tp.id}/marking`, { tlp, ...(tlp === 'RED' ? { audience: { people } } : {}) });
      setOpen(false);
      onDone();
    } catch (x) {
      setError(asError(x));
    }
  }
  return (
    <Card withBorder component="form" onSubmit={submit} aria-labelledby={`marking-${tp.id}`}>
      <Stack gap="sm">
        <Title order={3} size="h5" id={`marking-${tp.id}`}>
          {t('discussions.manage.changeMarking')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('discussions.manage.narrowOnly')}
        </Text>
        <TopicTlpFields community={{ id: tp.communityId, name: tp.communityName }} tlp={tlp} onTlp={setTlp} people={people} onPeople={setPeople} />
        <ErrorAlert error={error} />
        <Group>
          <Button type="submit">{t('discussions.manage.saveMarking')}</Button>
          <Button variant="default" onClick={() => setOpen(false)}>
            {t('discussions.manage.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
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
function EditablePost({
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

function ReplyCard({ r, onChange }: { r: Reply; onChange: () => void }) {
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

// ---------- proposals ----------

export function ProposalsPage() {
  const { t } = useTranslation();
  const when = useWhen();
  const { me } = useSession();
  const secretariat = hasRole(me, 'secretariat');
  const list = useApi<Items<Proposal>>(`/api/v1/communities/proposals${secretariat ? '' : ''}`);
  const [form, setForm] = useState({ slug: '', name: '', description: '', visibility: 'public', reason: '' });
  const [error, setError] = useState<ApiError>();
  const [sent, setSent] = useState(false);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  async function propose(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await api.post('/api/v1/communities/proposals', form);
      setSent(true);
      setForm({ slug: '', name: '', description: '', visibility: 'public', reason: '' });
      list.reload();
    } catch (x) {
      setError(asError(x));
    }
  }
  async function decide(id: string, decision: 'approve' | 'reject') {
    setError(undefined);
    try {
      await api.post(`/api/v1/communities/${id}/decision`, { decision, ...(reasons[id] ? { reason: reasons[id] } : {}) });
      list.reload();
    } catch (x) {
      setError(asError(x));
    }
  }
  return (
    <Page title={secretariat ? t('discussions.proposalsQueue') : t('discussions.proposalsTitle')}>
      <ErrorAlert error={error ?? list.error} />
      <section aria-labelledby="proposals-list">
        <Title order={2} size="h3" id="proposals-list" mb="sm">
          {secretariat ? t('discussions.waiting') : t('discussions.yourProposals')}
        </Title>
        {list.error ? null : (list.data?.items ?? []).length === 0 ? (
          <Text>{t('discussions.noProposals')}</Text>
        ) : (
          <Stack>
            {(list.data?.items ?? []).map((p) => (
              <Card withBorder key={p.id} component="article" aria-labelledby={`proposal-${p.id}`}>
                <Group justify="space-between">
                  <Title order={3} size="h4" id={`proposal-${p.id}`}>
                    {p.name}
                  </Title>
                  <StatusBadge color={p.status === 'approved' ? 'teal' : p.status === 'rejected' ? 'red' : 'yellow'}>{t(`discussions.status.${p.status}`)}</StatusBadge>
                </Group>
                <Text size="sm" c="dimmed">
                  {t('discussions.proposedBy', { name: p.proposedBy.name, org: p.organisation.name, when: when(p.createdAt) })}
                </Text>
                {p.description && <Text size="sm">{p.description}</Text>}
                {p.reason && <Text size="sm">{t('discussions.why', { reason: p.reason })}</Text>}
                <Text size="sm">{t(`discussions.visibility.${p.visibility}`)}</Text>
                {p.decisionReason && <Text size="sm">{t('discussions.decisionReason', { reason: p.decisionReason })}</Text>}
                {secretariat && p.status === 'proposed' && (
                  <Group mt="xs" align="flex-end">
                    <TextInput label={t('discussions.reasonRequired')} value={reasons[p.id] ?? ''} onChange={(e) => setReasons({ ...reasons, [p.id]: e.currentTarget.value })} />
                    <Button onClick={() => decide(p.id, 'approve')}>{t('discussions.approve')}</Button>
                    <Button variant="default" disabled={!(reasons[p.id] ?? '').trim()} onClick={() => decide(p.id, 'reject')}>
                      {t('discussions.reject')}
                    </Button>
                  </Group>
                )}
                {p.status === 'approved' && (
                  <AppLink to="/communities/$communityId" params={{ communityId: p.id }}>
                    {t('discussions.openCommunity')}
                  </AppLink>
                )}
              </Card>
            ))}
          </Stack>
        )}
      </section>
      {hasRole(me, 'org_admin') && (
        <Card withBorder component="form" onSubmit={propose} aria-labelledby="propose-heading">
          <Stack>
            <Title order={2} size="h3" id="propose-heading">
              {t('discussions.propose')}
            </Title>
            <TextInput label={t('discussions.proposalName')} required minLength={2} maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} />
            <TextInput
              label={t('discussions.proposalSlug')}
              description={t('discussions.proposalSlugHelp')}
              required
              pattern="^[a-z0-9][a-z0-9\-]{1,62}$"
              value={form.slug}
              onChange={(e) => setForm({ ...form, slug: e.currentTarget.value })}
            />
            <Textarea label={t('discussions.proposalDescription')} autosize minRows={3} value={form.description} onChange={(e) => setForm({ ...form, description: e.currentTarget.value })} />
            <Radio.Group label={t('discussions.descriptionVisibility')} value={form.visibility} onChange={(v) => setForm({ ...form, visibility: v })}>
              <Group mt="xs">
                <Radio value="public" label={t('discussions.visibility.public')} />
                <Radio value="members" label={t('discussions.visibility.members')} />
              </Group>
            </Radio.Group>
            <Textarea label={t('discussions.proposalReason')} autosize minRows={2} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.currentTarget.value })} />
            {sent && (
              <Alert color="teal" role="status">
                {t('discussions.proposalSent')}
              </Alert>
            )}
            <Group>
              <Button type="submit">{t('discussions.sendProposal')}</Button>
            </Group>
          </Stack>
        </Card>
      )}
      <ButtonLink to="/communities" variant="subtle">
        {t('discussions.backToCommunities')}
      </ButtonLink>
    </Page>
  );
}
