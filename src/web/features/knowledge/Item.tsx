import { Alert, Anchor, Button, Card, FileInput, Group, List, Modal, MultiSelect, Paper, Select, Stack, Table, Text, Textarea, Timeline, Title, VisuallyHidden } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, getCsrfToken, qs } from '../../api/client';
import type { Items, Member, Person } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { PapBadge, TlpBadge } from '../../components/TlpBadge';
import { TranslationEditor, TranslationNotice } from '../../components/Translation';
import { useDebounced } from '../../components/useDebounced';
import { hasRole, useSession } from '../../session';
import { ServerHtml } from '../communities/common';
import type { ContactPage } from '../contacts/api';
import { ATTACHMENT_ACCEPT, LIMITS, type DiffAnswer, type KnowledgeItem } from './api';
import { useConcepts } from '../../components/concepts';
import { PracticeCard, StatusTag, TypeTag, useFileSize } from './shared';
import { ReadingListsOfItem } from '../collections/ReadingLists';
import { Section, Fact } from '../../components/Section';

/** Its concepts, each a link to the concept's page (what else carries it), named in the reader's language. */
function ConceptLinks({ tags }: { tags: string[] }) {
  const { lang } = useLabels();
  const concepts = useConcepts(lang, tags);
  return (
    <Group gap="xs" component="ul" className="plain-list" wrap="wrap">
      {tags.map((tag) => {
        const [scheme, concept] = tag.split('/') as [string, string];
        const c = concepts.byTag.get(tag);
        return (
          <li key={tag}>
            <AppLink to="/vocabularies/$scheme/$concept" params={{ scheme, concept }} size="sm">
              <span lang={c?.lang}>{c ? (c.notation ? `${c.notation} — ${c.label}` : c.label) : tag}</span>
            </AppLink>
            {c && (
              <Text span size="xs" c="dimmed">
                {' '}
                ({c.schemeLabel})
              </Text>
            )}
          </li>
        );
      })}
    </Group>
  );
}

// ---------- files ----------

async function upload(itemId: string, file: File): Promise<void> {
  const res = await fetch(`/api/v1/knowledge/${itemId}/attachments${qs({ name: file.name })}`, {
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

function Attachments({ item, onChanged }: { item: KnowledgeItem; onChanged: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const size = useFileSize();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [tooBig, setTooBig] = useState<string | null>(null);
  const full = item.attachments.length >= LIMITS.attachments;
  const send = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setTooBig(null);
    try {
      await upload(item.id, file);
      setFile(null);
      onChanged();
    } catch (e) {
      const limit = e instanceof ApiError && e.status === 413 ? (e.details as { limitBytes?: number } | undefined)?.limitBytes : undefined;
      if (limit) setTooBig(t('practices.files.tooBig', { size: size(limit) }));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    setError(null);
    try {
      await api.del(`/api/v1/knowledge/${item.id}/attachments/${id}`);
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  if (!item.attachments.length && !item.can.edit) return null;
  return (
    <Section title={t('practices.files.title')} testId="practice-files">
      <Stack gap="xs">
        {item.attachments.length === 0 ? (
          <Text size="sm">{t('practices.files.none')}</Text>
        ) : (
          <Stack gap={4} component="ul" className="plain-list">
            {item.attachments.map((a) => (
              <li key={a.id}>
                <Group gap="xs" wrap="wrap">
                  <Anchor href={`/api/v1/knowledge-attachments/${a.id}`} download={a.fileName} style={{ overflowWrap: 'anywhere' }}>
                    {a.fileName}
                  </Anchor>
                  <Text span size="xs" c="dimmed">
                    {t('practices.files.meta', { size: size(a.size), date: labels.date(a.at) })}
                  </Text>
                  {item.can.edit && (
                    <Button size="compact-xs" variant="subtle" color="red.9" onClick={() => void remove(a.id)} aria-label={t('practices.files.removeNamed', { name: a.fileName })}>
                      {t('common.remove')}
                    </Button>
                  )}
                </Group>
              </li>
            ))}
          </Stack>
        )}
        {item.can.edit &&
          (full ? (
            <Text size="sm">{t('practices.files.full', { max: LIMITS.attachments })}</Text>
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void send();
              }}
            >
              <Group align="flex-end" wrap="wrap">
                <FileInput label={t('practices.files.add')} description={t('practices.files.accepted')} accept={ATTACHMENT_ACCEPT} value={file} onChange={setFile} clearable maw={420} w="100%" />
                <Button type="submit" variant="default" loading={busy} disabled={!file}>
                  {t('practices.files.upload')}
                </Button>
              </Group>
            </form>
          ))}
        {tooBig && (
          <Alert color="red" role="alert">
            {tooBig}
          </Alert>
        )}
        <ErrorAlert error={error} />
      </Stack>
    </Section>
  );
}

// ---------- review ----------

/**
 * The people a writer may name as reviewers: members listed in the contact directory with an
 * account, the writer's own colleagues (for organisation admins) and, for the secretariat, anyone.
 */
function useReviewerOptions(search: string) {
  const { me } = useSession();
  const dq = useDebounced(search, 300).trim();
  const contacts = useApi<ContactPage>(`/api/v1/contacts${qs({ q: dq || undefined, pageSize: 50 })}`);
  const people = useApi<Items<Person>>(hasRole(me, 'secretariat') ? `/api/v1/people${qs({ q: dq || undefined })}` : null);
  const orgId = me?.organisation?.id;
  const colleagues = useApi<Items<Member>>(hasRole(me, 'org_admin') && orgId ? `/api/v1/organisations/${orgId}/members` : null);
  return useMemo(() => {
    const out = new Map<string, string>();
    for (const p of people.data?.items ?? []) if (p.status === 'active') out.set(p.id, `${p.name} — ${p.organisation?.name ?? ''}`);
    for (const c of contacts.data?.items ?? []) if (c.personId && !out.has(c.personId)) out.set(c.personId, `${c.fullName} — ${c.organisation.name}`);
    const needle = dq.toLowerCase();
    for (const m of colleagues.data?.items ?? [])
      if (m.status === 'active' && !out.has(m.id) && (!needle || m.name.toLowerCase().includes(needle))) out.set(m.id, `${m.name} — ${me?.organisation?.name ?? ''}`);
    if (me) out.delete(me.id);
    return { options: [...out].map(([value, label]) => ({ value, label })), loading: contacts.loading || people.loading };
  }, [contacts.data, people.data, colleagues.data, contacts.loading, people.loading, dq, me]);
}

function ReviewRequest({ item, onDone, onCancel }: { item: KnowledgeItem; onDone: (i: KnowledgeItem) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<string[]>(item.reviewers.map((r) => r.id));
  const [names, setNames] = useState<Map<string, string>>(() => new Map(item.reviewers.map((r) => [r.id, r.name])));
  const found = useReviewerOptions(search);
  const data = useMemo(() => {
    const ids = new Set(found.options.map((o) => o.value));
    return [...found.options, ...chosen.filter((id) => !ids.has(id)).map((id) => ({ value: id, label: names.get(id) ?? id }))];
  }, [found.options, chosen, names]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [checked, setChecked] = useState(false);
  const problem = chosen.length === 0 ? t('practices.review.pickOne') : chosen.length > LIMITS.reviewers ? t('practices.editor.tooMany', { max: LIMITS.reviewers }) : undefined;
  const submit = async () => {
    setChecked(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await api.post<KnowledgeItem>(`/api/v1/knowledge/${item.id}/review-request`, { reviewers: chosen }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        noValidate
      >
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('practices.review.requestTitle')}
          </Title>
          <MultiSelect
            label={t('practices.review.reviewers')}
            description={t('practices.review.reviewersHelp')}
            data={data}
            value={chosen}
            onChange={(ids) => {
              setNames((n) => new Map([...n, ...data.filter((o) => ids.includes(o.value)).map((o) => [o.value, o.label] as const)]));
              setChosen(ids);
            }}
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            nothingFoundMessage={found.loading ? t('common.loading') : t('practices.review.nobody')}
            error={checked ? problem : undefined}
            required
            comboboxProps={{ width: 'target' }}
            data-testid="reviewer-picker"
          />
          <ErrorAlert error={error} />
          <Group>
            <Button type="submit" loading={busy}>
              {t('practices.review.send')}
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

function ReviewPanel({ item, onChange, onReturned }: { item: KnowledgeItem; onChange: (i: KnowledgeItem) => void; onReturned: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [requesting, setRequesting] = useState(false);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [commentNeeded, setCommentNeeded] = useState(false);
  const steps = ['draft', 'in_review', 'published'] as const;
  const current = steps.indexOf(item.status);
  const decisionNow = (id: string) => item.reviews.find((v) => v.reviewer.id === id && v.version === item.revision)?.decision;
  const waiting = item.reviewers.filter((r) => decisionNow(r.id) !== 'approved');
  const act = async (run: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const review = (decision: 'approved' | 'changes_requested') => {
    if (decision === 'changes_requested' && !comment.trim()) {
      setCommentNeeded(true);
      return;
    }
    setCommentNeeded(false);
    void act(async () => {
      const answer = await api.post<KnowledgeItem | { id: string; status: 'draft' }>(`/api/v1/knowledge/${item.id}/reviews`, { decision, comment: comment.trim() || undefined });
      setComment('');
      if ('title' in answer) onChange(answer);
      else onReturned();
    });
  };
  return (
    <Section title={t('practices.review.title')} testId="review-panel">
      <Stack gap="md">
        <Timeline active={current} bulletSize={18} lineWidth={2}>
          {steps.map((s, i) => (
            <Timeline.Item key={s} title={t(`practices.status.${s}`)}>
              <Text size="sm">
                {t(`practices.review.step.${s}`)}
                {i === current && <VisuallyHidden> ({t('practices.review.currentStep')})</VisuallyHidden>}
              </Text>
              {s === 'published' && item.publishedAt && (
                <Text size="xs" c="dimmed">
                  {labels.dateTime(item.publishedAt)}
                </Text>
              )}
            </Timeline.Item>
          ))}
        </Timeline>

        {item.reviewers.length > 0 && (
          <div>
            <Text size="sm" fw={600}>
              {t('practices.review.reviewers')}
            </Text>
            <Stack gap={2} component="ul" className="plain-list">
              {item.reviewers.map((r) => {
                const d = decisionNow(r.id);
                return (
                  <Text component="li" size="sm" key={r.id}>
                    {r.name} — {d === 'approved' ? t('practices.review.approvedNow') : d === 'changes_requested' ? t('practices.review.changesNow') : t('practices.review.waitingFor')}
                  </Text>
                );
              })}
            </Stack>
          </div>
        )}

        {item.reviews.length > 0 && (
          <div>
            <Text size="sm" fw={600}>
              {t('practices.review.said')}
            </Text>
            <Stack gap="xs" component="ul" className="plain-list">
              {[...item.reviews].reverse().map((v) => (
                <Card component="li" key={v.id} withBorder padding="xs">
                  <Text size="sm">
                    {t(v.decision === 'approved' ? 'practices.review.approvedBy' : 'practices.review.changesBy', { name: v.reviewer.name, version: v.version, date: labels.dateTime(v.at) })}
                  </Text>
                  {v.comment && (
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {v.comment}
                    </Text>
                  )}
                </Card>
              ))}
            </Stack>
          </div>
        )}

        <ErrorAlert error={error} />

        {item.can.edit && item.status === 'draft' &&
          (requesting ? (
            <ReviewRequest
              item={item}
              onCancel={() => setRequesting(false)}
              onDone={(i) => {
                setRequesting(false);
                onChange(i);
              }}
            />
          ) : (
            <Group>
              <Button onClick={() => setRequesting(true)}>{t('practices.review.request')}</Button>
              <Text size="sm">{t('practices.review.requestHelp')}</Text>
            </Group>
          ))}

        {item.can.edit && item.status === 'in_review' && (
          <Stack gap="xs">
            <Text size="sm">{waiting.length ? t('practices.review.waiting', { count: waiting.length }) : t('practices.review.allApproved')}</Text>
            <Group>
              <Button disabled={waiting.length > 0} loading={busy} onClick={() => void act(async () => onChange(await api.post<KnowledgeItem>(`/api/v1/knowledge/${item.id}/publish`)))}>
                {t('practices.review.publish')}
              </Button>
            </Group>
          </Stack>
        )}

        {item.can.review && (
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={3} size="h4">
                {t('practices.review.yourReview')}
              </Title>
              <Text size="sm">{t('practices.review.yourReviewHelp', { version: item.revision })}</Text>
              <Textarea
                label={t('practices.review.comment')}
                description={t('practices.review.commentHelp')}
                value={comment}
                onChange={(e) => setComment(e.currentTarget.value)}
                autosize
                minRows={3}
                maxLength={LIMITS.comment}
                error={commentNeeded ? t('practices.review.commentNeeded') : undefined}
              />
              <Group>
                <Button color="green.9" loading={busy} onClick={() => review('approved')}>
                  {t('practices.review.approve')}
                </Button>
                <Button variant="outline" loading={busy} onClick={() => review('changes_requested')}>
                  {t('practices.review.requestChanges')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        )}
      </Stack>
    </Section>
  );
}

// ---------- history ----------

const INS = { background: 'var(--mantine-color-green-light)', textDecoration: 'underline' } as const;
const DEL = { background: 'var(--mantine-color-red-light)', textDecoration: 'line-through' } as const;

/** The words added and removed, marked for the eye (colour and line) and for screen readers (words). */
function DiffText({ parts }: { parts: DiffAnswer['fields'][number]['parts'] }) {
  const { t } = useTranslation();
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} component="div">
      {parts.map((p, i) =>
        p.change === 'added' ? (
          <ins key={i} style={INS}>
            <VisuallyHidden>[{t('practices.history.addedStart')}] </VisuallyHidden>
            {p.text}
            <VisuallyHidden> [{t('practices.history.addedEnd')}]</VisuallyHidden>
          </ins>
        ) : p.change === 'removed' ? (
          <del key={i} style={DEL}>
            <VisuallyHidden>[{t('practices.history.removedStart')}] </VisuallyHidden>
            {p.text}
            <VisuallyHidden> [{t('practices.history.removedEnd')}]</VisuallyHidden>
          </del>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </Text>
  );
}

function History({ item }: { item: KnowledgeItem }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const versions = [...item.versions].sort((a, b) => b.version - a.version);
  const [from, setFrom] = useState<string | null>(versions[1] ? String(versions[1].version) : null);
  const [to, setTo] = useState<string | null>(versions[0] ? String(versions[0].version) : null);
  const [diff, setDiff] = useState<DiffAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const options = versions.map((v) => ({ value: String(v.version), label: t('practices.history.versionLabel', { version: v.version, date: labels.date(v.at) }) }));
  const compare = async () => {
    if (!from || !to) return;
    setBusy(true);
    setError(null);
    try {
      setDiff(await api.get<DiffAnswer>(`/api/v1/knowledge/${item.id}/diff${qs({ from, to })}`, { quiet401: true }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('practices.history.title')} testId="practice-history">
      <Stack gap="sm">
        <DataTable
          caption={t('practices.history.caption')}
          columns={[t('practices.history.version'), t('practices.history.language'), t('practices.history.date'), t('practices.history.by'), t('practices.history.note')]}
          rows={versions}
        >
          {(v) => (
            <Table.Tr key={v.version}>
              <Table.Td>{v.version}</Table.Td>
              <Table.Td>{labels.language(v.language)}</Table.Td>
              <Table.Td>{labels.dateTime(v.at)}</Table.Td>
              <Table.Td>{v.author ?? '—'}</Table.Td>
              <Table.Td>{v.note || (v.version === 1 ? t('practices.history.first') : '—')}</Table.Td>
            </Table.Tr>
          )}
        </DataTable>
        {/* Earlier texts are compared by the item's organisation and reviewers only (the server says so too). */}
        {versions.length > 1 && (item.can.edit || item.can.translate || item.can.review) && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void compare();
            }}
          >
            <Group align="flex-end" wrap="wrap">
              <Select label={t('practices.history.from')} data={options} value={from} onChange={setFrom} allowDeselect={false} w={240} maw="100%" />
              <Select label={t('practices.history.to')} data={options} value={to} onChange={setTo} allowDeselect={false} w={240} maw="100%" />
              <Button type="submit" variant="default" loading={busy} disabled={!from || !to || from === to}>
                {t('practices.history.compare')}
              </Button>
            </Group>
          </form>
        )}
        <ErrorAlert error={error} />
        {diff && (
          <Stack gap="sm" aria-live="polite" data-testid="practice-diff">
            <Title order={3} size="h4">
              {t('practices.history.diffTitle', { from: diff.from.version, to: diff.to.version })}
            </Title>
            {diff.to.note && <Text size="sm">{t('practices.history.noteSaid', { note: diff.to.note })}</Text>}
            {diff.fields.length === 0 ? (
              <Text size="sm">{t('practices.history.same')}</Text>
            ) : (
              diff.fields.map((f) => (
                <Paper key={f.field} withBorder p="sm">
                  <Title order={4} size="h5" mb={4}>
                    {t(`practices.fields.${f.field}`, { defaultValue: f.field })}
                  </Title>
                  <div lang={diff.to.language}>
                    <DiffText parts={f.parts} />
                  </div>
                </Paper>
              ))
            )}
          </Stack>
        )}
      </Stack>
    </Section>
  );
}

// ---------- the page ----------

/** One item of the library: its text in the reader's language, facts, files, related items, review and history. */
export function PracticeView() {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const { slug } = useParams({ strict: false }) as { slug: string };
  // A language picked among the item's versions; otherwise the reader's.
  const [lang, setLang] = useState<string | null>(null);
  const res = useApi<KnowledgeItem>(`/api/v1/knowledge/${encodeURIComponent(slug)}${qs({ lang: lang ?? labels.lang })}`, { quiet401: true });
  const [translating, setTranslating] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [returned, setReturned] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const it = res.data;
  if (returned)
    return (
      <Page title={t('practices.review.returnedTitle')}>
        <Alert color="green" role="status">
          {t('practices.review.returned')}
        </Alert>
        <AppLink to="/practices">{t('practices.backToLibrary')}</AppLink>
      </Page>
    );
  if (res.loading && !it) return <Loading />;
  if (!it)
    return (
      <Page title={t('practices.notFoundTitle')}>
        {res.error && res.error.status !== 404 ? <ErrorAlert error={res.error} /> : <Alert color="gray">{t('practices.notFound')}</Alert>}
        <AppLink to="/practices">{t('practices.backToLibrary')}</AppLink>
      </Page>
    );
  const shown = it.translation.shown;
  const remove = async () => {
    setError(null);
    try {
      await api.del(`/api/v1/knowledge/${it.id}`);
      await navigate({ to: '/practices' });
    } catch (e) {
      setError(e);
      setConfirmDelete(false);
    }
  };
  const licenceLink = it.licence && !it.licence.startsWith('LicenseRef-') ? `https://spdx.org/licenses/${it.licence}.html` : null;
  return (
    <Page
      title={it.title}
      titleLang={shown}
      actions={
        (it.can.edit || it.can.translate) && !translating ? (
          <Group gap="xs">
            {it.can.edit && (
              <ButtonLink to="/practices/$slug/edit" params={{ slug: it.slug }} variant="default">
                {t('practices.edit')}
              </ButtonLink>
            )}
            {it.can.translate && (
              <Button variant="default" onClick={() => setTranslating(true)}>
                {t('translation.translate')}
              </Button>
            )}
            {it.can.edit && (
              <Button color="red.9" variant="outline" onClick={() => setConfirmDelete(true)}>
                {t('common.delete')}
              </Button>
            )}
          </Group>
        ) : undefined
      }
    >
      <AppLink to="/practices">{t('practices.backToLibrary')}</AppLink>
      <Group gap="xs" wrap="wrap">
        <TypeTag type={it.type} />
        <TlpBadge tlp={it.tlp} />
        <PapBadge pap={it.pap} />
        <StatusTag status={it.status} />
      </Group>
      <Stack gap={4}>
        <Fact label={t('practices.facts.organisation')}>
          <AppLink to="/organisations/$organisationId" params={{ organisationId: it.organisation.id }}>
            {it.organisation.name}
          </AppLink>
          {it.coAuthors.length > 0 && ` · ${t('practices.facts.with', { names: it.coAuthors.map((o) => o.name).join(', ') })}`}
        </Fact>
        {it.countries.length > 0 && <Fact label={t('practices.facts.countries')}>{it.countries.map(labels.country).join(', ')}</Fact>}
        {it.date && <Fact label={t('practices.facts.date')}>{labels.date(it.date)}</Fact>}
        {it.audiences.length > 0 && <Fact label={t('practices.facts.audiences')}>{it.audiences.map(labels.orgType).join(', ')}</Fact>}
        <Fact label={t('practices.facts.language')}>{labels.language(it.translation.source)}</Fact>
        {it.sourceUrl && (
          <Fact label={t('practices.facts.source')}>
            <Anchor href={it.sourceUrl} rel="noopener noreferrer nofollow" target="_blank" style={{ overflowWrap: 'anywhere' }}>
              {it.sourceUrl}
            </Anchor>
          </Fact>
        )}
        {it.licence && (
          <Fact label={t('practices.facts.licence')}>
            {licenceLink ? (
              <Anchor href={licenceLink} rel="noopener noreferrer" target="_blank">
                {it.licence}
              </Anchor>
            ) : (
              t('practices.allRightsReserved')
            )}
          </Fact>
        )}
        {it.attribution && <Fact label={t('practices.facts.attribution')}>{it.attribution}</Fact>}
        <Text size="sm" c="dimmed">
          {it.publishedAt ? t('practices.facts.published', { date: labels.date(it.publishedAt) }) : t('practices.facts.updated', { date: labels.date(it.updatedAt) })}
        </Text>
      </Stack>
      {it.status !== 'published' && <Alert color="gray">{it.status === 'draft' ? t('practices.draftNote') : t('practices.inReviewNote')}</Alert>}
      <TranslationNotice info={it.translation} onPick={setLang} />
      <ErrorAlert error={error} />
      {translating && (
        <TranslationEditor
          info={it.translation}
          fields={[
            { name: 'title', label: t('practices.fields.title') },
            { name: 'summary', label: t('practices.fields.summary'), multiline: true },
            { name: 'body', label: t('practices.fields.body'), multiline: true },
            { name: 'evidence', label: t('practices.fields.evidence'), multiline: true },
            { name: 'outcome', label: t('practices.fields.outcome'), multiline: true },
          ]}
          load={async (l) => {
            const v = await api.get<KnowledgeItem>(`/api/v1/knowledge/${it.id}${qs({ lang: l })}`);
            return v.translation.shown === l ? { title: v.title, summary: v.summary, body: v.body, evidence: v.evidence, outcome: v.outcome } : null;
          }}
          save={async (l, values, machine) => {
            res.setData(
              await api.put<KnowledgeItem>(`/api/v1/knowledge/${it.id}/translations/${l}`, {
                title: values.title ?? '',
                summary: values.summary ?? '',
                body: values.body ?? '',
                evidence: values.evidence ?? '',
                outcome: values.outcome ?? '',
                machine,
              }),
            );
            setLang(l);
          }}
          remove={async (l) => {
            await api.del(`/api/v1/knowledge/${it.id}/translations/${l}`);
            setLang(null);
            res.reload();
          }}
          onDone={() => setTranslating(false)}
        />
      )}

      <Stack gap="lg" lang={shown}>
        {it.summary && (
          <Text size="lg" style={{ whiteSpace: 'pre-wrap' }} data-testid="practice-summary">
            {it.summary}
          </Text>
        )}
        {it.bodyHtml && (
          <div data-testid="practice-body">
            <ServerHtml html={it.bodyHtml} />
          </div>
        )}
      </Stack>
      {it.evidence && (
        <Section title={t('practices.fields.evidence')}>
          <Text lang={shown} style={{ whiteSpace: 'pre-wrap' }}>
            {it.evidence}
          </Text>
        </Section>
      )}
      {it.outcome && (
        <Section title={t('practices.fields.outcome')}>
          <Text lang={shown} style={{ whiteSpace: 'pre-wrap' }}>
            {it.outcome}
          </Text>
        </Section>
      )}
      {it.concepts.length > 0 && (
        <Section title={t('practices.concepts')}>
          <ConceptLinks tags={it.concepts} />
        </Section>
      )}
      <Attachments item={it} onChanged={res.reload} />
      {it.related.length > 0 && (
        <Section title={t('practices.related')}>
          <Stack gap="sm" component="ul" className="plain-list">
            {it.related.map((r) => (
              <PracticeCard key={r.id} item={r} extra={r.linked ? t('practices.linked') : t('practices.sharesConcepts')} />
            ))}
          </Stack>
        </Section>
      )}
      {it.records.length > 0 && (
        <Section title={t('practices.records')} testId="practice-records">
          <List>
            {it.records.map((r) => (
              <List.Item key={r.id}>
                <AppLink to="/records/$slug" params={{ slug: r.slug }}>
                  <span lang={r.language}>{r.title}</span>
                </AppLink>{' '}
                <Text span size="sm" c="dimmed">
                  ({labels.date(r.date)})
                </Text>
              </List.Item>
            ))}
          </List>
        </Section>
      )}
      {it.status === 'published' && <ReadingListsOfItem itemId={it.id} />}
      {(it.can.edit || it.can.review || it.reviewers.length > 0) && <ReviewPanel item={it} onChange={res.setData} onReturned={() => setReturned(true)} />}
      <History key={it.revision} item={it} />

      <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={t('practices.deleteTitle')}>
        <Stack>
          <Text>{t('practices.deleteConfirm', { title: it.title })}</Text>
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
