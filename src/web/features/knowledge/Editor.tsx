import { Alert, Button, Fieldset, Group, MultiSelect, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client';
import { ORGANISATION_TYPES, UI_LANGUAGES, type Items, type Organisation } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { CannotEdit, focusFirstInvalid } from '../../components/EditorGate';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { useDebounced } from '../../components/useDebounced';
import { useSession } from '../../session';
import { audienceFor, EMPTY_AUDIENCE, MarkingFields, type Marking } from '../notes/MarkingFields';
import { KNOWLEDGE_TYPES, LICENCES, LIMITS, type KnowledgeItem, type KnowledgePage, type KnowledgeType } from './api';
import { useConcepts } from '../../components/concepts';
import { useStateOptions, useTypeLabel } from './shared';

interface Form {
  type: KnowledgeType;
  language: string;
  title: string;
  summary: string;
  body: string;
  evidence: string;
  outcome: string;
  countries: string[];
  concepts: string[];
  audiences: string[];
  date: string;
  sourceUrl: string;
  licence: string | null;
  attribution: string;
  coAuthors: string[];
  related: string[];
  note: string;
}

type Field = keyof Form;

const EMPTY: Omit<Form, 'language'> = {
  type: 'good_practice',
  title: '',
  summary: '',
  body: '',
  evidence: '',
  outcome: '',
  countries: [],
  concepts: [],
  audiences: [],
  date: '',
  sourceUrl: '',
  licence: null,
  attribution: '',
  coAuthors: [],
  related: [],
  note: '',
};

/** The form as it was saved: its source language's text and its fields. */
function formOf(item: KnowledgeItem): Form {
  const texts = item.sourceTexts ?? { title: item.title, summary: item.summary, body: item.body, evidence: item.evidence, outcome: item.outcome };
  return {
    type: item.type,
    language: item.translation.source,
    ...texts,
    countries: item.countries,
    concepts: item.concepts,
    audiences: item.audiences,
    date: item.date ?? '',
    sourceUrl: item.sourceUrl ?? '',
    licence: item.licence,
    attribution: item.attribution,
    coAuthors: item.coAuthors.map((o) => o.id),
    related: item.relatedIds,
    note: '',
  };
}

const URL_OK = (s: string) => {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
};

/** What the server would refuse, said before sending (its limits: service.ts LIMITS and routes.ts). */
function useProblems(f: Form): Partial<Record<Field, string>> {
  const { t } = useTranslation();
  const { lang } = useLabels();
  const n = (x: number) => new Intl.NumberFormat(lang).format(x);
  const out: Partial<Record<Field, string>> = {};
  const tooLong = (k: Field, max: number) => {
    if ((f[k] as string).length > max) out[k] = t('practices.editor.tooLong', { max: n(max), used: n((f[k] as string).length) });
  };
  if (!f.title.trim()) out.title = t('practices.editor.titleNeeded');
  tooLong('title', LIMITS.title);
  tooLong('summary', LIMITS.summary);
  tooLong('body', LIMITS.body);
  tooLong('evidence', LIMITS.evidence);
  tooLong('outcome', LIMITS.outcome);
  tooLong('attribution', LIMITS.attribution);
  tooLong('note', LIMITS.note);
  if (f.sourceUrl.trim() && (!URL_OK(f.sourceUrl.trim()) || f.sourceUrl.trim().length > LIMITS.sourceUrl)) out.sourceUrl = t('practices.editor.urlInvalid');
  if (f.date && !/^\d{4}-\d{2}-\d{2}$/.test(f.date)) out.date = t('practices.editor.dateInvalid');
  const tooMany = (k: Field, max: number) => {
    if ((f[k] as string[]).length > max) out[k] = t('practices.editor.tooMany', { max });
  };
  tooMany('countries', LIMITS.countries);
  tooMany('concepts', LIMITS.concepts);
  tooMany('coAuthors', LIMITS.coAuthors);
  tooMany('related', LIMITS.related);
  return out;
}

/** Related items: found by searching the library (any language), named once chosen. */
function RelatedPicker({ value, onChange, self, known, error }: { value: string[]; onChange: (ids: string[]) => void; self?: string; known: Map<string, string>; error?: string }) {
  const { t } = useTranslation();
  const { lang } = useLabels();
  const [search, setSearch] = useState('');
  const dq = useDebounced(search, 300).trim();
  const found = useApi<KnowledgePage>(`/api/v1/knowledge${qs({ q: dq || undefined, lang, limit: 15 })}`);
  const [names, setNames] = useState<Map<string, string>>(known);
  useEffect(() => setNames((n) => new Map([...known, ...n])), [known]);
  useEffect(() => {
    const items = found.data?.items ?? [];
    if (items.length) setNames((n) => new Map([...n, ...items.map((i) => [i.id, i.title] as const)]));
  }, [found.data]);
  const data = useMemo(() => {
    const ids = [...new Set([...value, ...(found.data?.items ?? []).map((i) => i.id)])].filter((id) => id !== self);
    return ids.map((id) => ({ value: id, label: names.get(id) ?? id }));
  }, [value, found.data, names, self]);
  return (
    <MultiSelect
      label={t('practices.editor.related')}
      description={t('practices.editor.relatedHelp', { max: LIMITS.related })}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // The server has searched every language already.
      filter={({ options }) => options}
      nothingFoundMessage={found.loading ? t('common.loading') : t('practices.editor.relatedNone')}
      clearable
      error={error}
      comboboxProps={{ width: 'target' }}
    />
  );
}

/** Write a new item (`/practices/new`) or change one (`/practices/$slug/edit`). */
export function PracticeEditor() {
  const { t } = useTranslation();
  const labels = useLabels();
  const typeLabel = useTypeLabel();
  const navigate = useNavigate();
  const { me } = useSession();
  const { slug } = useParams({ strict: false }) as { slug?: string };
  const existing = useApi<KnowledgeItem>(slug ? `/api/v1/knowledge/${encodeURIComponent(slug)}` : null);
  const item = existing.data;
  const [form, setForm] = useState<Form>({ ...EMPTY, language: labels.lang });
  const [marking, setMarking] = useState<Marking>({ tlp: 'GREEN', pap: 'GREEN', audience: EMPTY_AUDIENCE });
  const [ready, setReady] = useState(!slug);
  useEffect(() => {
    if (!item || ready) return;
    setForm(formOf(item));
    setMarking({ tlp: item.tlp, pap: item.pap, audience: item.audience ?? EMPTY_AUDIENCE });
    setReady(true);
  }, [item, ready]);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problems = useProblems(form);
  const shownProblems = checked ? problems : {};
  const formRef = useRef<HTMLFormElement>(null);
  const concepts = useConcepts(labels.lang, 'all');
  const orgs = useApi<Items<Organisation>>('/api/v1/organisations');
  const orgOptions = useMemo(
    () =>
      (orgs.data?.items ?? [])
        .filter((o) => o.status === 'approved' && o.id !== (item?.organisation.id ?? me?.organisation?.id))
        .map((o) => ({ value: o.id, label: `${o.name} (${labels.country(o.country)})` })),
    [orgs.data, item, me, labels],
  );
  const countryOptions = useStateOptions();
  const countryData = useMemo(() => {
    const known = countryOptions.flatMap((g) => g.items.map((i) => i.value));
    return [...countryOptions, ...form.countries.filter((c) => !known.includes(c)).map((c) => ({ value: c, label: labels.country(c) }))];
  }, [countryOptions, form.countries, labels]);
  const knownRelated = useMemo(() => new Map((item?.related ?? []).map((r) => [r.id, r.title] as const)), [item]);
  const set = <K extends Field>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  // Chosen values that are not among the options (a withdrawn concept, an organisation not listed) stay named.
  const withValues = <T extends { value: string; label: string }>(opts: T[], values: string[], name: (id: string) => string = (id) => id) => [
    ...opts,
    ...values.filter((v) => !opts.some((o) => o.value === v)).map((v) => ({ value: v, label: name(v) })),
  ];
  const conceptData = useMemo(() => {
    const all = concepts.groups.flatMap((g) => g.items.map((i) => i.value));
    const extra = form.concepts.filter((c) => !all.includes(c)).map((c) => ({ value: c, label: c }));
    return [...concepts.groups, ...extra];
  }, [concepts.groups, form.concepts]);

  if (slug && existing.loading && !item) return <Loading />;
  if (slug && (existing.error || !item))
    return (
      <CannotEdit title={t('practices.notFoundTitle')} error={existing.error} back={<AppLink to="/practices">{t('practices.backToLibrary')}</AppLink>} />
    );
  if (item && !item.can.edit)
    return (
      <CannotEdit
        title={t('practices.editor.editTitle')}
        notYours={t('practices.editor.notYours')}
        back={
          <AppLink to="/practices/$slug" params={{ slug: item.slug }}>
            {t('practices.editor.backToItem')}
          </AppLink>
        }
      />
    );
  if (!ready) return <Loading />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    setError(null);
    if (Object.keys(problems).length) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setBusy(true);
    const body = {
      type: form.type,
      language: form.language,
      title: form.title.trim(),
      summary: form.summary,
      body: form.body,
      evidence: form.evidence,
      outcome: form.outcome,
      countries: form.countries,
      concepts: form.concepts,
      audiences: form.audiences,
      date: form.date || null,
      sourceUrl: form.sourceUrl.trim() || null,
      licence: form.licence,
      attribution: form.attribution,
      coAuthors: form.coAuthors,
      related: form.related,
      tlp: marking.tlp,
      pap: marking.pap,
      audience: audienceFor(marking.tlp, marking.audience),
    };
    try {
      const saved = item
        ? await api.patch<KnowledgeItem>(`/api/v1/knowledge/${item.id}`, { ...body, ...(form.note.trim() ? { note: form.note.trim() } : {}) })
        : await api.post<KnowledgeItem>('/api/v1/knowledge', body);
      await navigate({ to: '/practices/$slug', params: { slug: saved.slug } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const textLang = form.language;
  return (
    <Page title={item ? t('practices.editor.editTitle') : t('practices.editor.newTitle')}>
      {item && (
        <Text lang={item.translation.shown}>
          <AppLink to="/practices/$slug" params={{ slug: item.slug }}>
            {item.title}
          </AppLink>
        </Text>
      )}
      <Text>{t('practices.editor.intro')}</Text>
      <Paper withBorder p={{ base: 'sm', sm: 'lg' }} maw={900}>
        <form onSubmit={(e) => void submit(e)} noValidate ref={formRef} data-testid="practice-form">
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label={t('practices.editor.type')}
                data={KNOWLEDGE_TYPES.map((k) => ({ value: k, label: typeLabel(k) }))}
                value={form.type}
                allowDeselect={false}
                onChange={(v) => v && set('type', v as KnowledgeType)}
                required
              />
              <Select
                label={t('practices.editor.language')}
                description={t('practices.editor.languageHelp')}
                data={[...UI_LANGUAGES, ...((UI_LANGUAGES as readonly string[]).includes(form.language) ? [] : [form.language])].map((l) => ({ value: l, label: labels.language(l) }))}
                value={form.language}
                allowDeselect={false}
                onChange={(v) => v && set('language', v)}
                required
              />
            </SimpleGrid>
            <TextInput
              label={t('practices.editor.title')}
              required
              value={form.title}
              onChange={(e) => set('title', e.currentTarget.value)}
              error={shownProblems.title}
              lang={textLang}
              name="title"
            />
            <Textarea
              label={t('practices.editor.summary')}
              description={t('practices.editor.summaryHelp', { max: new Intl.NumberFormat(labels.lang).format(LIMITS.summary) })}
              autosize
              minRows={3}
              value={form.summary}
              onChange={(e) => set('summary', e.currentTarget.value)}
              error={shownProblems.summary}
              lang={textLang}
              name="summary"
            />
            <Textarea
              label={t('practices.editor.body')}
              description={t('practices.editor.bodyHelp')}
              autosize
              minRows={10}
              maxRows={30}
              value={form.body}
              onChange={(e) => set('body', e.currentTarget.value)}
              error={shownProblems.body}
              lang={textLang}
              name="body"
            />
            <Textarea
              label={t('practices.editor.evidence')}
              description={t('practices.editor.evidenceHelp')}
              autosize
              minRows={3}
              value={form.evidence}
              onChange={(e) => set('evidence', e.currentTarget.value)}
              error={shownProblems.evidence}
              lang={textLang}
              name="evidence"
            />
            <Textarea
              label={t('practices.editor.outcome')}
              description={t('practices.editor.outcomeHelp')}
              autosize
              minRows={3}
              value={form.outcome}
              onChange={(e) => set('outcome', e.currentTarget.value)}
              error={shownProblems.outcome}
              lang={textLang}
              name="outcome"
            />

            <Fieldset legend={t('practices.editor.about')} variant="unstyled">
              <Stack>
                <MultiSelect
                  label={t('practices.editor.countries')}
                  data={countryData}
                  value={form.countries}
                  onChange={(v) => set('countries', v)}
                  searchable
                  clearable
                  error={shownProblems.countries}
                  comboboxProps={{ width: 'target' }}
                />
                <MultiSelect
                  label={t('practices.editor.concepts')}
                  description={t('practices.editor.conceptsHelp')}
                  data={conceptData}
                  value={form.concepts}
                  onChange={(v) => set('concepts', v)}
                  searchable
                  clearable
                  nothingFoundMessage={concepts.loading ? t('common.loading') : t('practices.filters.noConcept')}
                  error={shownProblems.concepts}
                  comboboxProps={{ width: 'target' }}
                />
                <MultiSelect
                  label={t('practices.editor.audiences')}
                  description={t('practices.editor.audiencesHelp')}
                  data={ORGANISATION_TYPES.map((o) => ({ value: o, label: labels.orgType(o) }))}
                  value={form.audiences}
                  onChange={(v) => set('audiences', v)}
                  clearable
                  comboboxProps={{ width: 'target' }}
                />
                <TextInput
                  label={t('practices.editor.date')}
                  description={t('practices.editor.dateHelp')}
                  type="date"
                  value={form.date}
                  onChange={(e) => set('date', e.currentTarget.value)}
                  error={shownProblems.date}
                  maw={240}
                />
              </Stack>
            </Fieldset>

            <Fieldset legend={t('practices.editor.sourceAndRights')} variant="unstyled">
              <Stack>
                <TextInput
                  label={t('practices.editor.sourceUrl')}
                  description={t('practices.editor.sourceUrlHelp')}
                  type="url"
                  placeholder="https://"
                  value={form.sourceUrl}
                  onChange={(e) => set('sourceUrl', e.currentTarget.value)}
                  error={shownProblems.sourceUrl}
                />
                <Select
                  label={t('practices.editor.licence')}
                  description={t('practices.editor.licenceHelp')}
                  data={LICENCES.map((l) => ({ value: l, label: l === 'LicenseRef-All-rights-reserved' ? t('practices.allRightsReserved') : l }))}
                  value={form.licence}
                  onChange={(v) => set('licence', v)}
                  clearable
                  placeholder={t('practices.editor.noLicence')}
                  maw={360}
                />
                <TextInput
                  label={t('practices.editor.attribution')}
                  description={t('practices.editor.attributionHelp')}
                  value={form.attribution}
                  onChange={(e) => set('attribution', e.currentTarget.value)}
                  error={shownProblems.attribution}
                />
                <MultiSelect
                  label={t('practices.editor.coAuthors')}
                  description={t('practices.editor.coAuthorsHelp')}
                  data={withValues(orgOptions, form.coAuthors, (id) => item?.coAuthors.find((o) => o.id === id)?.name ?? id)}
                  value={form.coAuthors}
                  onChange={(v) => set('coAuthors', v)}
                  searchable
                  clearable
                  error={shownProblems.coAuthors}
                  comboboxProps={{ width: 'target' }}
                />
                <RelatedPicker value={form.related} onChange={(v) => set('related', v)} self={item?.id} known={knownRelated} error={shownProblems.related} />
              </Stack>
            </Fieldset>

            <Fieldset legend={t('practices.editor.marking')} variant="unstyled">
              <MarkingFields value={marking} onChange={setMarking} />
            </Fieldset>

            {item && (
              <TextInput
                label={t('practices.editor.note')}
                description={t('practices.editor.noteHelp')}
                value={form.note}
                onChange={(e) => set('note', e.currentTarget.value)}
                error={shownProblems.note}
              />
            )}
            {item?.status === 'in_review' && <Alert color="yellow">{t('practices.editor.backToDraft')}</Alert>}
            {checked && Object.keys(problems).length > 0 && (
              <Alert color="red" role="alert" title={t('practices.editor.problemsTitle')}>
                {t('practices.editor.problems', { count: Object.keys(problems).length })}
              </Alert>
            )}
            <ErrorAlert error={error} />
            <Group>
              <Button type="submit" loading={busy}>
                {item ? t('practices.editor.save') : t('practices.editor.create')}
              </Button>
              {item ? (
                <ButtonLink to="/practices/$slug" params={{ slug: item.slug }} variant="default">
                  {t('common.cancel')}
                </ButtonLink>
              ) : (
                <ButtonLink to="/practices" variant="default">
                  {t('common.cancel')}
                </ButtonLink>
              )}
            </Group>
          </Stack>
        </form>
      </Paper>
    </Page>
  );
}
