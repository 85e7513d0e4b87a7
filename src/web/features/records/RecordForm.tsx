import { Alert, Button, Checkbox, Fieldset, Group, MultiSelect, NumberInput, Paper, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { COMMITMENT_STATUSES, RECORD_LIMITS as L, recordProblems, type CommitmentStatus, type RecordDoc, type RecordProblem } from '#shared/records';
import { UI_LANGUAGES } from '#shared/languages';
import { api, ApiError } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { useCountryOptions } from '../../components/CountrySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { IntelMarkingFields, type IntelMarking } from '../intel/shared';
import type { ActivityRecord, RecordInput } from './api';

/**
 * Write an activity record in the app (`/records/new`) or change a draft or proposed one
 * (`/records/$slug/edit`): every field of the record format (docs/records.md), checked here as
 * the server checks it (`recordProblems`, #shared/records) before it is sent. The server then
 * writes it in the record format and reads it back; what it still refuses is shown by its field.
 */

interface MilestoneForm {
  title: string;
  due: string;
  done: boolean;
}
interface CommitmentForm {
  text: string;
  /** One per line. */
  owners: string;
  countries: string[];
  due: string;
  status: CommitmentStatus;
  progress: number;
  milestones: MilestoneForm[];
  /** One link per line. */
  evidence: string;
}
interface FormState {
  title: string;
  date: string;
  endDate: string;
  location: string;
  language: string;
  summary: string;
  characteristics: string[];
  /** A category and its actors, one per line. */
  actors: { category: string; actors: string }[];
  themes: { category: string; subcategory: string }[];
  applications: string[];
  commitments: CommitmentForm[];
}

const lines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

const emptyCommitment = (): CommitmentForm => ({ text: '', owners: '', countries: [], due: '', status: 'planned', progress: 0, milestones: [], evidence: '' });

function emptyForm(lang: string): FormState {
  return { title: '', date: '', endDate: '', location: '', language: lang, summary: '', characteristics: [], actors: [], themes: [], applications: [], commitments: [] };
}

function formOf(r: ActivityRecord): FormState {
  return {
    title: r.title,
    date: r.date,
    endDate: r.endDate ?? '',
    location: r.location,
    language: r.language,
    summary: r.summary,
    characteristics: [...r.characteristics],
    actors: r.actors.map((a) => ({ category: a.category, actors: a.actors.join('\n') })),
    themes: r.themes.map((t) => ({ ...t })),
    applications: [...r.applications],
    commitments: r.commitments.map((c) => ({
      text: c.text,
      owners: c.owners.join('\n'),
      countries: [...c.countries],
      due: c.due ?? '',
      status: c.status,
      progress: c.progress,
      milestones: c.milestones.map((m) => ({ title: m.title, due: m.due ?? '', done: m.done })),
      evidence: c.evidence.join('\n'),
    })),
  };
}

/**
 * The record as the server takes it: spaces at the ends of one-line fields trimmed, names and
 * links one per line. List entries keep their places (an empty one is reported, not dropped), so
 * that a problem the checks name by position is shown at its field.
 */
function docOf(f: FormState): RecordDoc {
  return {
    title: f.title.trim(),
    date: f.date,
    ...(f.endDate ? { endDate: f.endDate } : {}),
    location: f.location.trim(),
    summary: f.summary.replace(/\r\n?/g, '\n').trim(),
    characteristics: f.characteristics.map((c) => c.trim()),
    actors: f.actors.map((a) => ({ category: a.category.trim(), actors: lines(a.actors) })),
    themes: f.themes.map((t) => ({ category: t.category.trim(), subcategory: t.subcategory.trim() })),
    applications: f.applications.map((a) => a.trim()),
    commitments: f.commitments.map((c) => ({
      text: c.text.trim(),
      owners: lines(c.owners),
      countries: c.countries,
      ...(c.due ? { due: c.due } : {}),
      status: c.status,
      progress: c.progress,
      milestones: c.milestones.map((m) => ({ title: m.title.trim(), ...(m.due ? { due: m.due } : {}), done: m.done })),
      evidence: lines(c.evidence),
    })),
  };
}

/** The audience the marking takes (what is left of another level's choice is not sent). */
function audienceFor(m: IntelMarking): RecordInput['audience'] {
  if (m.tlp === 'AMBER') return { organisations: m.audience.organisations, communities: m.audience.communities };
  if (m.tlp === 'AMBER+STRICT') return { organisations: m.audience.organisations };
  if (m.tlp === 'RED') return { people: m.audience.people };
  return {};
}

type Problem = Pick<RecordProblem, 'field' | 'limit'> & { problem: RecordProblem['problem'] | 'format' };

/** The field problems in a refusal of the server: its own (`details.field`) or its schema's (`details.errors`). */
function serverProblems(error: unknown): Problem[] {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return [];
  const d = (error.details ?? {}) as { field?: unknown; problem?: unknown; limit?: unknown; errors?: { path?: string; keyword?: string; params?: { limit?: number } }[] };
  if (typeof d.field === 'string') return [{ field: d.field, problem: (typeof d.problem === 'string' ? d.problem : 'invalid') as Problem['problem'], ...(typeof d.limit === 'number' ? { limit: d.limit } : {}) }];
  return (d.errors ?? [])
    .filter((e) => e.path)
    .map((e) => {
      const field = e.path!.slice(1).replace(/\//g, '.');
      const problem: Problem['problem'] =
        e.keyword === 'maxLength' ? 'tooLong' : e.keyword === 'maxItems' ? 'tooMany' : e.keyword === 'format' ? 'date' : e.keyword === 'pattern' && /countries/.test(field) ? 'country' : 'invalid';
      return { field, problem, ...(typeof e.params?.limit === 'number' ? { limit: e.params.limit } : {}) };
    });
}

/** A list of one-line entries (characteristics, practical applications): add, change, remove. */
function LineList({
  values,
  onChange,
  label,
  addLabel,
  field,
  max,
  err,
  focus,
  setFocus,
}: {
  values: string[];
  onChange: (v: string[]) => void;
  label: (n: number) => string;
  addLabel: string;
  field: string;
  max: number;
  err: (field: string) => string | undefined;
  focus: string | null;
  setFocus: (f: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      {values.map((v, i) => (
        <Group key={i} align="flex-end" wrap="nowrap">
          <TextInput
            label={label(i + 1)}
            value={v}
            onChange={(e) => onChange(values.map((x, k) => (k === i ? e.currentTarget.value : x)))}
            error={err(`${field}.${i}`)}
            maxLength={L.item}
            autoFocus={focus === `${field}.${i}`}
            style={{ flex: 1 }}
          />
          <Button variant="subtle" color="red.9" aria-label={t('records.form.removeThe', { what: label(i + 1) })} onClick={() => onChange(values.filter((_, k) => k !== i))}>
            {t('records.form.remove')}
          </Button>
        </Group>
      ))}
      {err(field) && (
        <Text c="red.8" size="sm" role="alert">
          {err(field)}
        </Text>
      )}
      <Group>
        <Button
          variant="default"
          size="xs"
          disabled={values.length >= max}
          onClick={() => {
            setFocus(`${field}.${values.length}`);
            onChange([...values, '']);
          }}
        >
          {addLabel}
        </Button>
      </Group>
    </Stack>
  );
}

/** One entry of a list of rows (a category of actors, a theme, a commitment): its fields and a way to remove it. */
function Row({ title, onRemove, children }: { title: string; onRemove: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" component="fieldset" style={{ margin: 0, minWidth: 0 }}>
      <Text component="legend" fw={600} px={4}>
        {title}
      </Text>
      <Stack gap="xs">
        {children}
        <Group justify="flex-end">
          <Button variant="subtle" color="red.9" size="xs" aria-label={t('records.form.removeThe', { what: title })} onClick={onRemove}>
            {t('records.form.remove')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** The form itself, for a new record or one being changed (`record`). */
function RecordForm({ record }: { record?: ActivityRecord }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const countryOptions = useCountryOptions();
  const [form, setForm] = useState<FormState>(() => (record ? formOf(record) : emptyForm(labels.lang)));
  const [marking, setMarking] = useState<IntelMarking>(() =>
    record ? { tlp: record.tlp, audience: { organisations: record.audience.organisations, communities: record.audience.communities, people: record.audience.people } } : { tlp: 'CLEAR', audience: { organisations: [], communities: [], people: [] } },
  );
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The entry just added takes the focus, so that adding one goes on from the keyboard.
  const [focus, setFocus] = useState<string | null>(null);
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setForm((f) => ({ ...f, [k]: v }));
  const setCommitment = (i: number, c: Partial<CommitmentForm>) => set('commitments', form.commitments.map((x, k) => (k === i ? { ...x, ...c } : x)));

  const doc = useMemo(() => docOf(form), [form]);
  const problems: Problem[] = useMemo(() => recordProblems(doc), [doc]);
  const shown: Problem[] = checked ? [...problems, ...serverProblems(error)] : serverProblems(error);
  const say = (p: Problem) => t(`records.form.problem.${p.problem}`, { max: p.limit !== undefined ? new Intl.NumberFormat(labels.lang).format(p.limit) : '' });
  /** The problem of one field. */
  const err = (field: string) => {
    const p = shown.find((x) => x.field === field);
    return p ? say(p) : undefined;
  };
  /** The problem of a list given one per line (actors, owners, links): the entry named. */
  const errIn = (field: string, entries: string[]) => {
    const p = shown.find((x) => x.field === field || x.field.startsWith(`${field}.`));
    if (!p) return undefined;
    const k = Number(p.field.slice(field.length + 1));
    return p.field !== field && entries[k] !== undefined ? t('records.form.entry', { value: entries[k], problem: say(p) }) : say(p);
  };
  const languages = useMemo(() => [...new Set([...UI_LANGUAGES, form.language])].map((l) => ({ value: l, label: labels.language(l) })), [form.language, labels]);
  const countryData = useMemo(() => {
    const known = countryOptions.flatMap((g) => g.items.map((i) => i.value));
    const extra = form.commitments.flatMap((c) => c.countries).filter((c) => !known.includes(c));
    return [...countryOptions, ...[...new Set(extra)].map((c) => ({ value: c, label: c }))];
  }, [countryOptions, form.commitments]);

  const submit = async () => {
    setChecked(true);
    setError(null);
    if (problems.length) return;
    const body: RecordInput = { ...doc, language: form.language, tlp: marking.tlp, audience: audienceFor(marking) };
    setBusy(true);
    try {
      const saved = record ? await api.put<ActivityRecord>(`/api/v1/records/${record.id}`, body) : await api.post<ActivityRecord>('/api/v1/records', body);
      await navigate({ to: '/records/$slug', params: { slug: saved.slug } });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Stack gap="lg" maw={900}>
        {record?.status === 'proposed' && <Alert color="yellow">{t('records.form.proposedNote')}</Alert>}
        <Fieldset legend={t('records.form.activity')} variant="unstyled">
          <Stack gap="sm">
            <TextInput label={t('records.form.title')} value={form.title} onChange={(e) => set('title', e.currentTarget.value)} error={err('title')} maxLength={L.title} required lang={form.language} />
            <Group align="flex-start" grow maw={560}>
              <TextInput label={t('records.form.date')} type="date" value={form.date} onChange={(e) => set('date', e.currentTarget.value)} error={err('date')} required />
              <TextInput label={t('records.form.endDate')} description={t('records.form.endDateHelp')} type="date" value={form.endDate} onChange={(e) => set('endDate', e.currentTarget.value)} error={err('endDate')} />
            </Group>
            <TextInput label={t('records.form.location')} value={form.location} onChange={(e) => set('location', e.currentTarget.value)} error={err('location')} maxLength={L.location} required lang={form.language} />
            <Select
              label={t('records.form.language')}
              description={t('records.form.languageHelp')}
              data={languages}
              value={form.language}
              onChange={(v) => v && set('language', v)}
              allowDeselect={false}
              maw={320}
            />
            <Textarea
              label={t('records.form.summary')}
              description={t('records.form.summaryHelp')}
              value={form.summary}
              onChange={(e) => set('summary', e.currentTarget.value)}
              error={err('summary')}
              autosize
              minRows={5}
              maxRows={20}
              maxLength={L.summary}
              required
              lang={form.language}
            />
          </Stack>
        </Fieldset>

        <Fieldset legend={t('records.characteristics')} variant="unstyled" lang={labels.lang}>
          <LineList
            values={form.characteristics}
            onChange={(v) => set('characteristics', v)}
            label={(n) => t('records.form.characteristic', { n })}
            addLabel={t('records.form.addCharacteristic')}
            field="characteristics"
            max={L.items}
            err={err}
            focus={focus}
            setFocus={setFocus}
          />
        </Fieldset>

        <Fieldset legend={t('records.actors')} variant="unstyled">
          <Stack gap="sm">
            <Text size="sm">{t('records.form.actorsHelp')}</Text>
            {form.actors.map((a, i) => (
              <Row key={i} title={t('records.form.actorGroup', { n: i + 1 })} onRemove={() => set('actors', form.actors.filter((_, k) => k !== i))}>
                <TextInput
                  label={t('records.category')}
                  value={a.category}
                  onChange={(e) => set('actors', form.actors.map((x, k) => (k === i ? { ...x, category: e.currentTarget.value } : x)))}
                  error={err(`actors.${i}.category`)}
                  maxLength={L.category}
                  autoFocus={focus === `actors.${i}`}
                />
                <Textarea
                  label={t('records.form.actorNames')}
                  description={t('records.form.onePerLine')}
                  value={a.actors}
                  onChange={(e) => set('actors', form.actors.map((x, k) => (k === i ? { ...x, actors: e.currentTarget.value } : x)))}
                  error={errIn(`actors.${i}.actors`, lines(a.actors))}
                  autosize
                  minRows={2}
                  maxRows={12}
                />
              </Row>
            ))}
            {err('actors') && <Text c="red.8" size="sm" role="alert">{err('actors')}</Text>}
            <Group>
              <Button
                variant="default"
                size="xs"
                disabled={form.actors.length >= L.actorCategories}
                onClick={() => {
                  setFocus(`actors.${form.actors.length}`);
                  set('actors', [...form.actors, { category: '', actors: '' }]);
                }}
              >
                {t('records.form.addActorGroup')}
              </Button>
            </Group>
          </Stack>
        </Fieldset>

        <Fieldset legend={t('records.themes')} variant="unstyled">
          <Stack gap="sm">
            {form.themes.map((th, i) => (
              <Row key={i} title={t('records.form.theme', { n: i + 1 })} onRemove={() => set('themes', form.themes.filter((_, k) => k !== i))}>
                <Group grow align="flex-start">
                  <TextInput
                    label={t('records.category')}
                    value={th.category}
                    onChange={(e) => set('themes', form.themes.map((x, k) => (k === i ? { ...x, category: e.currentTarget.value } : x)))}
                    error={err(`themes.${i}.category`)}
                    maxLength={L.category}
                    autoFocus={focus === `themes.${i}`}
                  />
                  <TextInput
                    label={t('records.subcategory')}
                    value={th.subcategory}
                    onChange={(e) => set('themes', form.themes.map((x, k) => (k === i ? { ...x, subcategory: e.currentTarget.value } : x)))}
                    error={err(`themes.${i}.subcategory`)}
                    maxLength={L.subcategory}
                  />
                </Group>
              </Row>
            ))}
            {err('themes') && <Text c="red.8" size="sm" role="alert">{err('themes')}</Text>}
            <Group>
              <Button
                variant="default"
                size="xs"
                disabled={form.themes.length >= L.themes}
                onClick={() => {
                  setFocus(`themes.${form.themes.length}`);
                  set('themes', [...form.themes, { category: '', subcategory: '' }]);
                }}
              >
                {t('records.form.addTheme')}
              </Button>
            </Group>
          </Stack>
        </Fieldset>

        <Fieldset legend={t('records.applications')} variant="unstyled">
          <LineList
            values={form.applications}
            onChange={(v) => set('applications', v)}
            label={(n) => t('records.form.application', { n })}
            addLabel={t('records.form.addApplication')}
            field="applications"
            max={L.items}
            err={err}
            focus={focus}
            setFocus={setFocus}
          />
        </Fieldset>

        <Fieldset legend={t('records.commitments')} variant="unstyled">
          <Stack gap="sm">
            {form.commitments.length === 0 && <Text size="sm">{t('records.form.noCommitments')}</Text>}
            {form.commitments.map((c, i) => (
              <Row key={i} title={t('records.form.commitment', { n: i + 1 })} onRemove={() => set('commitments', form.commitments.filter((_, k) => k !== i))}>
                <TextInput
                  label={t('records.form.commitmentText')}
                  value={c.text}
                  onChange={(e) => setCommitment(i, { text: e.currentTarget.value })}
                  error={err(`commitments.${i}.text`)}
                  maxLength={L.commitmentText}
                  required
                  autoFocus={focus === `commitments.${i}`}
                />
                <Textarea
                  label={t('records.commitment.owners')}
                  description={t('records.form.ownersHelp')}
                  value={c.owners}
                  onChange={(e) => setCommitment(i, { owners: e.currentTarget.value })}
                  error={errIn(`commitments.${i}.owners`, lines(c.owners))}
                  autosize
                  minRows={1}
                  maxRows={8}
                />
                <MultiSelect
                  label={t('records.commitment.countries')}
                  data={countryData}
                  value={c.countries}
                  onChange={(v) => setCommitment(i, { countries: v })}
                  error={errIn(`commitments.${i}.countries`, c.countries)}
                  searchable
                  clearable
                  maxValues={L.countries}
                  comboboxProps={{ width: 'target' }}
                />
                <Group grow align="flex-start">
                  <TextInput label={t('records.commitment.due')} type="date" value={c.due} onChange={(e) => setCommitment(i, { due: e.currentTarget.value })} error={err(`commitments.${i}.due`)} />
                  <Select
                    label={t('records.form.status')}
                    data={COMMITMENT_STATUSES.map((s) => ({ value: s, label: t(`records.commitment.status.${s}`) }))}
                    value={c.status}
                    onChange={(v) => v && setCommitment(i, { status: v as CommitmentStatus })}
                    allowDeselect={false}
                  />
                  <NumberInput
                    label={t('records.form.progress')}
                    value={c.progress}
                    onChange={(v) => setCommitment(i, { progress: typeof v === 'number' ? v : Number(v) || 0 })}
                    min={0}
                    max={100}
                    step={5}
                    allowDecimal={false}
                    clampBehavior="strict"
                    suffix=" %"
                    error={err(`commitments.${i}.progress`)}
                  />
                </Group>
                <Stack gap="xs">
                  <Text size="sm" fw={500}>
                    {t('records.commitment.milestones')}
                  </Text>
                  {c.milestones.map((m, k) => {
                    const name = t('records.form.milestone', { n: k + 1 });
                    const setMilestone = (patch: Partial<MilestoneForm>) => setCommitment(i, { milestones: c.milestones.map((x, j) => (j === k ? { ...x, ...patch } : x)) });
                    return (
                      <Group key={k} align="flex-end" wrap="wrap">
                        <TextInput
                          label={name}
                          value={m.title}
                          onChange={(e) => setMilestone({ title: e.currentTarget.value })}
                          error={err(`commitments.${i}.milestones.${k}.title`)}
                          maxLength={L.milestone}
                          autoFocus={focus === `commitments.${i}.milestones.${k}`}
                          style={{ flex: 1, minWidth: 220 }}
                        />
                        <TextInput
                          label={t('records.form.milestoneDue', { name })}
                          type="date"
                          value={m.due}
                          onChange={(e) => setMilestone({ due: e.currentTarget.value })}
                          error={err(`commitments.${i}.milestones.${k}.due`)}
                        />
                        <Checkbox label={t('records.form.milestoneDone', { name })} checked={m.done} onChange={(e) => setMilestone({ done: e.currentTarget.checked })} mb={8} />
                        <Button variant="subtle" color="red.9" aria-label={t('records.form.removeThe', { what: name })} onClick={() => setCommitment(i, { milestones: c.milestones.filter((_, j) => j !== k) })}>
                          {t('records.form.remove')}
                        </Button>
                      </Group>
                    );
                  })}
                  {err(`commitments.${i}.milestones`) && <Text c="red.8" size="sm" role="alert">{err(`commitments.${i}.milestones`)}</Text>}
                  <Group>
                    <Button
                      variant="default"
                      size="xs"
                      disabled={c.milestones.length >= L.milestones}
                      onClick={() => {
                        setFocus(`commitments.${i}.milestones.${c.milestones.length}`);
                        setCommitment(i, { milestones: [...c.milestones, { title: '', due: '', done: false }] });
                      }}
                    >
                      {t('records.form.addMilestone')}
                    </Button>
                  </Group>
                </Stack>
                <Textarea
                  label={t('records.commitment.evidence')}
                  description={t('records.form.evidenceHelp')}
                  value={c.evidence}
                  onChange={(e) => setCommitment(i, { evidence: e.currentTarget.value })}
                  error={errIn(`commitments.${i}.evidence`, lines(c.evidence))}
                  autosize
                  minRows={1}
                  maxRows={8}
                />
              </Row>
            ))}
            {err('commitments') && <Text c="red.8" size="sm" role="alert">{err('commitments')}</Text>}
            <Group>
              <Button
                variant="default"
                size="xs"
                disabled={form.commitments.length >= L.commitments}
                onClick={() => {
                  setFocus(`commitments.${form.commitments.length}`);
                  set('commitments', [...form.commitments, emptyCommitment()]);
                }}
              >
                {t('records.form.addCommitment')}
              </Button>
            </Group>
          </Stack>
        </Fieldset>

        <Fieldset legend={t('records.marking')} variant="unstyled">
          <IntelMarkingFields value={marking} onChange={setMarking} />
        </Fieldset>

        {checked && problems.length > 0 && (
          <Alert color="red" role="alert" title={t('records.form.problemsTitle')}>
            {t('records.form.problems', { count: problems.length })}
          </Alert>
        )}
        <ErrorAlert error={error} />
        <Group>
          <Button type="submit" loading={busy}>
            {record ? t('records.form.save') : t('records.form.create')}
          </Button>
          {record ? (
            <AppLink to="/records/$slug" params={{ slug: record.slug }}>
              {t('common.cancel')}
            </AppLink>
          ) : (
            <AppLink to="/records">{t('common.cancel')}</AppLink>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** `/records/new`: write a record, a draft of one's organisation. */
export function RecordNewPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('records.form.newTitle')}>
      <Text>{t('records.form.intro')}</Text>
      <RecordForm />
    </Page>
  );
}

/** `/records/$slug/edit`: change a draft or proposed record of one's organisation. */
export function RecordEditPage() {
  const { t } = useTranslation();
  const { slug } = useParams({ strict: false }) as { slug: string };
  const res = useApi<ActivityRecord>(`/api/v1/records/${encodeURIComponent(slug)}`);
  const r = res.data;
  if (res.loading && !r) return <Loading />;
  if (!r) return <ErrorAlert error={res.error} />;
  return (
    <Page title={t('records.form.editTitle')}>
      <Text size="lg" fw={600} lang={r.language}>
        {r.title}
      </Text>
      {r.can.edit ? (
        <RecordForm record={r} />
      ) : (
        <>
          <Alert color="gray">{t('records.form.notEditable')}</Alert>
          <AppLink to="/records/$slug" params={{ slug: r.slug }}>
            {t('records.form.back')}
          </AppLink>
        </>
      )}
    </Page>
  );
}
