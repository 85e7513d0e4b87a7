import { Alert, Anchor, Badge, Button, Card, FileInput, Group, List, MultiSelect, Progress, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, qs, TextBody } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { useConcepts } from '../../components/concepts';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import { useDebounced } from '../../components/useDebounced';
import { useSession } from '../../session';
import { IntelMarkingFields, type IntelMarking } from '../intel/shared';
import { RECORD_LIMITS } from '#shared/records';
import type { KnowledgePage } from '../knowledge/api';
import { FromEvent } from '../events/FromEvent';
import type { ActivityRecord, PracticeLink, RecordPage } from './api';
import { Section } from '../../components/Section';

function When({ r }: { r: Pick<ActivityRecord, 'date' | 'endDate'> }) {
  const labels = useLabels();
  return <>{r.endDate && r.endDate !== r.date ? `${labels.date(r.date)} – ${labels.date(r.endDate)}` : labels.date(r.date)}</>;
}

function StatusLine({ r }: { r: ActivityRecord }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs">
      <TlpBadge tlp={r.tlp} size="sm" />
      {r.status !== 'published' && (
        <Badge variant="light" color={r.status === 'draft' ? 'gray' : 'yellow'} tt="none" data-testid="record-status">
          {t(`records.status.${r.status}`)}
        </Badge>
      )}
    </Group>
  );
}

/** The alliance's activity records the reader may see, newest first. */
export function RecordsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [q, setQ] = useState('');
  const dq = useDebounced(q, 300).trim();
  // undefined: still on the first page's cursor; null: nothing more after what is shown.
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [more, setMore] = useState<ActivityRecord[]>([]);
  const first = useApi<RecordPage>(`/api/v1/records${qs({ q: dq || undefined, limit: 50 })}`, { quiet401: true });
  const items = [...(first.data?.items ?? []), ...more];
  const next = cursor === undefined ? (first.data?.nextCursor ?? null) : cursor;
  const loadMore = async () => {
    if (!next) return;
    const page = await api.get<RecordPage>(`/api/v1/records${qs({ q: dq || undefined, limit: 50, cursor: next })}`, { quiet401: true });
    setMore((m) => [...m, ...page.items]);
    setCursor(page.nextCursor);
  };
  return (
    <Page
      title={t('records.title')}
      actions={
        <Group gap="xs">
          <ButtonLink to="/commitments" variant="default">
            {t('records.allCommitments')}
          </ButtonLink>
          {me && (
            <ButtonLink to="/records/new" variant="default">
              {t('records.write')}
            </ButtonLink>
          )}
          {me && <ButtonLink to="/records/import">{t('records.import')}</ButtonLink>}
        </Group>
      }
    >
      <Text>{t('records.intro')}</Text>
      <TextInput
        label={t('records.search')}
        description={t('records.searchHelp')}
        type="search"
        value={q}
        onChange={(e) => {
          setQ(e.currentTarget.value);
          setMore([]);
          setCursor(undefined);
        }}
        maw={420}
      />
      <ErrorAlert error={first.error} />
      {first.loading && !first.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <Text>{t('records.none')}</Text>
      ) : (
        <>
          <Text size="sm" role="status">
            {t('records.count', { count: items.length })}
          </Text>
          <Stack gap="md" component="ul" className="plain-list">
            {items.map((r) => (
              <Card component="li" withBorder key={r.id} data-testid="record">
                <Title order={2} size="h4" lang={r.language}>
                  <AppLink to="/records/$slug" params={{ slug: r.slug }}>
                    {r.title}
                  </AppLink>
                </Title>
                <Text size="sm">
                  <When r={r} /> · <span lang={r.language}>{r.location}</span>
                </Text>
                <StatusLine r={r} />
              </Card>
            ))}
          </Stack>
          {next && (
            <Button variant="default" onClick={() => void loadMore()}>
              {t('records.more')}
            </Button>
          )}
        </>
      )}
    </Page>
  );
}

/**
 * The concepts a record concerns (kept beside its published text): links to each concept's page,
 * and for its organisation (or the secretariat once proposed) a picker to change them.
 */
function RecordConcepts({ r, onSaved }: { r: ActivityRecord; onSaved: (r: ActivityRecord) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [editing, setEditing] = useState(false);
  const [tags, setTags] = useState<string[]>(r.concepts);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const concepts = useConcepts(labels.lang, editing ? 'all' : r.concepts.length ? r.concepts : null);
  if (!r.concepts.length && !r.can.tag) return null;
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.put<ActivityRecord>(`/api/v1/records/${r.id}/concepts`, { concepts: tags }));
      setEditing(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div lang={labels.lang}>
      <Section title={t('records.concepts')}>
        {r.concepts.length === 0 ? (
          <Text size="sm">{t('records.noConcepts')}</Text>
        ) : (
          <Group gap="xs" component="ul" className="plain-list">
            {r.concepts.map((tag) => {
              const c = concepts.byTag.get(tag);
              const [scheme, concept] = tag.split('/') as [string, string];
              return (
                <Badge key={tag} component="li" variant="outline" tt="none" size="lg" lang={c?.lang}>
                  <AppLink to="/vocabularies/$scheme/$concept" params={{ scheme, concept }}>
                    {c ? (c.notation ? `${c.notation} — ${c.label}` : c.label) : tag}
                  </AppLink>
                </Badge>
              );
            })}
          </Group>
        )}
        {r.can.tag && !editing && (
          <Button variant="default" size="xs" mt="xs" onClick={() => setEditing(true)}>
            {t('records.editConcepts')}
          </Button>
        )}
        {editing && (
          <Stack mt="xs" maw={720}>
            <ErrorAlert error={error} />
            <MultiSelect label={t('records.concepts')} description={t('records.conceptsHelp')} data={concepts.groups} value={tags} onChange={setTags} searchable clearable maxValues={40} />
            <Group>
              <Button loading={busy} onClick={() => void save()}>
                {t('common.save')}
              </Button>
              <Button variant="default" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        )}
      </Section>
    </div>
  );
}

/**
 * The good practices a record concerns (kept beside its published text): links to each item the
 * reader may see, and for its organisation (or the secretariat once proposed) a picker that
 * searches the library in any language.
 */
function RecordPractices({ r, onSaved }: { r: ActivityRecord; onSaved: (r: ActivityRecord) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [editing, setEditing] = useState(false);
  const [picked, setPicked] = useState<string[]>(r.practices.map((x) => x.id));
  const [search, setSearch] = useState('');
  const dq = useDebounced(search, 300).trim();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const found = useApi<KnowledgePage>(editing ? `/api/v1/knowledge${qs({ q: dq || undefined, lang: labels.lang, limit: 15 })}` : null, { quiet401: true });
  const [names, setNames] = useState<Map<string, string>>(() => new Map(r.practices.map((x) => [x.id, x.title])));
  const data = useMemo(() => {
    const items = found.data?.items ?? [];
    const known = new Map([...names, ...items.map((i) => [i.id, i.title] as const)]);
    return [...new Set([...picked, ...items.map((i) => i.id)])].map((id) => ({ value: id, label: known.get(id) ?? id }));
  }, [found.data, names, picked]);
  if (!r.practices.length && !r.can.tag) return null;
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.put<ActivityRecord>(`/api/v1/records/${r.id}/practices`, { practices: picked });
      onSaved(saved);
      setPicked(saved.practices.map((x) => x.id));
      setEditing(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const typeLabel = (type: string) => t(`practices.types.${type}`, { defaultValue: type });
  return (
    <div lang={labels.lang}>
      <Section title={t('records.practices')}>
        {r.practices.length === 0 ? (
          <Text size="sm">{t('records.noPractices')}</Text>
        ) : (
          <List data-testid="record-practices">
            {r.practices.map((x: PracticeLink) => (
              <List.Item key={x.id}>
                <AppLink to="/practices/$slug" params={{ slug: x.slug }}>
                  <span lang={x.lang}>{x.title}</span>
                </AppLink>{' '}
                <Text span size="sm" c="dimmed">
                  ({typeLabel(x.type)})
                </Text>
              </List.Item>
            ))}
          </List>
        )}
        {r.can.tag && !editing && (
          <Button variant="default" size="xs" mt="xs" onClick={() => setEditing(true)}>
            {t('records.editPractices')}
          </Button>
        )}
        {editing && (
          <Stack mt="xs" maw={720}>
            <ErrorAlert error={error} />
            <MultiSelect
              label={t('records.practices')}
              description={t('records.practicesHelp', { max: RECORD_LIMITS.practices })}
              data={data}
              value={picked}
              onChange={(ids) => {
                setPicked(ids);
                setNames((n) => new Map([...n, ...data.filter((d) => ids.includes(d.value)).map((d) => [d.value, d.label] as const)]));
              }}
              searchable
              searchValue={search}
              onSearchChange={setSearch}
              // The server has searched every language already.
              filter={({ options }) => options}
              nothingFoundMessage={found.loading ? t('common.loading') : t('records.practicesNone')}
              maxValues={RECORD_LIMITS.practices}
              clearable
              comboboxProps={{ width: 'target' }}
            />
            <Group>
              <Button loading={busy} onClick={() => void save()}>
                {t('common.save')}
              </Button>
              <Button
                variant="default"
                onClick={() => {
                  setPicked(r.practices.map((x) => x.id));
                  setEditing(false);
                }}
              >
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        )}
      </Section>
    </div>
  );
}

/** The actors of one category: those that name a member organisation link to its profile, the others stay text. */
function Actors({ names, links }: { names: string[]; links: ActivityRecord['actorOrganisations'] }) {
  return (
    <>
      {names.map((name, i) => {
        // Own keys only: an actor called "constructor" is not Object's.
        const org = Object.hasOwn(links, name) ? links[name] : undefined;
        return (
          <span key={i}>
            {i > 0 && '; '}
            {org ? (
              <AppLink to="/organisations/$organisationId" params={{ organisationId: org.id }} data-testid="actor-link">
                {name}
              </AppLink>
            ) : (
              name
            )}
          </span>
        );
      })}
    </>
  );
}

/** A two-column table of the record (actors, themes), its headings in the reader's language. */
function PairTable({ head, rows, headLang }: { head: [string, string]; rows: [ReactNode, ReactNode][]; headLang: string }) {
  return (
    <Table withTableBorder>
      <Table.Thead lang={headLang}>
        <Table.Tr>
          <Table.Th scope="col">{head[0]}</Table.Th>
          <Table.Th scope="col">{head[1]}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map(([a, b], i) => (
          <Table.Tr key={i}>
            <Table.Td>{a}</Table.Td>
            <Table.Td>{b}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** One record, laid out as the alliance publishes it, with its workflow's next step. */
export function RecordView() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { slug } = useParams({ strict: false }) as { slug: string };
  const res = useApi<ActivityRecord>(`/api/v1/records/${encodeURIComponent(slug)}`, { quiet401: true });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [returned, setReturned] = useState(false);
  const r = res.data;
  const act = async (step: 'propose' | 'publish' | 'return') => {
    if (!r) return;
    setBusy(true);
    setError(null);
    try {
      if (step === 'return') {
        await api.post(`/api/v1/records/${r.id}/return`);
        setReturned(true);
      } else res.setData(await api.post<ActivityRecord>(`/api/v1/records/${r.id}/${step}`));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (returned)
    return (
      <Page title={t('records.title')}>
        <Alert color="green">{t('records.returned')}</Alert>
        <AppLink to="/records">{t('records.title')}</AppLink>
      </Page>
    );
  if (res.loading && !r) return <Loading />;
  if (!r) return <ErrorAlert error={res.error} />;
  return (
    <Page
      title={r.title}
      titleLang={r.language}
      actions={
        r.can.edit ? (
          <ButtonLink to="/records/$slug/edit" params={{ slug: r.slug }} variant="default">
            {t('records.edit')}
          </ButtonLink>
        ) : undefined
      }
    >
      <Stack gap="lg" lang={r.language}>
        <Stack gap={4}>
          <Text>
            <strong lang={labels.lang}>{t('records.date')}:</strong> <When r={r} />
          </Text>
          <Text>
            <strong lang={labels.lang}>{t('records.location')}:</strong> {r.location}
          </Text>
          <Text size="sm" lang={labels.lang}>
            {t('records.organisation')} <AppLink to="/organisations/$organisationId" params={{ organisationId: r.organisation.id }}>{r.organisation.name}</AppLink>
          </Text>
          <FromEvent recordId={r.id} />
          <StatusLine r={r} />
        </Stack>
        <div lang={labels.lang}>
          {r.status === 'draft' && r.can.propose && <Alert color="gray">{t('records.draftNote')}</Alert>}
          {r.status === 'proposed' && <Alert color="yellow">{t('records.proposedNote')}</Alert>}
          <ErrorAlert error={error} />
          <Group gap="xs" mt="xs">
            {r.can.propose && (
              <Button loading={busy} onClick={() => void act('propose')}>
                {t('records.propose')}
              </Button>
            )}
            {r.can.publish && (
              <Button loading={busy} onClick={() => void act('publish')}>
                {t('records.publish')}
              </Button>
            )}
            {r.can.return && (
              <Button variant="default" loading={busy} onClick={() => void act('return')}>
                {t('records.return')}
              </Button>
            )}
            <Anchor href={`/api/v1/records/${r.id}/markdown`} download={`${r.slug}.md`}>
              {t('records.markdown')}
            </Anchor>
          </Group>
        </div>
        <Section title={t('records.summary')}>
          {r.summary.split('\n\n').map((p, i) => (
            <Text key={i} mb="xs">
              {p}
            </Text>
          ))}
        </Section>
        {r.characteristics.length > 0 && (
          <Section title={t('records.characteristics')}>
            <List>{r.characteristics.map((c, i) => <List.Item key={i}>{c}</List.Item>)}</List>
          </Section>
        )}
        {r.actors.length > 0 && (
          <Section title={t('records.actors')}>
            <PairTable head={[t('records.category'), t('records.actor')]} rows={r.actors.map((a) => [a.category, <Actors names={a.actors} links={r.actorOrganisations} />])} headLang={labels.lang} />
          </Section>
        )}
        {r.themes.length > 0 && (
          <Section title={t('records.themes')}>
            <PairTable head={[t('records.category'), t('records.subcategory')]} rows={r.themes.map((th) => [th.category, th.subcategory])} headLang={labels.lang} />
          </Section>
        )}
        <RecordConcepts r={r} onSaved={res.setData} />
        <RecordPractices key={r.practices.map((x) => x.id).join()} r={r} onSaved={res.setData} />
        {r.applications.length > 0 && (
          <Section title={t('records.applications')}>
            <List>{r.applications.map((c, i) => <List.Item key={i}>{c}</List.Item>)}</List>
          </Section>
        )}
        <Section title={t('records.commitments')}>
          {r.commitments.length === 0 ? (
            <Text lang={labels.lang} data-testid="no-commitments">
              {t('records.noCommitments')}
            </Text>
          ) : (
            <Stack gap="sm" component="ul" className="plain-list">
              {r.commitments.map((c, i) => (
                <Card component="li" withBorder key={i}>
                  <Text fw={600}>{c.text}</Text>
                  <Group gap="xs" lang={labels.lang}>
                    <Badge variant="light" tt="none">
                      {t(`records.commitment.status.${c.status}`)}
                    </Badge>
                    {c.due && (
                      <Text size="sm">
                        {t('records.commitment.due')}: {labels.date(c.due)}
                      </Text>
                    )}
                  </Group>
                  <Progress value={c.progress} mt="xs" aria-label={`${t('records.commitment.progress')}: ${c.progress}%`} />
                  {c.owners.length > 0 && (
                    <Text size="sm">
                      <span lang={labels.lang}>{t('records.commitment.owners')}:</span> {c.owners.join('; ')}
                    </Text>
                  )}
                  {c.countries.length > 0 && (
                    <Text size="sm" lang={labels.lang}>
                      {t('records.commitment.countries')}: {c.countries.map(labels.country).join(', ')}
                    </Text>
                  )}
                  {c.milestones.length > 0 && (
                    <Text size="sm">
                      <span lang={labels.lang}>{t('records.commitment.milestones')}:</span>{' '}
                      {c.milestones.map((m) => `${m.title}${m.due ? ` (${labels.date(m.due)})` : ''}${m.done ? ` ✓ ${t('records.commitment.done')}` : ''}`).join('; ')}
                    </Text>
                  )}
                  {c.evidence.length > 0 && (
                    <Text size="sm">
                      <span lang={labels.lang}>{t('records.commitment.evidence')}:</span>{' '}
                      {c.evidence.map((e, k) => (
                        <span key={e}>
                          {k > 0 && ' · '}
                          <Anchor href={e} rel="noopener noreferrer nofollow" target="_blank">
                            {e}
                          </Anchor>
                        </span>
                      ))}
                    </Text>
                  )}
                </Card>
              ))}
            </Stack>
          )}
        </Section>
      </Stack>
    </Page>
  );
}

/** Import a record written in the alliance's format, as a draft of one's organisation. */
export function RecordImportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [marking, setMarking] = useState<IntelMarking>({ tlp: 'CLEAR', audience: { organisations: [], communities: [], people: [] } });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const lines = error instanceof ApiError && error.code === 'IMPORT_INVALID' ? ((error.details as { errors?: { line: number; message: string }[] })?.errors ?? []) : [];
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const created = await api.post<ActivityRecord>(
        `/api/v1/records/import${qs({ tlp: marking.tlp, organisations: marking.audience.organisations.join(',') || undefined, communities: marking.audience.communities.join(',') || undefined })}`,
        new TextBody(text, 'text/markdown; charset=utf-8'),
      );
      await navigate({ to: '/records/$slug', params: { slug: created.slug } });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('records.importTitle')}>
      <Text>{t('records.importIntro')}</Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="md" maw={860}>
          <FileInput
            label={t('records.file')}
            accept=".md,text/markdown,text/plain"
            onChange={(f) => {
              if (f) void f.text().then(setText);
            }}
            maw={420}
          />
          <Textarea label={t('records.text')} value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={12} maxRows={30} required styles={{ input: { fontFamily: 'monospace' } }} />
          <IntelMarkingFields value={marking} onChange={setMarking} label={t('records.marking')} />
          {lines.length > 0 ? (
            <Alert color="red" title={t('records.errorsTitle')} role="alert">
              <List size="sm">
                {lines.map((l, i) => (
                  <List.Item key={i}>{t('records.line', { line: l.line, message: l.message })}</List.Item>
                ))}
              </List>
            </Alert>
          ) : (
            <ErrorAlert error={error} />
          )}
          <Group>
            <Button type="submit" loading={busy} disabled={!text.trim()}>
              {t('records.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Page>
  );
}
