import { Alert, Button, Group, List, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Timeline, Title } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client';
import { UI_LANGUAGES } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { OrganisationSelect } from '../../components/OrganisationSelect';
import { Loading, Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { fromZonedInput, timeZoneLabel, toZonedInput } from '../../components/time';
import { PapBadge, TlpBadge } from '../../components/TlpBadge';
import { TranslationEditor, TranslationNotice } from '../../components/Translation';
import { MarkingFields } from '../notes/MarkingFields';
import { INCIDENT_LINK_RELATIONSHIPS, INCIDENT_OUTCOMES, INCIDENT_TRANSITIONS, LIMITS, type IncidentClock, type IncidentEntry, type IncidentReport, type IncidentStatus } from './api';
import { withoutOrganisation, type Marking } from './form';
import { useReportEvents } from './live';
import { ExerciseBanner, ExerciseTag, IncidentStatusBadge, SeverityBadge, useIncidentLabels } from './shared';
import { Section, Fact } from '../../components/Section';

/** Run a change, then read the report again (every change writes the timeline too); errors shown beside the form. */
function useAct(reload: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      reload();
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

/** A clock's state in words: submitted (late or not), overdue, asked for, or simply pending. */
function ClockState({ c }: { c: IncidentClock }) {
  const { t } = useTranslation();
  const labels = useLabels();
  if (c.submittedAt)
    return (
      <Stack gap={2}>
        <Text size="sm" c={c.late ? 'red.9' : undefined}>
          {t(c.late ? 'incidents.view.clocks.submittedLate' : 'incidents.view.clocks.submitted', { at: labels.dateTime(c.submittedAt) })}
        </Text>
        {c.text && (
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
            {c.text}
          </Text>
        )}
      </Stack>
    );
  return (
    <Stack gap={2}>
      {c.overdue ? (
        <StatusBadge color="red" tt="none">
          {t('incidents.view.clocks.overdue')}
        </StatusBadge>
      ) : (
        <Text size="sm">{t('incidents.view.clocks.pending')}</Text>
      )}
      {c.requestedAt && (
        <Text size="xs" c="dimmed">
          {t('incidents.view.clocks.requested', { at: labels.dateTime(c.requestedAt) })}
        </Text>
      )}
    </Stack>
  );
}

/** The NIS2 reports owed: due, submitted or overdue; a short form to submit one; asking for an intermediate report. */
function Clocks({ r, reload }: { r: IncidentReport; reload: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const l = useIncidentLabels();
  const [open, setOpen] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [requestDue, setRequestDue] = useState(() => toZonedInput(new Date(Date.now() + 7 * 86_400_000), labels.timeZone));
  const [requestedBy, setRequestedBy] = useState<string | null>(null);
  const { busy, error, act } = useAct(reload);
  const submit = (c: IncidentClock) => (e: FormEvent) => {
    e.preventDefault();
    void act(() => api.post(`/api/v1/incidents/${r.id}/reports`, { kind: c.kind, text: text.trim() })).then((ok) => {
      if (ok) {
        setOpen(null);
        setText('');
      }
    });
  };
  const request = (e: FormEvent) => {
    e.preventDefault();
    const due = fromZonedInput(requestDue, labels.timeZone);
    if (due) void act(() => api.post(`/api/v1/incidents/${r.id}/reports/request`, { dueAt: due.toISOString(), ...(requestedBy ? { organisationId: requestedBy } : {}) })).then((ok) => ok && setRequestedBy(null));
  };
  const opened = r.clocks.find((c) => c.id === open);
  // The final report follows the notification (the server says so too).
  const notified = r.clocks.some((c) => c.kind === 'notification' && c.submittedAt);
  const mayGive = (c: IncidentClock) => !c.submittedAt && (c.kind !== 'final' || notified);
  return (
    <Section title={t('incidents.view.clocks.title')} help={t('incidents.view.clocks.help')} testId="incident-clocks">
      <DataTable
        rows={r.clocks}
        columns={[t('incidents.view.clocks.report'), t('incidents.view.clocks.due'), t('incidents.view.clocks.state'), ...(r.can.report ? [t('common.actions')] : [])]}
        empty={t('incidents.view.clocks.none')}
        data-testid="incident-clock-table"
      >
        {(c) => (
          <Table.Tr key={c.id} data-testid="incident-clock" data-kind={c.kind} data-overdue={c.overdue || undefined}>
            <Table.Td>{l.report(c.kind)}</Table.Td>
            <Table.Td>
              <time dateTime={c.dueAt}>{labels.dateTime(c.dueAt)}</time>
            </Table.Td>
            <Table.Td>
              <ClockState c={c} />
            </Table.Td>
            {r.can.report && (
              <Table.Td>
                {mayGive(c) && (
                  <Button
                    size="compact-sm"
                    variant={open === c.id ? 'filled' : 'default'}
                    aria-expanded={open === c.id}
                    aria-label={t('incidents.view.clocks.submitLabel', { kind: l.report(c.kind) })}
                    onClick={() => {
                      setOpen(open === c.id ? null : c.id);
                      setText('');
                    }}
                    data-testid={`incident-submit-${c.kind}`}
                  >
                    {t('incidents.view.clocks.submit')}
                  </Button>
                )}
              </Table.Td>
            )}
          </Table.Tr>
        )}
      </DataTable>
      {opened && (
        <Paper withBorder p="sm" mt="sm" maw={720}>
          <form onSubmit={submit(opened)} data-testid="incident-report-form">
            <Stack gap="sm">
              <Title order={3} size="h4">
                {l.report(opened.kind)}
              </Title>
              <Textarea label={t('incidents.view.clocks.text')} description={t('incidents.view.clocks.textHelp')} value={text} onChange={(e) => setText(e.currentTarget.value)} maxLength={LIMITS.text} autosize minRows={3} required data-autofocus data-testid="incident-report-text" />
              <ErrorAlert error={error} />
              <Group>
                <Button type="submit" loading={busy} disabled={!text.trim()} data-testid="incident-report-send">
                  {t('incidents.view.clocks.send')}
                </Button>
                <Button variant="default" onClick={() => setOpen(null)}>
                  {t('incidents.view.clocks.cancel')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
      {!opened && <ErrorAlert error={error} />}
      {r.can.report && r.status !== 'closed' && (
        <form onSubmit={request} aria-labelledby="incident-request-title">
          <Title order={3} size="h5" mt="md" id="incident-request-title">
            {t('incidents.view.clocks.request')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('incidents.view.clocks.requestHelp')}
          </Text>
          <Group align="flex-end" mt="xs" wrap="wrap">
            <TextInput
              type="datetime-local"
              label={t('incidents.view.clocks.requestDue')}
              description={timeZoneLabel(labels.timeZone, labels.lang)}
              value={requestDue}
              onChange={(e) => setRequestDue(e.currentTarget.value)}
              w={300}
              maw="100%"
            />
            <OrganisationSelect label={t('incidents.view.clocks.requestedBy')} value={requestedBy} onChange={setRequestedBy} clearable w={320} maw="100%" />
            <Button type="submit" variant="default" loading={busy} disabled={!fromZonedInput(requestDue, labels.timeZone)} data-testid="incident-request-send">
              {t('incidents.view.clocks.requestSend')}
            </Button>
          </Group>
        </form>
      )}
    </Section>
  );
}

/** Move the status: only the moves allowed from here; closing asks how it ended. */
function StatusMoves({ r, reload }: { r: IncidentReport; reload: () => void }) {
  const { t } = useTranslation();
  const l = useIncidentLabels();
  const [to, setTo] = useState<IncidentStatus | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const { busy, error, act } = useAct(reload);
  const next = INCIDENT_TRANSITIONS[r.status];
  const move = (e: FormEvent) => {
    e.preventDefault();
    if (!to || (to === 'closed' && !outcome)) return;
    void act(() => api.post(`/api/v1/incidents/${r.id}/status`, { status: to, ...(to === 'closed' ? { outcome } : {}), ...(note.trim() ? { note: note.trim() } : {}) })).then((ok) => {
      if (ok) {
        setTo(null);
        setOutcome(null);
        setNote('');
      }
    });
  };
  return (
    <Section title={t('incidents.view.status.title')} help={t('incidents.view.status.current', { status: l.status(r.status) })} testId="incident-status-moves">
      <form onSubmit={move}>
        <Stack gap="sm" maw={640}>
          <Select
            label={t('incidents.view.status.moveTo')}
            data={next.map((s) => ({ value: s, label: l.status(s) }))}
            value={to}
            onChange={(v) => setTo(v as IncidentStatus | null)}
            data-testid="incident-status-to"
          />
          {to === 'closed' && (
            <Select
              label={t('incidents.view.status.outcome')}
              description={t('incidents.view.status.outcomeHelp')}
              data={INCIDENT_OUTCOMES.map((o) => ({ value: o, label: l.outcome(o) }))}
              value={outcome}
              onChange={setOutcome}
              required
              data-testid="incident-outcome"
            />
          )}
          <TextInput label={t('incidents.view.status.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={LIMITS.note} />
          <ErrorAlert error={error} />
          <Group>
            <Button type="submit" loading={busy} disabled={!to || (to === 'closed' && !outcome)} data-testid="incident-status-send">
              {to ? t('incidents.view.status.to', { status: l.status(to) }) : t('incidents.view.status.moveTo')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

/** Give the handling to another organisation. */
function Handover({ r, reload }: { r: IncidentReport; reload: () => void }) {
  const { t } = useTranslation();
  const [org, setOrg] = useState<string | null>(null);
  const { busy, error, act } = useAct(reload);
  const send = (e: FormEvent) => {
    e.preventDefault();
    if (org) void act(() => api.post(`/api/v1/incidents/${r.id}/handover`, { organisationId: org })).then((ok) => ok && setOrg(null));
  };
  return (
    <Section title={t('incidents.view.handover.title')} help={t('incidents.view.handover.help')} testId="incident-handover">
      <form onSubmit={send}>
        <Stack gap="sm" maw={640}>
          <OrganisationSelect label={t('incidents.view.handover.organisation')} value={org} onChange={setOrg} clearable />
          <ErrorAlert error={error} />
          <Group>
            <Button type="submit" variant="default" loading={busy} disabled={!org || org === r.ownerOrg.id}>
              {t('incidents.view.handover.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

/** A narrative update with its own marking, no wider than the report's (the server refuses a wider one). */
function UpdateForm({ r, reload }: { r: IncidentReport; reload: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [text, setText] = useState('');
  const [language, setLanguage] = useState<string>(labels.lang);
  // The owner organisation is always in the audience (the server adds it): the picker names the others.
  const [marking, setMarking] = useState<Marking>(() => ({ tlp: r.marking.tlp, pap: r.marking.pap, audience: withoutOrganisation(r.marking.audience, r.ownerOrg.id) }));
  const { busy, error, act } = useAct(reload);
  const send = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    void act(() => api.post(`/api/v1/incidents/${r.id}/updates`, { text: text.trim(), language, marking: { tlp: marking.tlp, pap: marking.pap, audience: marking.audience } })).then((ok) => ok && setText(''));
  };
  return (
    <Section title={t('incidents.view.update.title')} testId="incident-update">
      <form onSubmit={send}>
        <Stack gap="sm" maw={720}>
          <Textarea label={t('incidents.view.update.text')} value={text} onChange={(e) => setText(e.currentTarget.value)} maxLength={LIMITS.text} autosize minRows={3} lang={language} data-testid="incident-update-text" />
          <Select label={t('incidents.view.update.language')} data={UI_LANGUAGES.map((x) => ({ value: x, label: labels.language(x) }))} value={language} onChange={(v) => v && setLanguage(v)} allowDeselect={false} w={260} maw="100%" />
          <Paper withBorder p="sm">
            <Text fw={600} size="sm">
              {t('incidents.view.update.marking')}
            </Text>
            <Text size="sm" c="dimmed" mb="xs">
              {t('incidents.view.update.markingHelp')}
            </Text>
            <MarkingFields value={marking} onChange={setMarking} />
          </Paper>
          <ErrorAlert error={error} />
          <Group>
            <Button type="submit" loading={busy} disabled={!text.trim()} data-testid="incident-update-send">
              {t('incidents.view.update.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

/** Linked intelligence (only what the reader may see), each to its page; linking and unlinking for those who may. */
function Links({ r, reload }: { r: IncidentReport; reload: () => void }) {
  const { t } = useTranslation();
  const [stixId, setStixId] = useState('');
  const [relationship, setRelationship] = useState<string>('related-to');
  const { busy, error, act } = useAct(reload);
  const relationshipWord = (x: string) => t(`incidents.view.links.relationships.${x}`, { defaultValue: x });
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (stixId.trim()) void act(() => api.post(`/api/v1/incidents/${r.id}/links`, { stixId: stixId.trim(), relationship })).then((ok) => ok && setStixId(''));
  };
  return (
    <Section title={t('incidents.view.links.title')} help={t('incidents.view.links.help')} testId="incident-links">
      {r.links.length === 0 ? (
        <Text size="sm">{t('incidents.view.links.none')}</Text>
      ) : (
        <List spacing={4}>
          {r.links.map((x) => (
            <List.Item key={x.stixId}>
              <Group gap="xs" wrap="wrap">
                <Text size="sm" c="dimmed">
                  {relationshipWord(x.relationship)} · {x.type}
                </Text>
                <AppLink to="/intel/objects/$id" params={{ id: x.stixId }}>
                  {x.name || x.stixId}
                </AppLink>
                {r.can.link && (
                  <Button size="compact-xs" variant="subtle" color="red.9" aria-label={t('incidents.view.links.removeLabel', { name: x.name || x.stixId })} loading={busy} onClick={() => void act(() => api.del(`/api/v1/incidents/${r.id}/links/${encodeURIComponent(x.stixId)}`))}>
                    {t('incidents.view.links.remove')}
                  </Button>
                )}
              </Group>
            </List.Item>
          ))}
        </List>
      )}
      {r.can.link && (
        <form onSubmit={add}>
          <Group align="flex-end" mt="sm" wrap="wrap">
            <TextInput label={t('incidents.view.links.stixId')} description={t('incidents.view.links.stixIdHelp')} value={stixId} onChange={(e) => setStixId(e.currentTarget.value)} w={420} maw="100%" data-testid="incident-link-stix" />
            <Select label={t('incidents.view.links.relationship')} data={INCIDENT_LINK_RELATIONSHIPS.map((x) => ({ value: x, label: relationshipWord(x) }))} value={relationship} onChange={(v) => v && setRelationship(v)} allowDeselect={false} w={200} />
            <Button type="submit" variant="default" loading={busy} disabled={!stixId.trim()}>
              {t('incidents.view.links.add')}
            </Button>
          </Group>
        </form>
      )}
      <ErrorAlert error={error} />
    </Section>
  );
}

/** What one timeline entry did, in words (the detail says more when it carries what moved). */
function useEntryTitle() {
  const { t } = useTranslation();
  const l = useIncidentLabels();
  return (e: IncidentEntry) => {
    const d = e.detail;
    const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null);
    if (e.action === 'status' && str('to')) return t('incidents.view.timeline.actions.statusTo', { status: l.status(str('to')!) });
    if (e.action === 'report' && str('kind')) return t(d.requested === true ? 'incidents.view.timeline.actions.reportRequested' : 'incidents.view.timeline.actions.reportKind', { kind: l.report(str('kind')!) });
    const org = d.to && typeof d.to === 'object' && typeof (d.to as { name?: unknown }).name === 'string' ? (d.to as { name: string }).name : str('toName');
    if (e.action === 'handover' && org) return t('incidents.view.timeline.actions.handoverTo', { organisation: org });
    return t(`incidents.view.timeline.actions.${e.action}`, { defaultValue: e.action });
  };
}

function IncidentTimeline({ entries }: { entries: IncidentEntry[] }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const l = useIncidentLabels();
  const title = useEntryTitle();
  if (!entries.length) return <Text size="sm">{t('incidents.view.timeline.none')}</Text>;
  return (
    <Timeline active={entries.length - 1} bulletSize={16} lineWidth={2} data-testid="incident-timeline">
      {entries.map((e) => (
        <Timeline.Item key={e.id} title={title(e)} data-testid="incident-entry" data-action={e.action}>
          <Group gap="xs" wrap="wrap">
            <Text size="xs" c="dimmed">
              <time dateTime={e.at}>{labels.dateTime(e.at)}</time> · {e.by.person ? t('incidents.view.timeline.by', { person: e.by.person.name, organisation: e.by.org.name }) : e.by.org.name}
            </Text>
            <TlpBadge tlp={e.tlp} size="sm" />
          </Group>
          {e.action === 'status' && typeof e.detail.outcome === 'string' && <Text size="sm">{l.outcome(e.detail.outcome)}</Text>}
          {e.text && (
            <Text size="sm" lang={e.language ?? undefined} style={{ whiteSpace: 'pre-line' }}>
              {e.text}
            </Text>
          )}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

/** One incident report: its facts and text, the clocks, the moves its handlers may make, linked intel and the timeline. */
export function IncidentView() {
  const { t } = useTranslation();
  const labels = useLabels();
  const l = useIncidentLabels();
  const { id } = useParams({ strict: false }) as { id: string };
  // A language picked among the report's versions; otherwise the reader's.
  const [lang, setLang] = useState<string | null>(null);
  const [translating, setTranslating] = useState(false);
  const res = useApi<IncidentReport>(`/api/v1/incidents/${encodeURIComponent(id)}${qs({ lang: lang ?? labels.lang })}`);
  const r = res.data;
  useReportEvents(r?.id ?? null, res.reload);
  if (res.loading && !r) return <Loading />;
  if (!r)
    return (
      <Page title={t('incidents.view.notFoundTitle')}>
        {res.error && res.error.status !== 404 ? <ErrorAlert error={res.error} /> : <Alert color="gray">{t('incidents.view.notFound')}</Alert>}
        <AppLink to="/incidents">{t('incidents.view.back')}</AppLink>
      </Page>
    );
  const reload = res.reload;
  const yesNo = (b: boolean) => (b ? t('incidents.view.yes') : t('incidents.view.no'));
  return (
    <Page
      title={r.title}
      titleLang={r.lang}
      actions={
        <Group gap="xs">
          {r.can.edit && (
            <ButtonLink to="/incidents/$id/edit" params={{ id: r.id }} variant="default" data-testid="incident-edit">
              {t('incidents.view.edit')}
            </ButtonLink>
          )}
          {r.can.edit && !translating && (
            <Button variant="default" onClick={() => setTranslating(true)}>
              {t('translation.translate')}
            </Button>
          )}
          <Button component="a" href={`/api/v1/incidents/${encodeURIComponent(r.id)}/stix`} download={`${r.stixId}.json`} variant="default" data-testid="incident-stix">
            {t('incidents.view.stix')}
          </Button>
        </Group>
      }
    >
      {r.exercise && <ExerciseBanner />}
      <AppLink to="/incidents">{t('incidents.view.back')}</AppLink>
      <Group gap="xs" wrap="wrap">
        {r.exercise && <ExerciseTag />}
        <SeverityBadge severity={r.impactSeverity} />
        <IncidentStatusBadge status={r.status} />
        <TlpBadge tlp={r.marking.tlp} />
        <PapBadge pap={r.marking.pap} />
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs">
        <Stack gap={4}>
          <Fact label={t('incidents.view.facts.class')}>{l.rsitClass(r.rsitClass)}</Fact>
          <Fact label={t('incidents.view.facts.severity')}>{l.severity(r.impactSeverity)}</Fact>
          {r.impactOutlook && <Fact label={t('incidents.view.facts.outlook')}>{l.outlook(r.impactOutlook)}</Fact>}
          {r.rootCause && <Fact label={t('incidents.view.facts.rootCause')}>{l.rootCause(r.rootCause)}</Fact>}
          {r.threatSeverity && <Fact label={t('incidents.view.facts.threat')}>{l.threat(r.threatSeverity)}</Fact>}
          <Fact label={t('incidents.view.facts.sectors')}>{r.sectors.map(l.sector).join(', ') || t('incidents.view.notKnown')}</Fact>
          {r.subsectors.length > 0 && <Fact label={t('incidents.view.facts.subsectors')}>{r.subsectors.map(l.subsector).join(', ')}</Fact>}
          <Fact label={t('incidents.view.facts.countries')}>{r.countries.map(labels.country).join(', ') || t('incidents.view.notKnown')}</Fact>
          <Fact label={t('incidents.view.facts.crossBorder')}>{yesNo(r.crossBorder)}</Fact>
          <Fact label={t('incidents.view.facts.usersAffected')}>{r.usersAffected === null ? t('incidents.view.notKnown') : new Intl.NumberFormat(labels.lang).format(r.usersAffected)}</Fact>
        </Stack>
        <Stack gap={4}>
          <Fact label={t('incidents.view.facts.aware')}>
            <time dateTime={r.awareAt}>{labels.dateTime(r.awareAt)}</time>
          </Fact>
          <Fact label={t('incidents.view.facts.started')}>{r.startedAt ? <time dateTime={r.startedAt}>{labels.dateTime(r.startedAt)}</time> : t('incidents.view.notKnown')}</Fact>
          {r.endedAt && (
            <Fact label={t('incidents.view.facts.ended')}>
              <time dateTime={r.endedAt}>{labels.dateTime(r.endedAt)}</time>
            </Fact>
          )}
          {r.closedAt && (
            <Fact label={t('incidents.view.facts.closed')}>
              <time dateTime={r.closedAt}>{labels.dateTime(r.closedAt)}</time>
            </Fact>
          )}
          {r.outcome && <Fact label={t('incidents.view.facts.outcome')}>{l.outcome(r.outcome)}</Fact>}
          <Fact label={t('incidents.view.facts.owner')}>
            <AppLink to="/organisations/$organisationId" params={{ organisationId: r.ownerOrg.id }}>
              {r.ownerOrg.name}
            </AppLink>
          </Fact>
          {r.author.org.id !== r.ownerOrg.id && (
            <Fact label={t('incidents.view.facts.reporter')}>
              <AppLink to="/organisations/$organisationId" params={{ organisationId: r.author.org.id }}>
                {r.author.org.name}
              </AppLink>
            </Fact>
          )}
          <Fact label={t('incidents.view.facts.language')}>{labels.language(r.translation.source)}</Fact>
        </Stack>
      </SimpleGrid>
      <TranslationNotice info={r.translation} onPick={setLang} />
      {translating && (
        <TranslationEditor
          info={r.translation}
          fields={[
            { name: 'title', label: t('incidents.form.title') },
            { name: 'description', label: t('incidents.form.description'), multiline: true },
          ]}
          load={async (l) => {
            const v = await api.get<IncidentReport>(`/api/v1/incidents/${r.id}${qs({ lang: l })}`);
            return v.translation.shown === l ? { title: v.title, description: v.description } : null;
          }}
          save={async (l, values, machine) => {
            res.setData(await api.put<IncidentReport>(`/api/v1/incidents/${r.id}/translations/${l}`, { title: values.title ?? '', description: values.description ?? '', machine }));
            setLang(l);
          }}
          remove={async (l) => {
            await api.del(`/api/v1/incidents/${r.id}/translations/${l}`);
            setLang(null);
            res.reload();
          }}
          onDone={() => setTranslating(false)}
        />
      )}
      {r.description && (
        <Text lang={r.lang} style={{ whiteSpace: 'pre-line' }} data-testid="incident-description">
          {r.description}
        </Text>
      )}
      <Clocks r={r} reload={reload} />
      {r.can.move && <StatusMoves r={r} reload={reload} />}
      {r.can.edit && <UpdateForm r={r} reload={reload} />}
      <Links r={r} reload={reload} />
      {r.can.handover && <Handover r={r} reload={reload} />}
      <Section title={t('incidents.view.timeline.title')} testId="incident-timeline-section">
        <IncidentTimeline entries={r.timeline} />
      </Section>
    </Page>
  );
}
