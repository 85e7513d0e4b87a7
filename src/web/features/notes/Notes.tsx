import { Alert, Button, Card, Group, Modal, Paper, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client';
import { TLP_LEVELS, UI_LANGUAGES, type Items, type Note } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { PapBadge, TlpBadge } from '../../components/TlpBadge';
import { TranslationEditor, TranslationNotice } from '../../components/Translation';
import { useDebounced } from '../../components/useDebounced';
import { audienceFor, EMPTY_AUDIENCE, MarkingFields, useAudienceOptions, type Marking } from './MarkingFields';

export function NoteCard({ note }: { note: Note }) {
  const labels = useLabels();
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md" component="article" data-testid="note-card">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Title order={3} size="h4" lang={note.language}>
          <AppLink to="/notes/$noteId" params={{ noteId: note.id }}>
            {note.title}
          </AppLink>
        </Title>
        <TlpBadge tlp={note.tlp} size="sm" />
      </Group>
      <Text size="sm" c="dimmed" mt={4}>
        {t('notes.byline', { author: note.author.name, organisation: note.organisation.name, date: labels.dateTime(note.createdAt) })}
      </Text>
      <Text size="sm" mt="xs" lineClamp={2} lang={note.language}>
        {note.body}
      </Text>
    </Card>
  );
}

export function NotesList() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [tlp, setTlp] = useState<string | null>(null);
  const dq = useDebounced(q, 300);
  const notes = useApi<Items<Note>>(`/api/v1/notes${qs({ q: dq.trim(), tlp: tlp ?? undefined })}`);
  const { reload } = notes;
  useEffect(() => {
    // A note shared with me while I look at the list shows up in it.
    window.addEventListener('puente:note.created', reload);
    return () => window.removeEventListener('puente:note.created', reload);
  }, [reload]);
  return (
    <Page
      title={t('notes.title')}
      actions={
        <ButtonLink to="/notes/new" data-testid="new-note">
          {t('notes.new')}
        </ButtonLink>
      }
    >
      <Text>{t('workstreams.informationSharing.notesIntro')}</Text>
      <Group align="flex-end" wrap="wrap" role="search">
        <TextInput label={t('common.search')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} w={320} />
        <Select
          label={t('notes.tlpFilter')}
          data={[{ value: 'all', label: t('common.all') }, ...TLP_LEVELS.map((l) => ({ value: l, label: `TLP:${l}` }))]}
          value={tlp ?? 'all'}
          allowDeselect={false}
          onChange={(v) => setTlp(v === 'all' ? null : v)}
        />
      </Group>
      <ErrorAlert error={notes.error} />
      {notes.error ? null : notes.loading && !notes.data ? (
        <Loading />
      ) : (notes.data?.items ?? []).length === 0 ? (
        <Text>{dq || tlp ? t('common.noResults') : t('notes.none')}</Text>
      ) : (
        <Stack aria-live="polite">
          {(notes.data?.items ?? []).map((n) => (
            <NoteCard key={n.id} note={n} />
          ))}
        </Stack>
      )}
    </Page>
  );
}

function contentLanguages(labels: ReturnType<typeof useLabels>) {
  return UI_LANGUAGES.map((l) => ({ value: l, label: labels.language(l) }));
}

export function NoteEditor() {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [language, setLanguage] = useState<string>(labels.lang);
  const [marking, setMarking] = useState<Marking>({ tlp: 'AMBER', pap: 'AMBER', audience: EMPTY_AUDIENCE });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const note = await api.post<Note>('/api/v1/notes', {
        title: title.trim(),
        body,
        language,
        tlp: marking.tlp,
        pap: marking.pap,
        audience: audienceFor(marking.tlp, marking.audience),
      });
      void navigate({ to: '/notes/$noteId', params: { noteId: note.id } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('notes.new')}>
      <Paper withBorder p="lg" maw={860}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <ErrorAlert error={error} />
            <TextInput label={t('notes.titleField')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} name="title" />
            <Textarea label={t('notes.body')} description={t('notes.bodyHelp')} required autosize minRows={8} value={body} onChange={(e) => setBody(e.currentTarget.value)} name="body" />
            <Select label={t('notes.language')} data={contentLanguages(labels)} value={language} allowDeselect={false} onChange={(v) => v && setLanguage(v)} />
            <MarkingFields value={marking} onChange={setMarking} />
            <Group>
              <Button type="submit" loading={busy} disabled={!title.trim() || !body.trim()}>
                {t('notes.share')}
              </Button>
              <ButtonLink to="/notes" variant="default">
                {t('common.cancel')}
              </ButtonLink>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Page>
  );
}

function MarkingEditor({ note, onSaved, onCancel }: { note: Note; onSaved: (n: Note) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [marking, setMarking] = useState<Marking>({ tlp: note.tlp, pap: note.pap, audience: note.audience ?? EMPTY_AUDIENCE });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSaved(
        await api.put<Note>(`/api/v1/notes/${note.id}/marking`, {
          tlp: marking.tlp,
          pap: marking.pap,
          audience: audienceFor(marking.tlp, marking.audience),
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h4">
            {t('notes.changeMarking')}
          </Title>
          <ErrorAlert error={error} />
          <MarkingFields value={marking} onChange={setMarking} />
          <Group>
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

export function NoteView() {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const { noteId } = useParams({ strict: false }) as { noteId: string };
  // A language picked among the note's versions; otherwise the server picks the reader's.
  const [lang, setLang] = useState<string | null>(null);
  const note = useApi<Note>(`/api/v1/notes/${noteId}${qs({ lang: lang ?? undefined })}`);
  const options = useAudienceOptions();
  const [editing, setEditing] = useState(false);
  const [translating, setTranslating] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (note.loading && !note.data) return <Loading />;
  if (note.error || !note.data)
    return (
      <Page title={t('notes.notFoundTitle')}>
        <Alert color="gray">{t('notes.notFound')}</Alert>
        <AppLink to="/notes">{t('notes.backToList')}</AppLink>
      </Page>
    );
  const n = note.data;
  const remove = async () => {
    setError(null);
    try {
      await api.del(`/api/v1/notes/${n.id}`);
      void navigate({ to: '/notes' });
    } catch (err) {
      setError(err);
      setConfirmDelete(false);
    }
  };
  const audience = n.audience ?? EMPTY_AUDIENCE;
  const names = [
    ...audience.organisations.map((id) => options.orgName.get(id) ?? (id === n.organisation.id ? n.organisation.name : id)),
    ...audience.communities.map((id) => options.communityName.get(id) ?? id),
    ...audience.people.map((id) => options.personName.get(id) ?? t('notes.personId', { id })),
  ];
  return (
    <Page
      title={n.title}
      titleLang={n.language}
      actions={
        (n.can.changeMarking || n.can.delete || n.can.translate) && !editing && !translating ? (
          <Group>
            {n.can.translate && (
              <Button variant="default" onClick={() => setTranslating(true)}>
                {t('translation.translate')}
              </Button>
            )}
            {n.can.changeMarking && (
              <Button variant="default" onClick={() => setEditing(true)}>
                {t('notes.changeMarking')}
              </Button>
            )}
            {n.can.delete && (
              <Button color="red.9" variant="outline" onClick={() => setConfirmDelete(true)}>
                {t('common.delete')}
              </Button>
            )}
          </Group>
        ) : undefined
      }
    >
      <Group gap="sm">
        <TlpBadge tlp={n.tlp} />
        <PapBadge pap={n.pap} />
        <Text size="sm">{t(`tlp.${n.tlp}.short`)}</Text>
      </Group>
      <Text size="sm" c="dimmed">
        {t('notes.byline', { author: n.author.name, organisation: `${n.organisation.name} (${labels.country(n.organisation.country)})`, date: labels.dateTime(n.createdAt) })}
        {' · '}
        {t('notes.languageLabel', { language: labels.language(n.translation.source) })}
        {n.updatedAt && n.updatedAt !== n.createdAt ? ` · ${t('notes.updated', { date: labels.dateTime(n.updatedAt) })}` : ''}
      </Text>
      {(n.tlp === 'AMBER' || n.tlp === 'AMBER+STRICT' || n.tlp === 'RED') && (
        <Text size="sm">
          <strong>{t('notes.audience')}:</strong> {names.length ? names.join(', ') : n.tlp === 'RED' ? t('notes.audienceAuthorOnly') : t('notes.audienceOwnOrg')}
        </Text>
      )}
      <TranslationNotice info={n.translation} onPick={setLang} />
      <ErrorAlert error={error} />
      {translating && (
        <TranslationEditor
          info={n.translation}
          fields={[
            { name: 'title', label: t('notes.titleField') },
            { name: 'body', label: t('notes.body'), multiline: true },
          ]}
          load={async (l) => {
            const v = await api.get<Note>(`/api/v1/notes/${n.id}${qs({ lang: l })}`);
            return v.language === l ? { title: v.title, body: v.body } : null;
          }}
          save={async (l, values, machine) => {
            note.setData(await api.put<Note>(`/api/v1/notes/${n.id}/translations/${l}`, { title: values.title ?? '', body: values.body ?? '', machine }));
            setLang(l);
          }}
          remove={async (l) => {
            await api.del(`/api/v1/notes/${n.id}/translations/${l}`);
            setLang(null);
            note.reload();
          }}
          onDone={() => setTranslating(false)}
        />
      )}
      {editing && (
        <MarkingEditor
          note={n}
          onCancel={() => setEditing(false)}
          onSaved={(updated) => {
            note.setData(updated);
            setEditing(false);
          }}
        />
      )}
      <Paper withBorder p="lg">
        <Text className="note-body" lang={n.language}>
          {n.body}
        </Text>
      </Paper>
      <AppLink to="/notes">{t('notes.backToList')}</AppLink>
      <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={t('notes.deleteTitle')}>
        <Stack>
          <Text>{t('notes.deleteConfirm', { title: n.title })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmDelete(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red.9" onClick={() => void remove()}>
              {t('common.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Page>
  );
}
