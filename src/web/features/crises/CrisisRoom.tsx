import { Button, Card, Group, List, MultiSelect, NumberInput, Radio, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Tlp } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { OrganisationSelect } from '../../components/OrganisationSelect';
import { Loading, Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { TlpBadge } from '../../components/TlpBadge';
import { TlpChoice } from '../../components/TlpChoice';
import { fromZonedInput } from '../../components/time';
import { useDebounced } from '../../components/useDebounced';
import { useSession } from '../../session';
import { CRISIS_LEVELS, CRISIS_ROLES, NIS2_IMPACT_SEVERITIES, NIS2_OUTLOOKS, NIS2_ROOT_CAUSES, NIS2_SECTORS } from '#shared/incidents';
import { CRISIS_LIMITS } from '#shared/crises';
import type { Candidate, CrisisRoom as Room } from './api';
import { AlertsPanel, ExerciseBadge, LevelBadge, NextSitrep } from './Crises';
import { useRoomEvents } from './live';

const LANGS = ['en', 'es', 'pt', 'fr'];
const SEVERITY_COLOR: Record<string, string> = { red: 'red', yellow: 'yellow', green: 'green', white: 'gray' };

/** A section of the room, with its heading (a landmark for screen readers). */
function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-labelledby={`room-${id}`}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={`room-${id}`}>
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

/** Send one change of the room; the room comes back whole. */
function useRoomAction(onDone: (room: Room) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (path: string, body?: unknown) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await api.post<Room>(path, body ?? {}));
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** A crisis room: level, scope, roster with keys, sitreps, decisions, actions, assistance, timeline, alerts; in an exercise, its injects and evaluation. */
export function CrisisRoomPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { id } = useParams({ strict: false }) as { id: string };
  const room = useApi<Room>(`/api/v1/crises/${id}?lang=${labels.lang}`);
  useRoomEvents(id, room.reload);
  const c = room.data;
  if (!c) return <Page title={t('crises.room.title')}>{room.error ? <ErrorAlert error={room.error} /> : <Loading />}</Page>;
  const update = (r: Room) => room.setData(r);
  return (
    <Page title={`${c.exercise ? `${t('crises.exercise')} — ` : ''}${c.title}`} titleLang={c.lang}>
      <Group gap="xs" wrap="wrap">
        {c.exercise && <ExerciseBadge />}
        <LevelBadge level={c.level} />
        <StatusBadge color={c.status === 'open' ? 'green' : 'gray'}>{t(`crises.status.${c.status}`)}</StatusBadge>
        <TlpBadge tlp={c.tlp} size="sm" />
        {c.myRole && <Text size="sm">{t('crises.room.yourRole', { role: t(`crises.roles.${c.myRole}`) })}</Text>}
      </Group>
      {c.exercise && <Text fw={700}>{t('crises.room.exerciseNotice')}</Text>}
      {c.description && (
        <Text lang={c.lang} style={{ whiteSpace: 'pre-wrap' }}>
          {c.description}
        </Text>
      )}
      <Text size="sm">
        {t('crises.room.scope', { countries: c.countries.map((x) => labels.country(x)).join(', ') || '—', sectors: c.sectors.map((s) => labels.sector(s)).join(', ') || '—' })}
      </Text>
      <Group gap="xs" aria-label={t('crises.room.exports.label')} role="group">
        <Button component="a" variant="default" size="compact-sm" href={`/api/v1/crises/${c.id}/report.pdf?lang=${labels.lang}`} download>
          {c.exercise ? t('crises.room.exports.pdfExercise') : t('crises.room.exports.pdf')}
        </Button>
        <Button component="a" variant="default" size="compact-sm" href={`/api/v1/crises/${c.id}/sitreps.csv?lang=${labels.lang}`} download>
          {t('crises.room.exports.csv')}
        </Button>
      </Group>
      <Group gap="xs">
        <Text size="sm">{t('crises.room.nextSitrep')}</Text>
        {c.nextSitrep ? <NextSitrep due={c.nextSitrep} /> : <Text size="sm">{t('crises.room.noCadence')}</Text>}
      </Group>
      <AlertsPanel crisisId={c.id} onAck={room.reload} />
      {c.can.manage && <LevelForm room={c} onDone={update} />}
      <Roster room={c} onDone={update} />
      <Sitreps room={c} onDone={update} />
      <Decisions room={c} onDone={update} />
      <Actions room={c} onDone={update} />
      <Assistance room={c} onDone={update} />
      {c.exercise && <ExerciseControl room={c} onDone={update} />}
      <Acknowledgements room={c} />
      <Timeline room={c} />
      <Closing room={c} onDone={update} />
    </Page>
  );
}

function LevelForm({ room, onDone }: { room: Room; onDone: (r: Room) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [level, setLevel] = useState<string>(room.level);
  const [note, setNote] = useState('');
  const a = useRoomAction(onDone);
  return (
    <Section id="level" title={t('crises.room.level.title')}>
      <Text size="sm">{t('crises.room.level.help')}</Text>
      <ErrorAlert error={a.error} />
      <Group align="flex-end" wrap="wrap">
        <Select label={t('crises.room.level.new')} data={CRISIS_LEVELS.map((l) => ({ value: l, label: t(`crises.levels.${l}`) }))} value={level} onChange={(v) => setLevel(v ?? room.level)} allowDeselect={false} w={200} />
        <TextInput label={t('crises.room.level.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={CRISIS_LIMITS.note} w={320} />
        <Button loading={a.busy} disabled={level === room.level} onClick={() => void a.run(`/api/v1/crises/${room.id}/level`, { level, note }).then((ok) => ok && setNote(''))}>
          {t('crises.room.level.submit')}
        </Button>
      </Group>
      <List size="sm">
        {room.levels.map((l) => (
          <List.Item key={l.at}>{t('crises.room.level.entry', { level: t(`crises.levels.${l.level}`), at: labels.dateTime(l.at), by: l.by ?? '—' }) + (l.note ? ` — ${l.note}` : '')}</List.Item>
        ))}
      </List>
    </Section>
  );
}

function Roster({ room, onDone }: { room: Room; onDone: (r: Room) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const a = useRoomAction(onDone);
  const [org, setOrg] = useState<string | null>(null);
  const [person, setPerson] = useState<string | null>(null);
  const [role, setRole] = useState<string>('member');
  const [q, setQ] = useState('');
  const dq = useDebounced(q, 250);
  const candidates = useApi<{ items: Candidate[] }>(room.can.manage ? `/api/v1/crises/${room.id}/candidates?q=${encodeURIComponent(dq)}` : null);
  const options = (candidates.data?.items ?? []).map((x) => ({ value: x.id, label: `${x.name} — ${x.organisation.name} (${labels.country(x.organisation.country)})` }));
  return (
    <Section id="roster" title={t('crises.room.roster.title')}>
      <ErrorAlert error={a.error} />
      <DataTable
        caption={t('crises.room.roster.caption', { count: room.roster.length })}
        columns={[t('crises.room.roster.person'), t('crises.room.roster.organisation'), t('crises.room.roster.role'), t('crises.room.roster.why'), t('crises.room.roster.key')]}
        rows={room.roster}
        minWidth={720}
      >
        {(m) => (
          <Table.Tr key={m.person.id} data-testid="roster-row">
            <Table.Td>{m.person.name}</Table.Td>
            <Table.Td>
              {m.organisation.name} ({labels.country(m.organisation.country)})
            </Table.Td>
            <Table.Td>
              {room.can.manage ? (
                <Select
                  aria-label={t('crises.room.roster.roleOf', { name: m.person.name })}
                  data={CRISIS_ROLES.map((r) => ({ value: r, label: t(`crises.roles.${r}`) }))}
                  value={m.role}
                  onChange={(v) => v && v !== m.role && void a.run(`/api/v1/crises/${room.id}/members`, { personId: m.person.id, role: v })}
                  allowDeselect={false}
                  w={170}
                />
              ) : (
                t(`crises.roles.${m.role}`)
              )}
            </Table.Td>
            <Table.Td>{t(`crises.room.roster.sources.${m.source}`)}</Table.Td>
            <Table.Td>
              {m.key ? (
                <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {m.key.fingerprint}
                </Text>
              ) : (
                t('crises.room.roster.noKey')
              )}
            </Table.Td>
          </Table.Tr>
        )}
      </DataTable>
      {room.organisations.length > 0 && <Text size="sm">{t('crises.room.roster.invited', { names: room.organisations.map((o) => o.name).join(', ') })}</Text>}
      {room.can.manage && (
        <Group align="flex-end">
          <OrganisationSelect label={t('crises.room.roster.invite')} value={org} onChange={setOrg} searchable clearable w={360} />
          <Button variant="default" loading={a.busy} disabled={!org} onClick={() => void a.run(`/api/v1/crises/${room.id}/members`, { organisationId: org }).then((ok) => ok && setOrg(null))}>
            {t('crises.room.roster.inviteSubmit')}
          </Button>
        </Group>
      )}
      {room.can.manage && (
        <Group align="flex-end" wrap="wrap">
          <Select
            label={t('crises.room.roster.addPerson')}
            description={t('crises.room.roster.addPersonHelp')}
            placeholder={t('crises.room.roster.searchPerson')}
            data={options}
            value={person}
            onChange={setPerson}
            searchable
            searchValue={q}
            onSearchChange={setQ}
            filter={({ options: o }) => o}
            nothingFoundMessage={candidates.loading ? t('crises.room.roster.searching') : t('crises.room.roster.noCandidates')}
            clearable
            w={360}
          />
          <Select label={t('crises.room.roster.role')} data={CRISIS_ROLES.map((r) => ({ value: r, label: t(`crises.roles.${r}`) }))} value={role} onChange={(v) => setRole(v ?? 'member')} allowDeselect={false} w={170} />
          <Button
            variant="default"
            loading={a.busy}
            disabled={!person}
            onClick={() =>
              void a.run(`/api/v1/crises/${room.id}/members`, { personId: person, role }).then((ok) => {
                if (!ok) return;
                setPerson(null);
                setQ('');
                candidates.reload();
              })
            }
          >
            {t('crises.room.roster.addPersonSubmit')}
          </Button>
        </Group>
      )}
    </Section>
  );
}

/** The marking of what is written in the room: AMBER to the room unless narrowed to organisations or named people. */
function RoomMarking({ room, tlp, setTlp, people, setPeople, orgs, setOrgs }: { room: Room; tlp: Tlp; setTlp: (t: Tlp) => void; people: string[]; setPeople: (p: string[]) => void; orgs: string[]; setOrgs: (o: string[]) => void }) {
  const { t } = useTranslation();
  const roomOrgs = [...new Map([...room.roster.map((m) => [m.organisation.id, m.organisation.name] as const), ...room.organisations.map((o) => [o.id, o.name] as const)]).entries()];
  return (
    <>
      <TlpChoice levels={['AMBER', 'AMBER+STRICT', 'RED']} value={tlp} onChange={setTlp} label={t('crises.room.marking.label')} description={t('crises.room.marking.help')} />
      {tlp === 'RED' && (
        <MultiSelect label={t('crises.room.marking.people')} data={room.roster.map((m) => ({ value: m.person.id, label: `${m.person.name} (${m.organisation.name})` }))} value={people} onChange={setPeople} required searchable />
      )}
      {tlp === 'AMBER+STRICT' && <MultiSelect label={t('crises.room.marking.organisations')} data={roomOrgs.map(([value, label]) => ({ value, label }))} value={orgs} onChange={setOrgs} required searchable />}
    </>
  );
}

const markingBody = (tlp: Tlp, people: string[], orgs: string[]) => ({ tlp, audience: tlp === 'RED' ? { people } : tlp === 'AMBER+STRICT' ? { organisations: orgs } : {} });

function Sitreps({ room, onDone }: { room: Room; onDone: (r: Room) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [open, setOpen] = useState(false);
  return (
    <Section id="sitreps" title={t('crises.sitreps.title')}>
      {room.sitreps.length === 0 && <Text>{t('crises.sitreps.none')}</Text>}
      <Stack gap="sm" component="ol" className="plain-list">
        {[...room.sitreps].reverse().map((s) => (
          <Card component="li" withBorder key={s.id} data-testid="sitrep">
            <Group gap="xs" wrap="wrap">
              <Title order={3} size="h5">
                {room.exercise && `${t('crises.exercise')} — `}
                {t('crises.sitreps.number', { number: s.number })}
              </Title>
              <StatusBadge color={SEVERITY_COLOR[s.impactSeverity] ?? 'gray'}>{t('crises.sitreps.impact', { value: t(`crises.nis2.impact.${s.impactSeverity}`) })}</StatusBadge>
              <StatusBadge>{t('crises.sitreps.outlook', { value: t(`crises.nis2.outlook.${s.outlook}`) })}</StatusBadge>
              <TlpBadge tlp={s.tlp} size="sm" />
            </Group>
            <Text size="xs">
              {s.author.name} ({s.author.organisation}) · {labels.dateTime(s.createdAt)} · {labels.language(s.translation.shown)}
              {s.translation.versions.length > 1 && ` · ${t('crises.sitreps.languages', { list: s.translation.versions.filter((v) => v.language !== s.translation.shown).map((v) => labels.language(v.language)).join(', ') })}`}
            </Text>
            <div lang={s.translation.shown}>
              <Text fw={600} mt="xs">
                {s.summary}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 3 }} mt="xs">
                <Part title={t('crises.sitreps.conditions')} text={s.conditions} />
                <Part title={t('crises.sitreps.actions')} text={s.actions} />
                <Part title={t('crises.sitreps.needs')} text={s.needs} />
              </SimpleGrid>
            </div>
            {(s.sectors.length > 0 || s.rootCause) && (
              <Text size="xs" mt="xs">
                {s.sectors.map((x) => labels.sector(x)).join(', ')}
                {s.rootCause && ` · ${t('crises.sitreps.rootCause', { value: t(`crises.nis2.rootCause.${s.rootCause}`) })}`}
              </Text>
            )}
          </Card>
        ))}
      </Stack>
      {room.can.sitrep &&
        (open ? (
          <SitrepForm room={room} onDone={(r) => (onDone(r), setOpen(false))} />
        ) : (
          <Group>
            <Button onClick={() => setOpen(true)} data-testid="write-sitrep">
              {t('crises.sitreps.write')}
            </Button>
          </Group>
        ))}
    </Section>
  );
}

function Part({ title, text }: { title: string; text: string }) {
  return (
    <div>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {text || '—'}
      </Text>
    </div>
  );
}

function SitrepForm({ room, onDone }: { room: Room; onDone: (r: Room) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [impact, setImpact] = useState<string>('yellow');
  const [outlook, setOutlook] = useState<string>('stable');
  const [sectors, setSectors] = useState<string[]>(room.sectors);
  const [rootCause, setRootCause] = useState<string | null>(null);
  const [f, setF] = useState({ conditions: '', actions: '', needs: '', summary: '' });
  const [language, setLanguage] = useState<string>(labels.lang);
  const [tlp, setTlp] = useState<Tlp>('AMBER');
  const [people, setPeople] = useState<string[]>([]);
  const [orgs, setOrgs] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/crises/${room.id}/sitreps`, { impactSeverity: impact, outlook, sectors, rootCause, ...f, language, ...markingBody(tlp, people, orgs) });
      onDone(await api.get<Room>(`/api/v1/crises/${room.id}?lang=${labels.lang}`));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const text = (k: keyof typeof f, required = false) => (
    <Textarea label={t(`crises.sitreps.${k}`)} description={t(`crises.sitreps.help.${k}`)} value={f[k]} onChange={(e) => setF({ ...f, [k]: e.currentTarget.value })} autosize minRows={2} maxLength={CRISIS_LIMITS.part} required={required} />
  );
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('crises.sitreps.form')}>
      <Stack maw={720}>
        <ErrorAlert error={error} />
        <Group wrap="wrap" align="flex-start">
          <Select label={t('crises.sitreps.impactLabel')} data={NIS2_IMPACT_SEVERITIES.map((v) => ({ value: v, label: t(`crises.nis2.impact.${v}`) }))} value={impact} onChange={(v) => setImpact(v ?? 'yellow')} allowDeselect={false} w={220} />
          <Select label={t('crises.sitreps.outlookLabel')} description={t('crises.sitreps.outlookHelp')} data={NIS2_OUTLOOKS.map((v) => ({ value: v, label: t(`crises.nis2.outlook.${v}`) }))} value={outlook} onChange={(v) => setOutlook(v ?? 'stable')} allowDeselect={false} w={220} />
          <Select label={t('crises.sitreps.rootCauseLabel')} data={NIS2_ROOT_CAUSES.map((v) => ({ value: v, label: t(`crises.nis2.rootCause.${v}`) }))} value={rootCause} onChange={setRootCause} clearable w={240} />
        </Group>
        <MultiSelect label={t('crises.declare.sectors')} data={NIS2_SECTORS.map((s) => ({ value: s, label: labels.sector(s) }))} value={sectors} onChange={setSectors} searchable />
        {text('summary', true)}
        {text('conditions')}
        {text('actions')}
        {text('needs')}
        <Select label={t('crises.declare.language')} data={LANGS.map((l) => ({ value: l, label: labels.language(l) }))} value={language} onChange={(v) => setLanguage(v ?? 'en')} allowDeselect={false} w={220} />
        <RoomMarking room={room} tlp={tlp} setTlp={setTlp} people={people} setPeople={setPeople} orgs={orgs} setOrgs={setOrgs} />
        <Group>
          <Button type="submit" loading={busy} disabled={!f.summary.trim()}>
            {t('crises.sitreps.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Decisions({ room, onDone }: { room: Room; onDone: (r: Room) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [text, setText] = useState('');
  const a = useRoomAction(onDone);
  return (
    <Section id="decisions" title={t('crises.decisions.title')}>
      {room.decisions.length === 0 ? (
        <Text>{t('crises.decisions.none')}</Text>
      ) : (
        <List>
          {room.decisions.map((d) => (
            <List.Item key={d.id}>
              <Text size="sm">
                {d.text} <Text span size="xs">({labels.dateTime(d.at)} · {d.by})</Text>
              </Text>
            </List.Item>
          ))}
        </List>
      )}
      {room.can.log && (
        <Stack gap="xs" maw={640}>
          <ErrorAlert error={a.error} />
          <Textarea label={t('crises.decisions.new')} value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={2} maxLength={CRISIS_LIMITS.decision} />
          <Group>
            <Button loading={a.busy} disabled={!text.trim()} onClick={() => void a.run(`/api/v1/crises/${room.id}/decisions`, { text }).then((ok) => ok && setText(''))}>
              {t('crises.decisions.submit')}
            </Button>
          </Group>
        </Stack>
      )}
    </Section>
  );
}

function Actions({ room, onDone }: { room: Room; onDone: (r: Room) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [text, setText] = useState('');
  const [owner, setOwner] = useState<string | null>(null);
  const [due, setDue] = useState('');
  const a = useRoomAction(onDone);
  const add = () => {
    const at = due ? fromZonedInput(due, labels.timeZone) : null;
    void a.run(`/api/v1/crises/${room.id}/actions`, { text, ...(owner ? { ownerPersonId: owner } : {}), ...(at ? { dueAt: at.toISOString() } : {}) }).then((ok) => ok && (setText(''), setOwner(null), setDue('')));
  };
  return (
    <Section id="actions" title={t('crises.actions.title')}>
      <ErrorAlert error={a.error} />
      <DataTable
        caption={t('crises.actions.caption', { count: room.actions.length })}
        columns={[t('crises.actions.text'), t('crises.actions.owner'), t('crises.actions.due'), t('crises.actions.status')]}
        rows={room.actions}
        empty={t('crises.actions.none')}
      >
        {(x) => (
          <Table.Tr key={x.id}>
            <Table.Td>{x.text}</Table.Td>
            <Table.Td>{x.owner?.name ?? '—'}</Table.Td>
            <Table.Td>
              {x.dueAt ? labels.dateTime(x.dueAt) : '—'} {x.overdue && <StatusBadge color="red">{t('crises.actions.overdue')}</StatusBadge>}
            </Table.Td>
            <Table.Td>
              <Group gap="xs">
                <Text size="sm">{t(`crises.actions.statuses.${x.status}`)}</Text>
                {room.status === 'open' && x.status === 'open' && (
                  <Button size="compact-xs" variant="default" onClick={() => void a.run(`/api/v1/crises/${room.id}/actions/${x.id}`, { status: 'done' })} aria-label={t('crises.actions.doneLabel', { text: x.text })}>
                    {t('crises.actions.done')}
                  </Button>
                )}
              </Group>
            </Table.Td>
          </Table.Tr>
        )}
      </DataTable>
      {room.can.log && (
        <Group align="flex-end" wrap="wrap">
          <TextInput label={t('crises.actions.new')} value={text} onChange={(e) => setText(e.currentTarget.value)} maxLength={CRISIS_LIMITS.action} w={320} />
          <Select label={t('crises.actions.owner')} data={room.roster.map((m) => ({ value: m.person.id, label: m.person.name }))} value={owner} onChange={setOwner} clearable searchable w={240} />
          <TextInput type="datetime-local" label={t('crises.actions.due')} description={labels.timeZone} value={due} onChange={(e) => setDue(e.currentTarget.value)} w={240} />
          <Button loading={a.busy} disabled={!text.trim()} onClick={add}>
            {t('crises.actions.submit')}
          </Button>
        </Group>
      )}
    </Section>
  );
}

function Assistance({ room, onDone }: { room: Room; onDone: (r: Room) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const a = useRoomAction(onDone);
  return (
    <Section id="assistance" title={t('crises.assistance.title')}>
      <Text size="sm">{t('crises.assistance.help')}</Text>
      {room.assistance.length > 0 && (
        <List>
          {room.assistance.map((x) => (
            <List.Item key={x.requestId}>
              <AppLink to="/requests/$id" params={{ id: x.requestId }}>
                {x.title}
              </AppLink>{' '}
              ({labels.dateTime(x.at)})
            </List.Item>
          ))}
        </List>
      )}
      {room.can.assistance && (
        <Stack gap="xs" maw={640}>
          <ErrorAlert error={a.error} />
          <TextInput label={t('crises.assistance.what')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={300} />
          <Textarea label={t('crises.assistance.details')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} />
          <Group>
            <Button loading={a.busy} disabled={!title.trim()} onClick={() => void a.run(`/api/v1/crises/${room.id}/assistance`, { title, description, language: labels.lang }).then((ok) => ok && (setTitle(''), setDescription('')))}>
              {t('crises.assistance.submit')}
            </Button>
          </Group>
        </Stack>
      )}
    </Section>
  );
}

function ExerciseControl({ room, onDone }: { room: Room; onDone: (r: Room) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [at, setAt] = useState('');
  const [scores, setScores] = useState({ objectives: 3, communication: 3, coordination: 3 });
  const [strengths, setStrengths] = useState('');
  const [improvements, setImprovements] = useState('');
  const a = useRoomAction(onDone);
  const { me } = useSession();
  // One evaluation per participant: the server refuses a second one (409), the form is not offered again.
  const evaluated = room.evaluations.items.some((e) => e.by === me?.name);
  return (
    <Section id="exercise" title={t('crises.exerciseControl.title')}>
      <ErrorAlert error={a.error} />
      <Title order={3} size="h5">
        {t('crises.exerciseControl.injects')}
      </Title>
      {room.injects.length === 0 ? (
        <Text size="sm">{t('crises.exerciseControl.noInjects')}</Text>
      ) : (
        <Stack gap="xs" component="ol" className="plain-list">
          {room.injects.map((i) => (
            <Card component="li" withBorder key={i.id} data-testid="inject">
              <Group justify="space-between" wrap="wrap">
                <Text fw={600}>{i.title}</Text>
                {i.releasedAt ? (
                  <Text size="xs">{t('crises.exerciseControl.released', { at: labels.dateTime(i.releasedAt) })}</Text>
                ) : (
                  <Group gap="xs">
                    <Text size="xs">{t('crises.exerciseControl.planned', { at: labels.dateTime(i.plannedAt) })}</Text>
                    {room.can.injects && (
                      <Button size="compact-xs" onClick={() => void a.run(`/api/v1/crises/${room.id}/injects/${i.id}/release`)} aria-label={t('crises.exerciseControl.releaseLabel', { title: i.title })}>
                        {t('crises.exerciseControl.release')}
                      </Button>
                    )}
                  </Group>
                )}
              </Group>
              {i.body && (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {i.body}
                </Text>
              )}
            </Card>
          ))}
        </Stack>
      )}
      {room.can.injects && (
        <Stack gap="xs" maw={640}>
          <TextInput label={t('crises.exerciseControl.injectTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={CRISIS_LIMITS.title} />
          <Textarea label={t('crises.exerciseControl.injectBody')} value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={2} />
          <TextInput type="datetime-local" label={t('crises.exerciseControl.plannedAt')} description={labels.timeZone} value={at} onChange={(e) => setAt(e.currentTarget.value)} />
          <Group>
            <Button
              variant="default"
              loading={a.busy}
              disabled={!title.trim() || !fromZonedInput(at, labels.timeZone)}
              onClick={() => void a.run(`/api/v1/crises/${room.id}/injects`, { title, body, plannedAt: fromZonedInput(at, labels.timeZone)!.toISOString() }).then((ok) => ok && (setTitle(''), setBody(''), setAt('')))}
            >
              {t('crises.exerciseControl.addInject')}
            </Button>
          </Group>
        </Stack>
      )}
      <Title order={3} size="h5">
        {t('crises.evaluation.title')}
      </Title>
      {room.evaluations.count > 0 && (
        <Text size="sm" data-testid="evaluation-averages">
          {t('crises.evaluation.averages', { count: room.evaluations.count, objectives: room.evaluations.averages.objectives, communication: room.evaluations.averages.communication, coordination: room.evaluations.averages.coordination })}
        </Text>
      )}
      {room.evaluations.items.map((e) => (
        <Text size="sm" key={e.id}>
          {e.by}: {e.strengths} {e.improvements && `— ${e.improvements}`}
        </Text>
      ))}
      {room.can.evaluate && room.status === 'closed' && !evaluated && (
        <Stack gap="xs" maw={640}>
          <Group wrap="wrap">
            {(['objectives', 'communication', 'coordination'] as const).map((k) => (
              <NumberInput key={k} label={t(`crises.evaluation.${k}`)} min={1} max={5} value={scores[k]} onChange={(v) => setScores({ ...scores, [k]: Number(v) || 1 })} w={180} />
            ))}
          </Group>
          <Textarea label={t('crises.evaluation.strengths')} value={strengths} onChange={(e) => setStrengths(e.currentTarget.value)} autosize minRows={2} maxLength={CRISIS_LIMITS.evaluationText} />
          <Textarea label={t('crises.evaluation.improvements')} value={improvements} onChange={(e) => setImprovements(e.currentTarget.value)} autosize minRows={2} maxLength={CRISIS_LIMITS.evaluationText} />
          <Group>
            <Button loading={a.busy} onClick={() => void a.run(`/api/v1/crises/${room.id}/evaluation`, { ...scores, strengths, improvements })}>
              {t('crises.evaluation.submit')}
            </Button>
          </Group>
        </Stack>
      )}
      {room.status === 'open' && <Text size="sm">{t('crises.evaluation.afterClose')}</Text>}
    </Section>
  );
}

function Acknowledgements({ room }: { room: Room }) {
  const { t } = useTranslation();
  const labels = useLabels();
  if (!room.acknowledgements.length) return null;
  return (
    <Section id="acks" title={t('crises.acks.title')}>
      <DataTable caption={t('crises.acks.caption')} columns={[t('crises.acks.person'), t('crises.acks.kind'), t('crises.acks.sent'), t('crises.acks.acknowledged')]} rows={room.acknowledgements}>
        {(x) => (
          <Table.Tr key={x.id}>
            <Table.Td>{x.person.name}</Table.Td>
            <Table.Td>{t(`crises.alerts.kinds.${x.kind}`, { level: x.level ? t(`crises.levels.${x.level}`) : '' })}</Table.Td>
            <Table.Td>{labels.dateTime(x.at)}</Table.Td>
            <Table.Td>{x.acknowledgedAt ? labels.dateTime(x.acknowledgedAt) : <StatusBadge color="yellow">{t('crises.acks.pending')}</StatusBadge>}</Table.Td>
          </Table.Tr>
        )}
      </DataTable>
    </Section>
  );
}

function Timeline({ room }: { room: Room }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <Section id="timeline" title={t('crises.timeline.title')}>
      <Stack gap={4} component="ol" className="plain-list">
        {room.timeline.map((e, i) => (
          <Text component="li" size="sm" key={`${e.at}-${i}`}>
            {labels.dateTime(e.at)} — {t(`crises.timeline.kinds.${e.kind}`, { defaultValue: e.kind })}
            {e.kind === 'level' || e.kind === 'declared' ? `: ${t(`crises.levels.${e.text}`)}` : e.text ? `: ${e.text}` : ''}
            {e.by && ` (${e.by})`}
          </Text>
        ))}
      </Stack>
    </Section>
  );
}

function Closing({ room, onDone }: { room: Room; onDone: (r: Room) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [note, setNote] = useState('');
  const [confirm, setConfirm] = useState<'no' | 'yes'>('no');
  const a = useRoomAction(onDone);
  const aar = room.afterAction;
  if (room.status === 'open' && !room.can.manage) return null;
  return (
    <Section id="closing" title={room.status === 'open' ? t('crises.close.title') : t('crises.aar.title')}>
      <ErrorAlert error={a.error} />
      {room.status === 'open' ? (
        <Stack gap="xs" maw={640}>
          <Text size="sm">{t('crises.close.help')}</Text>
          <Textarea label={t('crises.close.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={CRISIS_LIMITS.note} autosize minRows={2} />
          <Radio.Group label={t('crises.close.confirm')} value={confirm} onChange={(v) => setConfirm(v as 'no' | 'yes')}>
            <Group mt="xs">
              <Radio value="no" label={t('crises.close.no')} />
              <Radio value="yes" label={t('crises.close.yes')} />
            </Group>
          </Radio.Group>
          <Group>
            <Button color="red" loading={a.busy} disabled={confirm !== 'yes'} onClick={() => void a.run(`/api/v1/crises/${room.id}/close`, { note })}>
              {t('crises.close.submit')}
            </Button>
          </Group>
        </Stack>
      ) : aar ? (
        <Stack gap="xs">
          {aar.exercise && <ExerciseBadge />}
          <Text size="sm">{t('crises.aar.period', { from: labels.dateTime(aar.declaredAt), to: labels.dateTime(aar.closedAt) })}</Text>
          {aar.note && <Text>{aar.note}</Text>}
          <Text size="sm">{t('crises.aar.sitreps', { count: aar.sitreps.count, worst: aar.sitreps.worstImpact ? t(`crises.nis2.impact.${aar.sitreps.worstImpact}`) : '—', languages: aar.sitreps.languages.map((l) => labels.language(l)).join(', ') || '—' })}</Text>
          <Title order={3} size="h5">
            {t('crises.decisions.title')}
          </Title>
          <List size="sm">
            {aar.decisions.map((d, i) => (
              <List.Item key={i}>{d.text}</List.Item>
            ))}
          </List>
          <Title order={3} size="h5">
            {t('crises.actions.title')}
          </Title>
          <List size="sm">
            {aar.actions.map((x, i) => (
              <List.Item key={i}>
                {x.text} — {t(`crises.actions.statuses.${x.status}`, { defaultValue: x.status })}
              </List.Item>
            ))}
          </List>
          {room.lessonId ? (
            <AppLink to="/practices/$slug" params={{ slug: room.lessonId }}>
              {t('crises.aar.lesson')}
            </AppLink>
          ) : (
            room.can.publishLesson && (
              <Stack gap={4}>
                <Text size="sm" c="dimmed">
                  {t('crises.aar.publishHelp')}
                </Text>
                <Group>
                  <Button loading={a.busy} onClick={() => void a.run(`/api/v1/crises/${room.id}/lesson`)}>
                    {t('crises.aar.publish')}
                  </Button>
                </Group>
              </Stack>
            )
          )}
        </Stack>
      ) : null}
    </Section>
  );
}
