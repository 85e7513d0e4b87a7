import { ActionIcon, Alert, Button, Card, Group, Modal, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client';
import { UI_LANGUAGES, type Tlp } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import { useSession } from '../../session';
import { IntelMarkingFields, type IntelMarking } from '../intel/shared';
import type { KnowledgeSummary } from '../knowledge/api';
import { PracticeCard } from '../knowledge/shared';

/** GET /api/v1/reading-lists answers (server: features/collections/routes.ts). */
export interface ReadingList {
  id: string;
  title: string;
  description: string;
  language: string;
  organisation: { id: string; name: string };
  author: string | null;
  tlp: Tlp;
  audience: { organisations: string[]; communities: string[]; people: string[] };
  itemCount: number;
  items: KnowledgeSummary[];
  updatedAt: string;
  can: { edit: boolean };
}

const NO_AUDIENCE = { organisations: [], communities: [], people: [] };

/** Reading lists the reader may see, and a new one for members. */
export function ReadingListsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const lists = useApi<{ items: ReadingList[] }>('/api/v1/reading-lists', { quiet401: true });
  const [creating, setCreating] = useState(false);
  return (
    <Page
      title={t('readingLists.title')}
      actions={
        me && !creating ? (
          <Button onClick={() => setCreating(true)} data-testid="new-reading-list">
            {t('readingLists.new')}
          </Button>
        ) : null
      }
    >
      <Text>{t('readingLists.intro')}</Text>
      {creating && <ListForm onCancel={() => setCreating(false)} />}
      <ErrorAlert error={lists.error} />
      {lists.loading && !lists.data ? (
        <Loading />
      ) : (lists.data?.items ?? []).length === 0 ? (
        <Text>{t('readingLists.none')}</Text>
      ) : (
        <Stack component="ul" className="plain-list" gap="sm">
          {lists.data!.items.map((l) => (
            <Card component="li" withBorder key={l.id} data-testid="reading-list">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Title order={2} size="h4" lang={l.language}>
                  <AppLink to="/reading-lists/$listId" params={{ listId: l.id }}>
                    {l.title}
                  </AppLink>
                </Title>
                <TlpBadge tlp={l.tlp} size="sm" />
              </Group>
              <Text size="sm" c="dimmed">
                {t('readingLists.byline', { organisation: l.organisation.name, count: l.itemCount })}
              </Text>
              {l.description && (
                <Text size="sm" lineClamp={2} lang={l.language}>
                  {l.description}
                </Text>
              )}
            </Card>
          ))}
        </Stack>
      )}
    </Page>
  );
}

/** Make a list, or change its title, note and marking. */
function ListForm({ existing, onCancel, onSaved }: { existing?: ReadingList; onCancel: () => void; onSaved?: (l: ReadingList) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const [title, setTitle] = useState(existing?.title ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [language, setLanguage] = useState<string>(existing?.language ?? labels.lang);
  const [marking, setMarking] = useState<IntelMarking>(existing ? { tlp: existing.tlp, audience: { ...existing.audience, people: [] } } : { tlp: 'GREEN', audience: NO_AUDIENCE });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = {
      title: title.trim(),
      description,
      language,
      tlp: marking.tlp,
      audience: marking.tlp === 'AMBER' ? marking.audience : marking.tlp === 'AMBER+STRICT' ? { organisations: marking.audience.organisations } : {},
    };
    try {
      if (existing) onSaved?.(await api.patch<ReadingList>(`/api/v1/reading-lists/${existing.id}`, body));
      else {
        const made = await api.post<ReadingList>('/api/v1/reading-lists', body);
        void navigate({ to: '/reading-lists/$listId', params: { listId: made.id } });
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder component="form" onSubmit={submit} noValidate maw={760}>
      <Stack>
        <ErrorAlert error={error} />
        <TextInput label={t('readingLists.name')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={200} lang={language} />
        <Textarea label={t('readingLists.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} maxLength={5000} autosize minRows={2} lang={language} />
        <Select label={t('readingLists.language')} data={UI_LANGUAGES.map((l) => ({ value: l, label: labels.language(l) }))} value={language} onChange={(v) => v && setLanguage(v)} allowDeselect={false} />
        <IntelMarkingFields value={marking} onChange={setMarking} label={t('readingLists.marking')} help={t('readingLists.markingHelp')} />
        <Group>
          <Button type="submit" loading={busy} disabled={!title.trim()}>
            {t('common.save')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** One list: its items (those the reader may see), reordered and removed by its organisation. */
export function ReadingListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { listId } = useParams({ strict: false }) as { listId: string };
  const res = useApi<ReadingList>(`/api/v1/reading-lists/${listId}`, { quiet401: true });
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const l = res.data;
  if (res.loading && !l) return <Loading />;
  if (!l) return <ErrorAlert error={res.error} />;
  const setItems = async (ids: string[]) => {
    setError(null);
    try {
      res.setData(await api.patch<ReadingList>(`/api/v1/reading-lists/${l.id}`, { items: ids }));
    } catch (e) {
      setError(e);
    }
  };
  const ids = l.items.map((i) => i.id);
  const move = (i: number, by: -1 | 1) => {
    const next = [...ids];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    void setItems(next);
  };
  return (
    <Page title={l.title} titleLang={l.language}>
      <Group gap="xs">
        <TlpBadge tlp={l.tlp} />
        <Text size="sm">{t('readingLists.byline', { organisation: l.organisation.name, count: l.itemCount })}</Text>
      </Group>
      {l.description && <Text lang={l.language}>{l.description}</Text>}
      {l.can.edit && !editing && (
        <Group>
          <Button variant="default" onClick={() => setEditing(true)}>
            {t('readingLists.edit')}
          </Button>
          <Button variant="outline" color="red" onClick={() => setConfirm(true)}>
            {t('readingLists.delete')}
          </Button>
        </Group>
      )}
      {editing && (
        <ListForm
          existing={l}
          onCancel={() => setEditing(false)}
          onSaved={(x) => {
            res.setData(x);
            setEditing(false);
          }}
        />
      )}
      <ErrorAlert error={error} />
      {l.items.length === 0 ? (
        <Alert color="gray">{l.can.edit ? t('readingLists.emptyEditable') : t('readingLists.empty')}</Alert>
      ) : (
        <Stack component="ol" className="plain-list" gap="sm" aria-label={t('readingLists.items')}>
          {l.items.map((item, i) => (
            <Stack key={item.id} gap={4}>
              <PracticeCard item={item} headingOrder={2} />
              {l.can.edit && (
                <Group gap="xs">
                  <ActionIcon variant="default" aria-label={t('readingLists.up', { title: item.title })} disabled={i === 0} onClick={() => move(i, -1)}>
                    ↑
                  </ActionIcon>
                  <ActionIcon variant="default" aria-label={t('readingLists.down', { title: item.title })} disabled={i === l.items.length - 1} onClick={() => move(i, 1)}>
                    ↓
                  </ActionIcon>
                  <Button size="xs" variant="subtle" color="red" onClick={() => void setItems(ids.filter((x) => x !== item.id))}>
                    {t('readingLists.remove')}
                  </Button>
                </Group>
              )}
            </Stack>
          ))}
        </Stack>
      )}
      <AppLink to="/reading-lists">{t('readingLists.all')}</AppLink>
      <Modal opened={confirm} onClose={() => setConfirm(false)} title={t('readingLists.deleteTitle')}>
        <Stack>
          <Text>{t('readingLists.deleteConfirm', { title: l.title })}</Text>
          <Group>
            <Button
              color="red"
              onClick={() =>
                void api
                  .del(`/api/v1/reading-lists/${l.id}`)
                  .then(() => navigate({ to: '/reading-lists' }))
                  .catch(setError)
              }
            >
              {t('readingLists.delete')}
            </Button>
            <Button variant="default" onClick={() => setConfirm(false)}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Page>
  );
}

/** On a library item's page: the reading lists holding it, and adding it to one of one's own. */
export function ReadingListsOfItem({ itemId }: { itemId: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const holding = useApi<{ items: ReadingList[] }>(`/api/v1/reading-lists${qs({ item: itemId })}`, { quiet401: true });
  const mine = useApi<{ items: ReadingList[] }>(me ? '/api/v1/reading-lists?mine=true' : null, { quiet401: true });
  const [target, setTarget] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const editable = (mine.data?.items ?? []).filter((l) => l.can.edit && !(holding.data?.items ?? []).some((h) => h.id === l.id));
  const add = async () => {
    if (!target) return;
    setError(null);
    try {
      const list = await api.get<ReadingList>(`/api/v1/reading-lists/${target}`);
      await api.patch(`/api/v1/reading-lists/${target}`, { items: [...list.items.map((i) => i.id), itemId] });
      setDone(true);
      holding.reload();
    } catch (e) {
      setError(e);
    }
  };
  if (!(holding.data?.items ?? []).length && !editable.length) return null;
  return (
    <Stack gap="xs" data-testid="reading-lists-of-item">
      <Title order={2} size="h3">
        {t('readingLists.onLists')}
      </Title>
      {(holding.data?.items ?? []).length > 0 && (
        <Text size="sm">
          {holding.data!.items.map((l, i) => (
            <span key={l.id}>
              {i > 0 && ' · '}
              <AppLink to="/reading-lists/$listId" params={{ listId: l.id }}>
                <span lang={l.language}>{l.title}</span>
              </AppLink>
            </span>
          ))}
        </Text>
      )}
      {editable.length > 0 && (
        <Group align="flex-end" wrap="wrap">
          <Select label={t('readingLists.addTo')} data={editable.map((l) => ({ value: l.id, label: l.title }))} value={target} onChange={setTarget} maw={360} />
          <Button variant="default" onClick={() => void add()} disabled={!target}>
            {t('readingLists.add')}
          </Button>
        </Group>
      )}
      {done && (
        <Text size="sm" role="status">
          {t('readingLists.added')}
        </Text>
      )}
      <ErrorAlert error={error} />
    </Stack>
  );
}
