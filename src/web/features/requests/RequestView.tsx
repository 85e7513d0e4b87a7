import { Alert, Button, Card, Group, MultiSelect, Select, Stack, Tabs, Text, TextInput, Textarea, Timeline, Title, VisuallyHidden, List } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Items, Organisation } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { useConcepts } from '../../components/concepts';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { PapBadge, TlpBadge } from '../../components/TlpBadge';
import { browserTimeZone, fromZonedInput } from '../../components/time';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { TranslationNotice } from '../../components/Translation';
import { useSession } from '../../session';
import type { ExpertPage } from '../experts/api';
import type { OfferPage } from '../offers/api';
import { useOfferLabels } from '../offers/shared';
import { LIMITS, REQUEST_STATUSES, type AssistanceRequest, type Interest, type Matches, type RequestStatus } from './api';
import { Reasons, RequestStatusBadge, UrgencyBadge, useTimeframe } from './shared';
import { Section, Fact } from '../../components/Section';

function Prose({ text, lang }: { text: string; lang: string }) {
  return (
    <Text lang={lang} style={{ whiteSpace: 'pre-line' }}>
      {text}
    </Text>
  );
}

/** Run a change and hand its answer up; errors shown beside the form. */
function useAct(onChange: (r: AssistanceRequest) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<AssistanceRequest>) => {
    setBusy(true);
    setError(null);
    try {
      onChange(await fn());
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, act };
}

/** The steps taken, oldest first, then those still ahead, dimmed. */
function StepTimeline({ r }: { r: AssistanceRequest }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const reached = r.steps.length - 1;
  const ahead = REQUEST_STATUSES.slice(REQUEST_STATUSES.indexOf(r.status) + 1);
  return (
    <Timeline active={reached} bulletSize={18} lineWidth={2} data-testid="request-timeline">
      {r.steps.map((s, i) => (
        <Timeline.Item key={s.id} title={t(`requests.status.${s.status}`)}>
          <Text size="xs" c="dimmed">
            <time dateTime={s.at}>{labels.dateTime(s.at)}</time>
            {s.by ? ` · ${s.organisation ? t('requests.view.stepBy', { name: s.by, organisation: s.organisation }) : s.by}` : ''}
            {i === reached && <VisuallyHidden> ({t('requests.view.currentStep')})</VisuallyHidden>}
          </Text>
          {s.note && <Text size="sm">{s.note}</Text>}
        </Timeline.Item>
      ))}
      {ahead.map((s) => (
        <Timeline.Item key={s} title={t(`requests.status.${s}`)} c="dimmed">
          <Text size="xs" c="dimmed">
            {t('requests.view.upcoming')} — {t(`requests.statusHelp.${s}`)}
          </Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

/** The next steps this reader may take, with a note for the timeline (and a rating to evaluate). */
function StepActions({ r, onChange }: { r: AssistanceRequest; onChange: (r: AssistanceRequest) => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [rating, setRating] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const { busy, error, act } = useAct(onChange);
  if (!r.next.length) return null;
  const move = (status: RequestStatus) =>
    void act(() => api.post<AssistanceRequest>(`/api/v1/requests/${r.id}/status`, { status, ...(note.trim() ? { note: note.trim() } : {}), ...(status === 'evaluated' ? { evaluation: Number(rating), comment } : {}) })).then((ok) => ok && setNote(''));
  return (
    <Section title={t('requests.steps.title')} testId="request-next">
      <Stack gap="sm" maw={640}>
        {r.next.includes('evaluated') ? (
          <>
            <Select label={t('requests.steps.rating')} data={['1', '2', '3', '4', '5']} value={rating} onChange={setRating} w={260} required />
            <Textarea label={t('requests.steps.comment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} maxLength={5000} autosize minRows={2} />
          </>
        ) : (
          <TextInput label={t('requests.steps.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={LIMITS.note} />
        )}
        {error != null && <ErrorAlert error={error} />}
        <Group>
          {r.next.map((s) => (
            <Button key={s} onClick={() => move(s)} loading={busy} disabled={s === 'evaluated' && !rating} data-testid={`request-step-${s}`}>
              {t(`requests.steps.to.${s}`)}
            </Button>
          ))}
        </Group>
      </Stack>
    </Section>
  );
}

/** Approved organisations to name (providers, partners), the reader's own left out. */
function useOrganisationOptions(exclude: readonly string[]) {
  const orgs = useApi<Items<Organisation>>('/api/v1/organisations?status=approved');
  return useMemo(() => (orgs.data?.items ?? []).filter((o) => o.status === 'approved' && !exclude.includes(o.id)).map((o) => ({ value: o.id, label: o.name })), [orgs.data, exclude]);
}

/** Who the request is shared with, and (for the requester) naming providers instead of the community. */
function SharedWith({ r, onChange }: { r: AssistanceRequest; onChange: (r: AssistanceRequest) => void }) {
  const { t } = useTranslation();
  const named = r.tlp === 'AMBER' || r.tlp === 'AMBER+STRICT';
  const chosen = r.interests.find((i) => i.id === r.chosenInterestId);
  const fixed = useMemo(() => [r.organisation.id], [r.organisation.id]);
  const options = useOrganisationOptions(fixed);
  const [providers, setProviders] = useState<string[]>(() => (r.audience.communities.length ? [] : r.audience.organisations.map((o) => o.id)));
  const { busy, error, act } = useAct(onChange);
  const keep = new Set([...(chosen ? [chosen.organisation.id, ...chosen.partners.map((p) => p.id)] : [])]);
  const save = (e: FormEvent) => {
    e.preventDefault();
    void act(() => api.put<AssistanceRequest>(`/api/v1/requests/${r.id}/audience`, { providers: providers.filter((p) => !keep.has(p)) }));
  };
  return (
    <Section title={t('requests.view.sharedWith')} help={t('requests.view.sharedWithHelp')} testId="request-audience">
      {named && r.audienceShown ? (
        <Text size="sm">{[...r.audience.organisations.map((o) => o.name), ...r.audience.communities.map((c) => c.name)].join(' · ')}</Text>
      ) : (
        <Text size="sm">{t('requests.view.everyone', { tlp: r.tlp })}</Text>
      )}
      {named && r.can.own && (
        <form onSubmit={save}>
          <Stack gap="xs" mt="sm" maw={640}>
            <MultiSelect label={t('requests.audience.providers')} description={t('requests.audience.help')} data={options} value={providers} onChange={(v) => setProviders(v.slice(0, LIMITS.providers))} searchable clearable />
            {error != null && <ErrorAlert error={error} />}
            <Group>
              <Button type="submit" variant="default" loading={busy}>
                {t('requests.audience.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Section>
  );
}

function InterestCard({ r, i, onChange }: { r: AssistanceRequest; i: Interest; onChange: (r: AssistanceRequest) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [confirming, setConfirming] = useState(false);
  const { busy, error, act } = useAct(onChange);
  return (
    <Card component="li" withBorder padding="md" data-testid="interest">
      <Group justify="space-between" wrap="wrap">
        <Text fw={600}>
          {i.organisation.name} ({labels.country(i.organisation.country)})
        </Text>
        <Text size="sm" c={i.status === 'chosen' ? 'teal.9' : 'dimmed'} fw={i.status === 'chosen' ? 700 : 400}>
          {t(`requests.interests.status.${i.status}`)}
        </Text>
      </Group>
      {i.partners.length > 0 && <Text size="sm">{t('requests.interests.with', { names: i.partners.map((p) => `${p.name} (${labels.country(p.country)})`).join(', ') })}</Text>}
      <Text size="xs" c="dimmed">
        {i.author ? `${i.author} · ` : ''}
        <time dateTime={i.createdAt}>{labels.dateTime(i.createdAt)}</time>
      </Text>
      <Text mt="xs" style={{ whiteSpace: 'pre-line' }}>
        {i.message}
      </Text>
      {(i.offers.length > 0 || i.experts.length > 0) && (
        <Stack gap={2} mt="xs">
          <Text size="sm">{t('requests.interests.proposes')}</Text>
          <List size="sm" data-testid="interest-proposed">
            {i.offers.map((o) => (
              <List.Item key={o.id}>
                <AppLink to="/offers/$id" params={{ id: o.slug }}>
                  <span lang={o.lang}>{o.title}</span>
                </AppLink>
              </List.Item>
            ))}
            {i.experts.map((x) => (
              <List.Item key={x.id}>
                <AppLink to="/experts/$expertId" params={{ expertId: x.id }}>
                  {x.name}
                </AppLink>{' '}
                — <span lang={x.lang}>{x.headline}</span>
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
      {r.can.own && r.status === 'open' && i.status === 'proposed' && (
        <Stack gap="xs" mt="sm">
          {confirming ? (
            <>
              <Alert color="blue">{t('requests.interests.chooseConfirm', { organisation: i.organisation.name })}</Alert>
              <Group>
                <Button onClick={() => void act(() => api.post<AssistanceRequest>(`/api/v1/requests/${r.id}/interests/${i.id}/choose`))} loading={busy} data-testid="interest-choose-confirm">
                  {t('requests.interests.choose')}
                </Button>
                <Button variant="default" onClick={() => setConfirming(false)}>
                  {t('common.cancel')}
                </Button>
              </Group>
            </>
          ) : (
            <Group>
              <Button variant="light" onClick={() => setConfirming(true)} data-testid="interest-choose">
                {t('requests.interests.choose')}
              </Button>
            </Group>
          )}
          {error != null && <ErrorAlert error={error} />}
        </Stack>
      )}
    </Card>
  );
}

/** A provider's answer: a message, and the partner organisations answering with them. */
function AnswerForm({ r, onChange }: { r: AssistanceRequest; onChange: (r: AssistanceRequest) => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const exclude = useMemo(() => [r.organisation.id, me?.organisation?.id ?? ''], [r.organisation.id, me]);
  const options = useOrganisationOptions(exclude);
  const [message, setMessage] = useState('');
  const [partners, setPartners] = useState<string[]>([]);
  const [offers, setOffers] = useState<string[]>([]);
  const [experts, setExperts] = useState<string[]>([]);
  const mine = me?.organisation?.id;
  // What the organisation can propose: its published offers (as provider or partner) and its vetted experts.
  const ownOffers = useApi<OfferPage>(mine ? `/api/v1/offers?organisation=${mine}&limit=100` : null);
  const ownExperts = useApi<ExpertPage>(mine ? `/api/v1/experts?organisation=${mine}&status=vetted&limit=100` : null);
  const { busy, error, act } = useAct(onChange);
  const send = (e: FormEvent) => {
    e.preventDefault();
    void act(() => api.post<AssistanceRequest>(`/api/v1/requests/${r.id}/interests`, { message, partners, offers, experts }));
  };
  return (
    <form onSubmit={send} data-testid="interest-form">
      <Stack gap="sm" maw={720} mt="md">
        <Title order={3} size="h4">
          {t('requests.interests.answer')}
        </Title>
        <Textarea label={t('requests.interests.message')} value={message} onChange={(e) => setMessage(e.currentTarget.value)} maxLength={LIMITS.message} autosize minRows={4} required />
        <MultiSelect label={t('requests.interests.partners')} description={t('requests.interests.partnersHelp')} data={options} value={partners} onChange={(v) => setPartners(v.slice(0, LIMITS.partners))} searchable clearable />
        <MultiSelect
          label={t('requests.interests.offers')}
          data={(ownOffers.data?.items ?? []).map((o) => ({ value: o.id, label: o.title }))}
          value={offers}
          onChange={(v) => setOffers(v.slice(0, LIMITS.offers))}
          searchable
          clearable
          nothingFoundMessage={ownOffers.loading ? t('common.loading') : t('requests.interests.noOffers')}
        />
        <MultiSelect
          label={t('requests.interests.experts')}
          data={(ownExperts.data?.items ?? []).map((x) => ({ value: x.id, label: `${x.person.name} — ${x.headline}` }))}
          value={experts}
          onChange={(v) => setExperts(v.slice(0, LIMITS.experts))}
          searchable
          clearable
          nothingFoundMessage={ownExperts.loading ? t('common.loading') : t('requests.interests.noExperts')}
        />
        {error != null && <ErrorAlert error={error} />}
        <Group>
          <Button type="submit" loading={busy} disabled={!message.trim()}>
            {t('requests.interests.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The secretariat convenes a coordination meeting; once convened, a link to its discussion. */
function Coordination({ r, onChange }: { r: AssistanceRequest; onChange: (r: AssistanceRequest) => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [message, setMessage] = useState('');
  // The meeting's date is optional: with it, the meeting is also an event in the members' calendars.
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [timeZone, setTimeZone] = useState(browserTimeZone());
  const { busy, error, act } = useAct(onChange);
  if (!r.coordination && !r.can.convene) return null;
  const start = startsAt ? fromZonedInput(startsAt, timeZone) : null;
  const end = endsAt ? fromZonedInput(endsAt, timeZone) : null;
  const badEnd = !!start && !!end && end <= start;
  const meeting = start && end && !badEnd ? { startsAt: start.toISOString(), endsAt: end.toISOString(), timeZone } : undefined;
  return (
    <Section title={t('requests.coordination.title')} help={t('requests.coordination.help')} testId="request-coordination">
      {r.coordination ? (
        <Group>
          {r.coordination.topicId && (
            <AppLink to="/communities/$communityId/topics/$topicId" params={{ communityId: r.coordination.communityId, topicId: r.coordination.topicId }}>
              {t('requests.coordination.open')}
            </AppLink>
          )}
          {r.coordination.eventId && (
            <AppLink to="/events/$id" params={{ id: r.coordination.eventId }}>
              {t('requests.coordination.openEvent')}
            </AppLink>
          )}
        </Group>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => api.post<AssistanceRequest>(`/api/v1/requests/${r.id}/coordination`, { title, message, ...(meeting ? { meeting } : {}) }));
          }}
        >
          <Stack gap="sm" maw={720}>
            <TextInput label={t('requests.coordination.topicTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} required />
            <Textarea label={t('requests.coordination.message')} value={message} onChange={(e) => setMessage(e.currentTarget.value)} autosize minRows={3} required />
            <Text size="sm" c="dimmed">
              {t('requests.coordination.meetingHelp')}
            </Text>
            <Group align="flex-start">
              <TextInput label={t('requests.coordination.startsAt')} type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.currentTarget.value)} />
              <TextInput
                label={t('requests.coordination.endsAt')}
                type="datetime-local"
                value={endsAt}
                onChange={(e) => setEndsAt(e.currentTarget.value)}
                required={!!startsAt}
                error={badEnd ? t('requests.coordination.endAfterStart') : undefined}
              />
              <TimeZoneSelect label={t('requests.coordination.timeZone')} value={timeZone} onChange={setTimeZone} />
            </Group>
            {error != null && <ErrorAlert error={error} />}
            <Group>
              <Button type="submit" loading={busy} disabled={!title.trim() || !message.trim() || badEnd || (!!startsAt !== !!endsAt)}>
                {t('requests.coordination.convene')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Section>
  );
}

/** Offers, providers and experts that fit, each with its score and reasons in words. */
function MatchesSection({ id }: { id: string }) {
  const { t } = useTranslation();
  const offerLabels = useOfferLabels();
  const m = useApi<Matches>(`/api/v1/requests/${id}/matches`);
  const list = (children: ReactNode[]) =>
    children.length ? (
      <Stack gap="sm" component="ul" className="plain-list" mt="sm">
        {children}
      </Stack>
    ) : (
      <Text mt="sm">{t('requests.matches.none')}</Text>
    );
  return (
    <Section title={t('requests.matches.title')} help={t('requests.matches.help')} testId="request-matches">
      {m.error ? (
        <ErrorAlert error={m.error} />
      ) : !m.data ? (
        <Loading />
      ) : (
        <Tabs defaultValue="offers" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="offers">
              {t('requests.matches.offers')} ({m.data.offers.length})
            </Tabs.Tab>
            <Tabs.Tab value="providers">
              {t('requests.matches.providers')} ({m.data.providers.length})
            </Tabs.Tab>
            <Tabs.Tab value="experts">
              {t('requests.matches.experts')} ({m.data.experts.length})
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="offers">
            {list(
              m.data.offers.map((o) => (
                <Card component="li" key={o.id} withBorder padding="sm" data-testid="match-offer">
                  <AppLink to="/offers/$id" params={{ id: o.id }} fw={600}>
                    <span lang={o.lang}>{o.title}</span>
                  </AppLink>
                  <Text size="sm" c="dimmed">
                    {offerLabels.type(o.type)} · {o.provider.name}
                  </Text>
                  <Reasons score={o.score} reasons={o.reasons} concepts={m.data!.concepts} />
                </Card>
              )),
            )}
          </Tabs.Panel>
          <Tabs.Panel value="providers">
            {list(
              m.data.providers.map((p) => (
                <Card component="li" key={p.organisation.id} withBorder padding="sm" data-testid="match-provider">
                  <AppLink to="/organisations/$organisationId" params={{ organisationId: p.organisation.id }} fw={600}>
                    {p.organisation.name}
                  </AppLink>
                  <Reasons score={p.score} reasons={p.reasons} concepts={m.data!.concepts} />
                </Card>
              )),
            )}
          </Tabs.Panel>
          <Tabs.Panel value="experts">
            {list(
              m.data.experts.map((e) => (
                <Card component="li" key={e.id} withBorder padding="sm" data-testid="match-expert">
                  <AppLink to="/experts/$expertId" params={{ expertId: e.id }} fw={600}>
                    {e.name}
                  </AppLink>
                  <Text size="sm" c="dimmed">
                    {e.organisation.name}
                  </Text>
                  <Reasons score={e.score} reasons={e.reasons} concepts={m.data!.concepts} />
                </Card>
              )),
            )}
          </Tabs.Panel>
        </Tabs>
      )}
    </Section>
  );
}

/** Its concepts, named in the reader's language, each a link to the concept's page. */
function ConceptNames({ tags }: { tags: string[] }) {
  const { lang } = useLabels();
  const concepts = useConcepts(lang, tags);
  return (
    <>
      {tags.map((tag, i) => {
        const [scheme, concept] = tag.split('/') as [string, string];
        const c = concepts.byTag.get(tag);
        return (
          <span key={tag}>
            {i > 0 && ' · '}
            <AppLink to="/vocabularies/$scheme/$concept" params={{ scheme, concept }} size="sm">
              <span lang={c?.lang}>{c?.label ?? tag}</span>
            </AppLink>
          </span>
        );
      })}
    </>
  );
}

/** One request: its need, who it is shared with, its timeline, the answers, what fits it. */
export function RequestView() {
  const { t } = useTranslation();
  const labels = useLabels();
  const offerLabels = useOfferLabels();
  const timeframe = useTimeframe();
  const { id } = useParams({ strict: false }) as { id: string };
  const [lang, setLang] = useState<string | undefined>(undefined);
  const loaded = useApi<AssistanceRequest>(`/api/v1/requests/${id}${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`);
  const r = loaded.data;
  if (loaded.error) return <ErrorAlert error={loaded.error} />;
  if (!r) return <Loading />;
  const onChange = (x: AssistanceRequest) => loaded.setData(x);
  const shown = r.translation.shown;
  return (
    <Page title={r.title} titleLang={shown}>
      <Group gap="xs">
        <RequestStatusBadge status={r.status} />
        <UrgencyBadge urgency={r.urgency} />
        <TlpBadge tlp={r.tlp} />
        <PapBadge pap={r.pap} />
      </Group>
      <TranslationNotice info={r.translation} onPick={setLang} />
      <Stack gap={4}>
        <Fact label={t('requests.view.requestedBy')}>
          {r.organisation.name} ({labels.country(r.organisation.country)})
        </Fact>
        {r.forCountry && r.country && <Fact label={t('requests.view.forCountry')}>{labels.country(r.country)}</Fact>}
        {r.requester && <Fact label={t('requests.view.requester')}>{r.requester}</Fact>}
        <Fact label={t('requests.view.timeframe')}>{timeframe(r.timeframe)}</Fact>
        <Fact label={t('requests.view.format')}>{r.format ? offerLabels.format(r.format) : t('requests.anyFormat')}</Fact>
        {r.languages.length > 0 && <Fact label={t('requests.view.languages')}>{r.languages.map(labels.language).join(', ')}</Fact>}
        {r.audiences.length > 0 && <Fact label={t('requests.view.audiences')}>{r.audiences.map(offerLabels.audience).join(', ')}</Fact>}
        {r.concepts.length > 0 && (
          <Fact label={t('requests.view.concepts')}>
            <ConceptNames tags={r.concepts} />
          </Fact>
        )}
      </Stack>
      {r.description && (
        <Section title={t('requests.view.description')}>
          <Prose text={r.description} lang={shown} />
        </Section>
      )}
      {r.wanted && (
        <Section title={t('requests.view.wanted')}>
          <Prose text={r.wanted} lang={shown} />
        </Section>
      )}
      {r.constraints && (
        <Section title={t('requests.view.constraints')}>
          <Prose text={r.constraints} lang={shown} />
        </Section>
      )}
      {r.evaluation && (
        <Section title={t('requests.view.evaluation')}>
          <Text fw={600}>{t('requests.view.rating', { score: r.evaluation.score })}</Text>
          {r.evaluation.comment && <Text style={{ whiteSpace: 'pre-line' }}>{r.evaluation.comment}</Text>}
        </Section>
      )}
      <Section title={t('requests.view.timeline')}>
        <StepTimeline r={r} />
      </Section>
      <StepActions r={r} onChange={onChange} />
      <SharedWith key={`${r.id}-${r.updatedAt}`} r={r} onChange={onChange} />
      <Section title={t('requests.interests.title')} help={t('requests.interests.help')} testId="request-interests">
        {r.interests.length ? (
          <Stack gap="sm" component="ul" className="plain-list">
            {r.interests.map((i) => (
              <InterestCard key={i.id} r={r} i={i} onChange={onChange} />
            ))}
          </Stack>
        ) : (
          <Text>{t('requests.interests.none')}</Text>
        )}
        {r.answered && <Text mt="sm">{t('requests.interests.answered')}</Text>}
        {r.can.answer && <AnswerForm r={r} onChange={onChange} />}
      </Section>
      <Coordination r={r} onChange={onChange} />
      <MatchesSection id={r.id} />
    </Page>
  );
}
