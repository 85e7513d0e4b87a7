import { Alert, Anchor, Badge, Button, Card, Checkbox, Fieldset, Group, List, MultiSelect, NumberInput, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client';
import { UI_LANGUAGES, type Tlp } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import { TranslationEditor, TranslationNotice } from '../../components/Translation';
import { SECTORS } from '#shared/sectors';
import { EU_INSTRUMENTS, EU_RELATIONS, INSTRUMENT_STATUSES, INSTRUMENT_TYPES, SECTOR_SCHEME, type EuInstrumentId, type EuRelation, type InstrumentStatus, type InstrumentType } from '#shared/countries';
import { IntelMarkingFields, NO_AUDIENCE, type IntelMarking } from '../intel/shared';
import type { CountryPageData, HistoryEntry, Instrument, Priority } from './api';
import { ConceptBadges, sectorCode, StatusBadge, useConceptOptions } from './shared';

const today = () => new Date().toISOString().slice(0, 10);

function Section({ id, title, actions, children }: { id: string; title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h3" id={id}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </section>
  );
}

/** A country's page: the public part for anyone, the member part (focal points, coverage, what is shared with members), the priorities and the policy tracker. */
export function CountryPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { iso2 } = useParams({ strict: false }) as { iso2: string };
  const code = iso2.toUpperCase();
  const res = useApi<CountryPageData>(`/api/v1/countries/${encodeURIComponent(code)}${qs({ lang: labels.lang })}`, { quiet401: true });
  const concepts = useConceptOptions();
  const [adding, setAdding] = useState<'priority' | 'instrument' | null>(null);
  const c = res.data;
  if (res.loading && !c) return <Loading />;
  if (!c) return <ErrorAlert error={res.error} />;
  const name = labels.country(c.code);
  const done = () => {
    setAdding(null);
    res.reload();
  };
  return (
    <Page
      title={name}
      actions={
        <ButtonLink to="/countries/compare" search={{ countries: c.code }} variant="default">
          {t('countryPages.compareWith')}
        </ButtonLink>
      }
    >
      <Text>
        {t(`countryPages.regions.${c.region}`)} · <span lang="en">{c.subregion}</span>
      </Text>
      <PublicPart c={c} />
      <Section
        id="priorities"
        title={t('countryPages.prioritiesTitle')}
        actions={
          c.can.addPriority &&
          adding !== 'priority' && (
            <Button onClick={() => setAdding('priority')} data-testid="add-priority">
              {t('countryPages.addPriority')}
            </Button>
          )
        }
      >
        <Text size="sm" mb="sm">
          {t('countryPages.prioritiesIntro', { country: name })}
        </Text>
        {adding === 'priority' && <PriorityForm country={c} concepts={concepts} onDone={done} onCancel={() => setAdding(null)} />}
        {c.priorities.length === 0 ? (
          <Text>{t('countryPages.noPriorities')}</Text>
        ) : (
          <Stack gap="md" component="ul" className="plain-list">
            {c.priorities.map((p) => (
              <PriorityCard key={p.id} country={c} initial={p} concepts={concepts} onChanged={res.reload} />
            ))}
          </Stack>
        )}
      </Section>
      <Section
        id="instruments"
        title={t('countryPages.instrumentsTitle')}
        actions={
          c.can.addInstrument &&
          adding !== 'instrument' && (
            <Button onClick={() => setAdding('instrument')} data-testid="add-instrument">
              {t('countryPages.addInstrument')}
            </Button>
          )
        }
      >
        <Text size="sm" mb="sm">
          {t('countryPages.instrumentsIntro')}
        </Text>
        {adding === 'instrument' && <InstrumentForm country={c} concepts={concepts} onDone={done} onCancel={() => setAdding(null)} />}
        {c.instruments.length === 0 ? (
          <Text>{t('countryPages.noInstruments')}</Text>
        ) : (
          <Stack gap="md" component="ul" className="plain-list">
            {c.instruments.map((i) => (
              <InstrumentCard key={i.id} country={c} initial={i} concepts={concepts} onChanged={res.reload} />
            ))}
          </Stack>
        )}
      </Section>
    </Page>
  );
}

function OrgList({ orgs }: { orgs: CountryPageData['directory']['mfa'] }) {
  const { t } = useTranslation();
  if (!orgs.length) return <Text size="sm">{t('countryPages.notInDirectory')}</Text>;
  return (
    <List size="sm">
      {orgs.map((o) => (
        <List.Item key={o.id}>
          <AppLink to="/organisations/$organisationId" params={{ organisationId: o.id }}>
            {o.name}
          </AppLink>
          {o.acronym ? ` (${o.acronym})` : ''}
        </List.Item>
      ))}
    </List>
  );
}

function PublicPart({ c }: { c: CountryPageData }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const kinds = ['diplomatic', 'technical', 'operational_24_7'] as const;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('countryPages.strategy')}
        </Title>
        {c.strategy ? (
          <Text size="sm">
            <span lang={c.strategy.language}>
              <AppLink to="/countries/$iso2" params={{ iso2: c.code }} hash={`instrument-${c.strategy.id}`}>
                {c.strategy.title}
              </AppLink>
            </span>{' '}
            ({c.strategy.year}, {t(`countryPages.status.${c.strategy.status}`)})
          </Text>
        ) : (
          <Text size="sm">{t('countryPages.noStrategy')}</Text>
        )}
        <Title order={3} size="h5" mt="sm">
          {t('countryPages.agency')}
        </Title>
        <OrgList orgs={c.directory.agencies} />
        <Title order={3} size="h5" mt="sm">
          {t('countryPages.csirt')}
        </Title>
        <OrgList orgs={c.directory.csirts} />
        <Title order={3} size="h5" mt="sm">
          {t('countryPages.mfa')}
        </Title>
        <OrgList orgs={c.directory.mfa} />
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('countryPages.focalPoints')}
        </Title>
        {c.focalPoints === null ? (
          <Text size="sm">{t('countryPages.focalPointsMembers')}</Text>
        ) : c.focalPoints.length === 0 ? (
          <Text size="sm">{t('countryPages.noFocalPoints')}</Text>
        ) : (
          <List size="sm">
            {c.focalPoints.map((f) => (
              <List.Item key={f.person.id}>
                {f.person.name} —{' '}
                <AppLink to="/organisations/$organisationId" params={{ organisationId: f.organisation.id }}>
                  {f.organisation.name}
                </AppLink>
              </List.Item>
            ))}
          </List>
        )}
        <Title order={3} size="h5" mt="sm">
          {t('countryPages.coverage')}
        </Title>
        {c.coverage === null ? (
          <Text size="sm">{t('countryPages.coverageSignIn')}</Text>
        ) : (
          <>
            <List size="sm">
              {kinds.map((k) => (
                <List.Item key={k}>
                  {t(`countryPages.coverageKinds.${k}`)}: {t('countryPages.contactCount', { count: c.coverage![k].count })}
                </List.Item>
              ))}
            </List>
            {c.coverage.lastConfirmedAt && (
              <Text size="xs" mt={4}>
                {t('countryPages.lastConfirmed', { date: labels.date(c.coverage.lastConfirmedAt) })}
              </Text>
            )}
            <AppLink to="/contacts" search={{ country: c.code }} size="sm">
              {t('countryPages.directoryLink')}
            </AppLink>
          </>
        )}
      </Card>
    </SimpleGrid>
  );
}

function WhoWhen({ item }: { item: Priority | Instrument }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <Text size="xs" c="dimmed">
      {item.author ? t('countryPages.byPersonOrg', { person: item.author.name, organisation: item.organisation.name }) : t('countryPages.byOrg', { organisation: item.organisation.name })} ·{' '}
      {t('countryPages.updated', { date: labels.date(item.updatedAt), version: item.version })}
    </Text>
  );
}

/** Each version: who, when, what changed; the text as it was, where its marking then lets the reader see it. */
function History({ url }: { url: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const res = useApi<{ items: HistoryEntry[] }>(url, { quiet401: true });
  if (res.loading && !res.data) return <Loading />;
  if (!res.data) return <ErrorAlert error={res.error} />;
  return (
    <List size="sm" data-testid="history">
      {res.data.items.map((v) => (
        <List.Item key={v.version}>
          <strong>{t('countryPages.history.version', { version: v.version })}</strong> · {t(`countryPages.history.actions.${v.action}`, { defaultValue: v.action })}
          {v.changed.length > 0 && ` (${v.changed.map((f) => t(`countryPages.fields.${f.split('.')[0]}`, { defaultValue: f })).join(', ')})`} · {labels.dateTime(v.at)}
          {v.by && ` · ${v.by.name}`}
          {v.content === null && (
            <Text size="xs" c="dimmed">
              {t('countryPages.history.restricted')}
            </Text>
          )}
        </List.Item>
      ))}
    </List>
  );
}

type Concepts = ReturnType<typeof useConceptOptions>;

function PriorityCard({ country, initial, concepts, onChanged }: { country: CountryPageData; initial: Priority; concepts: Concepts; onChanged: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [p, setP] = useState(initial);
  const [mode, setMode] = useState<'view' | 'edit' | 'translate'>('view');
  const [history, setHistory] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const url = `/api/v1/countries/${country.code}/priorities/${p.id}`;
  const pick = async (lang: string) => {
    setError(null);
    try {
      setP(await api.get<Priority>(`${url}${qs({ lang })}`, { quiet401: true }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Card component="li" withBorder id={`priority-${p.id}`} data-testid="priority">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <Title order={3} size="h4" lang={p.language}>
            {p.title}
          </Title>
          <TlpBadge tlp={p.tlp} size="sm" />
        </Group>
        <TranslationNotice info={p.translation} onPick={(l) => void pick(l)} />
        <ErrorAlert error={error} />
        {mode === 'edit' ? (
          <PriorityForm
            country={country}
            concepts={concepts}
            existing={p}
            onDone={() => {
              setMode('view');
              onChanged();
            }}
            onCancel={() => setMode('view')}
          />
        ) : (
          <>
            {p.body.split(/\n{2,}/).map((para, i) => (
              <Text key={i} lang={p.language}>
                {para}
              </Text>
            ))}
            <ConceptBadges tags={p.concepts} byTag={concepts.byTag} />
            {p.reviewDate && (
              <Group gap="xs">
                <Text size="sm">{t('countryPages.reviewOn', { date: labels.date(p.reviewDate) })}</Text>
                {p.reviewDue && (
                  <Badge color="yellow" variant="light" tt="none">
                    {t('countryPages.reviewDue')}
                  </Badge>
                )}
              </Group>
            )}
            <WhoWhen item={p} />
          </>
        )}
        {mode === 'translate' && (
          <TranslationEditor
            info={p.translation}
            fields={[
              { name: 'title', label: t('countryPages.form.title') },
              { name: 'body', label: t('countryPages.form.body'), multiline: true },
            ]}
            load={async (language) => {
              const v = await api.get<Priority>(`${url}${qs({ lang: language })}`);
              return v.language === language ? { title: v.title, body: v.body } : null;
            }}
            save={async (language, values, machine) => {
              setP(await api.put<Priority>(`${url}/translations/${language}`, { title: values.title ?? '', body: values.body ?? '', machine }));
            }}
            remove={async (language) => {
              await api.del(`${url}/translations/${language}`);
              onChanged();
            }}
            onDone={() => setMode('view')}
          />
        )}
        {mode === 'view' && (
          <Group gap="xs">
            {p.can.edit && (
              <Button size="xs" variant="default" onClick={() => setMode('edit')}>
                {t('countryPages.edit')}
              </Button>
            )}
            {p.can.translate && (
              <Button size="xs" variant="default" onClick={() => setMode('translate')}>
                {t('countryPages.translate')}
              </Button>
            )}
            <Button size="xs" variant="subtle" aria-expanded={history} onClick={() => setHistory((h) => !h)}>
              {history ? t('countryPages.history.hide') : t('countryPages.history.show')}
            </Button>
          </Group>
        )}
        {history && <History url={`${url}/history`} />}
      </Stack>
    </Card>
  );
}

function InstrumentCard({ country, initial, concepts, onChanged }: { country: CountryPageData; initial: Instrument; concepts: Concepts; onChanged: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [i, setI] = useState(initial);
  const [mode, setMode] = useState<'view' | 'edit' | 'translate' | 'status'>('view');
  const [history, setHistory] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const url = `/api/v1/countries/${country.code}/instruments/${i.id}`;
  const pick = async (lang: string) => {
    setError(null);
    try {
      setI(await api.get<Instrument>(`${url}${qs({ lang })}`, { quiet401: true }));
    } catch (e) {
      setError(e);
    }
  };
  const eu = (id: EuInstrumentId) => EU_INSTRUMENTS.find((e) => e.id === id)!;
  return (
    <Card component="li" withBorder id={`instrument-${i.id}`} data-testid="instrument">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <Title order={3} size="h4" lang={i.language}>
            {i.title}
          </Title>
          <TlpBadge tlp={i.tlp} size="sm" />
        </Group>
        <Group gap="xs">
          <Badge variant="outline" tt="none">
            {t(`countryPages.types.${i.type}`)}
          </Badge>
          <StatusBadge status={i.status} />
          <Text size="sm" ff="monospace" aria-label={t('countryPages.eliLabel')}>
            {i.eli}
          </Text>
        </Group>
        <TranslationNotice info={i.translation} onPick={(l) => void pick(l)} />
        <ErrorAlert error={error} />
        {mode === 'edit' ? (
          <InstrumentForm
            country={country}
            concepts={concepts}
            existing={i}
            onDone={() => {
              setMode('view');
              onChanged();
            }}
            onCancel={() => setMode('view')}
          />
        ) : (
          <>
            {i.summary && <Text lang={i.language}>{i.summary}</Text>}
            {(i.authority || i.authorityOrganisation) && (
              <Text size="sm">
                {t('countryPages.authority')}: {i.authorityOrganisation ? <AppLink to="/organisations/$organisationId" params={{ organisationId: i.authorityOrganisation.id }}>{i.authorityOrganisation.name}</AppLink> : null}
                {i.authorityOrganisation && i.authority ? ' — ' : ''}
                {i.authority && <span lang={i.language}>{i.authority}</span>}
              </Text>
            )}
            {i.sectors.length > 0 && (
              <Text size="sm">
                {t('countryPages.sectors')}: {i.sectors.map((s) => labels.sector(sectorCode(s))).join(', ')}
              </Text>
            )}
            {i.euLinks.length > 0 && (
              <div>
                <Text size="sm" fw={600}>
                  {t('countryPages.euLinks')}
                </Text>
                <List size="sm">
                  {i.euLinks.map((l) => (
                    <List.Item key={l.instrument}>
                      {t(`countryPages.relation.${l.relation}`)}{' '}
                      <Anchor href={eu(l.instrument).url} target="_blank" rel="noopener noreferrer" lang="en">
                        {eu(l.instrument).name}
                      </Anchor>
                      {l.note && (
                        <>
                          {' — '}
                          <span lang={i.translation.source}>{l.note}</span>
                        </>
                      )}
                    </List.Item>
                  ))}
                </List>
              </div>
            )}
            <div>
              <Text size="sm" fw={600} id={`timeline-${i.id}`}>
                {t('countryPages.timeline')}
              </Text>
              <List type="ordered" size="sm" aria-labelledby={`timeline-${i.id}`} data-testid="status-timeline">
                {i.statusHistory.map((s, k) => (
                  <List.Item key={k}>
                    {labels.date(s.effectiveOn)} — {t(`countryPages.status.${s.status}`)}
                  </List.Item>
                ))}
              </List>
            </div>
            {i.expressions.length > 0 && (
              <Text size="sm">
                {t('countryPages.expressions')}:{' '}
                {i.expressions.map((e, k) => (
                  <span key={e.language}>
                    {k > 0 && ' · '}
                    <Anchor href={e.url} hrefLang={e.language} target="_blank" rel="noopener noreferrer" title={e.eli}>
                      {labels.language(e.language)}
                    </Anchor>
                    {e.authoritative && ` (${t('countryPages.authoritative')})`}
                  </span>
                ))}
              </Text>
            )}
            <ConceptBadges tags={i.concepts} byTag={concepts.byTag} />
            <WhoWhen item={i} />
          </>
        )}
        {mode === 'status' && (
          <StatusForm
            instrument={i}
            url={url}
            onDone={(next) => {
              setI(next);
              setMode('view');
            }}
            onCancel={() => setMode('view')}
          />
        )}
        {mode === 'translate' && (
          <TranslationEditor
            info={i.translation}
            fields={[
              { name: 'title', label: t('countryPages.form.title') },
              { name: 'summary', label: t('countryPages.form.summary'), multiline: true },
            ]}
            load={async (language) => {
              const v = await api.get<Instrument>(`${url}${qs({ lang: language })}`);
              return v.language === language ? { title: v.title, summary: v.summary } : null;
            }}
            save={async (language, values, machine) => {
              setI(await api.put<Instrument>(`${url}/translations/${language}`, { title: values.title ?? '', summary: values.summary ?? '', machine }));
            }}
            remove={async (language) => {
              await api.del(`${url}/translations/${language}`);
              onChanged();
            }}
            onDone={() => setMode('view')}
          />
        )}
        {mode === 'view' && (
          <Group gap="xs">
            {i.can.edit && (
              <Button size="xs" variant="default" onClick={() => setMode('edit')}>
                {t('countryPages.edit')}
              </Button>
            )}
            {i.can.changeStatus && (
              <Button size="xs" variant="default" onClick={() => setMode('status')}>
                {t('countryPages.changeStatus')}
              </Button>
            )}
            {i.can.translate && (
              <Button size="xs" variant="default" onClick={() => setMode('translate')}>
                {t('countryPages.translate')}
              </Button>
            )}
            <Button size="xs" variant="subtle" aria-expanded={history} onClick={() => setHistory((h) => !h)}>
              {history ? t('countryPages.history.hide') : t('countryPages.history.show')}
            </Button>
          </Group>
        )}
        {history && <History url={`${url}/history`} />}
      </Stack>
    </Card>
  );
}

function StatusForm({ instrument, url, onDone, onCancel }: { instrument: Instrument; url: string; onDone: (i: Instrument) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | null>(instrument.nextStatuses[0] ?? null);
  const [on, setOn] = useState(today());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!status) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await api.post<Instrument>(`${url}/status`, { status, effectiveOn: on, version: instrument.version }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="sm">
      <form onSubmit={(e) => void submit(e)}>
        <Stack gap="sm">
          <ErrorAlert error={error} />
          <Group align="flex-end">
            <Select label={t('countryPages.form.nextStatus')} data={instrument.nextStatuses.map((s) => ({ value: s, label: t(`countryPages.status.${s}`) }))} value={status} onChange={setStatus} allowDeselect={false} />
            <TextInput type="date" label={t('countryPages.form.effectiveOn')} value={on} onChange={(e) => setOn(e.currentTarget.value)} required />
          </Group>
          <Group>
            <Button type="submit" loading={busy} disabled={!status}>
              {t('countryPages.form.saveStatus')}
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

/** The languages a text may be written in: the platform's four and the country's own. */
function useLanguageOptions(country: CountryPageData, current?: string) {
  const labels = useLabels();
  const all = [...new Set([...UI_LANGUAGES, ...country.languages, ...(current ? [current] : [])])];
  return all.map((l) => ({ value: l, label: labels.language(l) }));
}

const markingOf = (x?: { tlp: Tlp; audience: IntelMarking['audience'] }): IntelMarking => (x ? { tlp: x.tlp, audience: x.audience } : { tlp: 'GREEN', audience: NO_AUDIENCE });
const audienceBody = (m: IntelMarking) => ({ organisations: m.audience.organisations, communities: m.tlp === 'AMBER' ? m.audience.communities : [] });

function FormShell({ title, busy, error, onSubmit, onCancel, children }: { title: string; busy: boolean; error: unknown; onSubmit: () => void; onCancel: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  // The button that opened the form is gone: keyboard focus goes to the form's title.
  useEffect(() => heading.current?.focus(), []);
  return (
    <Paper withBorder p="md" mb="md">
      <form
        aria-label={title}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <Stack gap="sm" maw={760}>
          <Title order={3} size="h4" ref={heading} tabIndex={-1}>
            {title}
          </Title>
          {children}
          <ErrorAlert error={error} />
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

function PriorityForm({ country, concepts, existing, onDone, onCancel }: { country: CountryPageData; concepts: Concepts; existing?: Priority; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  // An edit starts from the source text, never from a translation.
  const fromSource = !existing || existing.language === existing.translation.source;
  const [title, setTitle] = useState(fromSource ? (existing?.title ?? '') : '');
  const [body, setBody] = useState(fromSource ? (existing?.body ?? '') : '');
  const [language, setLanguage] = useState<string | null>(existing?.translation.source ?? labels.lang);
  const [tags, setTags] = useState<string[]>(existing?.concepts ?? []);
  const [reviewDate, setReviewDate] = useState(existing?.reviewDate ?? '');
  const [marking, setMarking] = useState<IntelMarking>(markingOf(existing));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const languages = useLanguageOptions(country, existing?.translation.source);
  const base = `/api/v1/countries/${country.code}/priorities`;
  useEffect(() => {
    // Shown in another language: load the source version to edit it.
    if (fromSource || !existing) return;
    let live = true;
    api.get<Priority>(`${base}/${existing.id}${qs({ lang: existing.translation.source })}`).then(
      (v) => {
        if (!live) return;
        setTitle(v.title);
        setBody(v.body);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the form opens
  }, []);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const common = { title, body, concepts: tags, reviewDate: reviewDate || null };
      const mark = { tlp: marking.tlp, audience: audienceBody(marking) };
      if (existing) await api.patch(`${base}/${existing.id}`, { ...common, ...(existing.can.changeMarking ? mark : {}), version: existing.version });
      else await api.post(base, { ...common, language, ...mark });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormShell title={existing ? t('countryPages.form.editPriority') : t('countryPages.form.newPriority')} busy={busy} error={error} onSubmit={() => void submit()} onCancel={onCancel}>
      {!existing && <Select label={t('countryPages.form.language')} description={t('countryPages.form.languageHelp')} data={languages} value={language} onChange={setLanguage} allowDeselect={false} searchable />}
      <TextInput label={t('countryPages.form.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={300} lang={language ?? undefined} />
      <Textarea label={t('countryPages.form.body')} value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={4} maxRows={16} lang={language ?? undefined} />
      <MultiSelect label={t('countryPages.form.concepts')} description={t('countryPages.form.conceptsHelp')} data={concepts.groups} value={tags} onChange={setTags} searchable clearable />
      <TextInput type="date" label={t('countryPages.form.reviewDate')} value={reviewDate} onChange={(e) => setReviewDate(e.currentTarget.value)} maw={220} />
      {(!existing || existing.can.changeMarking) && <IntelMarkingFields value={marking} onChange={setMarking} label={t('countryPages.form.marking')} help={t('countryPages.form.markingHelp')} />}
      {existing && existing.language !== existing.translation.source && <Alert color="gray">{t('countryPages.form.editsSource', { language: labels.language(existing.translation.source) })}</Alert>}
    </FormShell>
  );
}

interface ExpressionRow {
  language: string;
  url: string;
  authoritative: boolean;
}

function InstrumentForm({ country, concepts, existing, onDone, onCancel }: { country: CountryPageData; concepts: Concepts; existing?: Instrument; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const fromSource = !existing || existing.language === existing.translation.source;
  const [type, setType] = useState<string | null>(existing?.type ?? 'law');
  const [status, setStatus] = useState<string | null>('draft');
  const [statusDate, setStatusDate] = useState(today());
  const [title, setTitle] = useState(fromSource ? (existing?.title ?? '') : '');
  const [summary, setSummary] = useState(fromSource ? (existing?.summary ?? '') : '');
  const [language, setLanguage] = useState<string | null>(existing?.translation.source ?? labels.lang);
  const [year, setYear] = useState<number | string>(existing?.year ?? new Date().getFullYear());
  const [number, setNumber] = useState(existing?.number ?? '');
  const [date, setDate] = useState(existing?.date ?? '');
  const [authority, setAuthority] = useState(existing?.authority ?? '');
  const [sectors, setSectors] = useState<string[]>((existing?.sectors ?? []).map(sectorCode));
  const [tags, setTags] = useState<string[]>(existing?.concepts ?? []);
  const [links, setLinks] = useState<Partial<Record<EuInstrumentId, EuRelation>>>(Object.fromEntries((existing?.euLinks ?? []).map((l) => [l.instrument, l.relation])));
  const [notes] = useState<Partial<Record<EuInstrumentId, string>>>(Object.fromEntries((existing?.euLinks ?? []).filter((l) => l.note).map((l) => [l.instrument, l.note!])));
  const [expressions, setExpressions] = useState<ExpressionRow[]>((existing?.expressions ?? []).map((e) => ({ language: e.language, url: e.url, authoritative: e.authoritative })));
  const [marking, setMarking] = useState<IntelMarking>(markingOf(existing));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const languages = useLanguageOptions(country, existing?.translation.source);
  const base = `/api/v1/countries/${country.code}/instruments`;
  useEffect(() => {
    if (fromSource || !existing) return;
    let live = true;
    api.get<Instrument>(`${base}/${existing.id}${qs({ lang: existing.translation.source })}`).then(
      (v) => {
        if (!live) return;
        setTitle(v.title);
        setSummary(v.summary);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the form opens
  }, []);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const common = {
        type,
        title,
        summary,
        year: Number(year),
        number: number.trim().toLowerCase(),
        date: date || null,
        authority,
        sectors: sectors.map((s) => `${SECTOR_SCHEME}/${s}`),
        concepts: tags,
        euLinks: Object.entries(links)
          .filter(([, r]) => !!r)
          .map(([instrument, relation]) => ({ instrument, relation, ...(notes[instrument as EuInstrumentId] ? { note: notes[instrument as EuInstrumentId] } : {}) })),
        expressions: expressions.filter((e) => e.url.trim()).map((e) => ({ language: e.language, url: e.url.trim(), authoritative: e.authoritative })),
      };
      const mark = { tlp: marking.tlp, audience: audienceBody(marking) };
      if (existing) await api.patch(`${base}/${existing.id}`, { ...common, ...(existing.can.changeMarking ? mark : {}), version: existing.version });
      else await api.post(base, { ...common, status, statusDate, language, ...mark });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormShell title={existing ? t('countryPages.form.editInstrument') : t('countryPages.form.newInstrument')} busy={busy} error={error} onSubmit={() => void submit()} onCancel={onCancel}>
      <Group grow align="flex-start">
        <Select label={t('countryPages.form.type')} data={INSTRUMENT_TYPES.map((x: InstrumentType) => ({ value: x, label: t(`countryPages.types.${x}`) }))} value={type} onChange={setType} allowDeselect={false} />
        {!existing && <Select label={t('countryPages.form.language')} description={t('countryPages.form.languageHelp')} data={languages} value={language} onChange={setLanguage} allowDeselect={false} searchable />}
      </Group>
      {!existing && (
        <Group grow align="flex-start">
          <Select label={t('countryPages.form.status')} data={INSTRUMENT_STATUSES.map((s: InstrumentStatus) => ({ value: s, label: t(`countryPages.status.${s}`) }))} value={status} onChange={setStatus} allowDeselect={false} />
          <TextInput type="date" label={t('countryPages.form.effectiveOn')} value={statusDate} onChange={(e) => setStatusDate(e.currentTarget.value)} required />
        </Group>
      )}
      <TextInput label={t('countryPages.form.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={300} lang={language ?? undefined} />
      <Textarea label={t('countryPages.form.summary')} value={summary} onChange={(e) => setSummary(e.currentTarget.value)} autosize minRows={3} maxRows={12} lang={language ?? undefined} />
      <Group grow align="flex-start">
        <NumberInput label={t('countryPages.form.year')} value={year} onChange={setYear} min={1900} max={2200} required allowDecimal={false} />
        <TextInput label={t('countryPages.form.number')} description={t('countryPages.form.numberHelp')} value={number} onChange={(e) => setNumber(e.currentTarget.value)} required pattern="[a-z0-9][a-z0-9\-]{0,39}" />
        <TextInput type="date" label={t('countryPages.form.date')} value={date} onChange={(e) => setDate(e.currentTarget.value)} />
      </Group>
      <TextInput label={t('countryPages.form.authority')} value={authority} onChange={(e) => setAuthority(e.currentTarget.value)} maxLength={300} />
      <MultiSelect label={t('countryPages.sectors')} data={SECTORS.map((s) => ({ value: s, label: labels.sector(s) }))} value={sectors} onChange={setSectors} searchable clearable />
      <Fieldset legend={t('countryPages.euLinks')} variant="unstyled">
        <Text size="sm" mb="xs">
          {t('countryPages.form.euLinksHelp')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {EU_INSTRUMENTS.map((e) => (
            <Select
              key={e.id}
              label={e.name}
              data={EU_RELATIONS.map((r) => ({ value: r, label: t(`countryPages.relation.${r}`) }))}
              value={links[e.id] ?? null}
              onChange={(v) => setLinks({ ...links, [e.id]: (v as EuRelation | null) ?? undefined })}
              clearable
              placeholder={t('countryPages.form.noRelation')}
            />
          ))}
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend={t('countryPages.expressions')} variant="unstyled">
        <Text size="sm" mb="xs">
          {t('countryPages.form.expressionsHelp')}
        </Text>
        <Stack gap="xs">
          {expressions.map((x, k) => (
            <Group key={k} align="flex-end">
              <Select
                label={t('countryPages.form.language')}
                data={languages}
                value={x.language}
                onChange={(v) => setExpressions(expressions.map((y, j) => (j === k ? { ...y, language: v ?? y.language } : y)))}
                allowDeselect={false}
                searchable
                w={180}
              />
              <TextInput label={t('countryPages.form.url')} type="url" value={x.url} onChange={(e) => setExpressions(expressions.map((y, j) => (j === k ? { ...y, url: e.currentTarget.value } : y)))} style={{ flex: 1 }} />
              <Checkbox label={t('countryPages.authoritative')} checked={x.authoritative} onChange={(e) => setExpressions(expressions.map((y, j) => (j === k ? { ...y, authoritative: e.currentTarget.checked } : y)))} mb={8} />
              <Button variant="subtle" color="red.9" onClick={() => setExpressions(expressions.filter((_, j) => j !== k))} aria-label={t('countryPages.form.removeExpression', { language: labels.language(x.language) })}>
                {t('common.remove')}
              </Button>
            </Group>
          ))}
          <Group>
            <Button variant="default" size="xs" onClick={() => setExpressions([...expressions, { language: language ?? labels.lang, url: '', authoritative: false }])}>
              {t('countryPages.form.addExpression')}
            </Button>
          </Group>
        </Stack>
      </Fieldset>
      <MultiSelect label={t('countryPages.form.concepts')} description={t('countryPages.form.conceptsHelp')} data={concepts.groups} value={tags} onChange={setTags} searchable clearable />
      {(!existing || existing.can.changeMarking) && <IntelMarkingFields value={marking} onChange={setMarking} label={t('countryPages.form.marking')} help={t('countryPages.form.markingHelp')} />}
      {existing && existing.language !== existing.translation.source && <Alert color="gray">{t('countryPages.form.editsSource', { language: labels.language(existing.translation.source) })}</Alert>}
    </FormShell>
  );
}
