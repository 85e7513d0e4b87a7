import { Alert, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client';
import type { Items, Organisation } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { useCountryOptions } from '../../components/CountrySelect';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { PapBadge, TlpBadge } from '../../components/TlpBadge';
import { TranslationEditor, TranslationNotice } from '../../components/Translation';
import { LIMITS, type Expert, type Mission, type MissionInput } from './api';
import { ExpertSessions } from './Sessions';
import { ConceptBadges, ExpertStatusBadge, MissionScore } from './shared';

/** Run one change of the profile, keep its answer (the profile as it now is), and say what went wrong. */
function useChange(onSaved: (e: Expert) => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (key: string, fn: () => Promise<Expert>) => {
    setBusy(key);
    setError(null);
    try {
      onSaved(await fn());
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, run };
}

/** An availability window: its dates and a note; a new one, or one being changed. */
function WindowForm({ initial, onSave, onCancel }: { initial?: { from: string; to: string; note: string }; onSave: (w: { from: string; to: string; note: string }) => Promise<boolean>; onCancel?: () => void }) {
  const { t } = useTranslation();
  const [w, setW] = useState(initial ?? { from: '', to: '', note: '' });
  const [busy, setBusy] = useState(false);
  const wrong = !!w.from && !!w.to && w.to < w.from;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!w.from || !w.to || wrong) return;
    setBusy(true);
    if ((await onSave(w)) && !initial) setW({ from: '', to: '', note: '' });
    setBusy(false);
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={initial ? t('experts.availability.change') : t('experts.availability.add')}>
      <Group align="flex-end" wrap="wrap" gap="sm">
        <TextInput type="date" label={t('experts.availability.from')} value={w.from} onChange={(e) => setW({ ...w, from: e.currentTarget.value })} required w={170} />
        <TextInput type="date" label={t('experts.availability.to')} value={w.to} onChange={(e) => setW({ ...w, to: e.currentTarget.value })} required w={170} error={wrong ? t('experts.availability.toBeforeFrom') : undefined} />
        <TextInput label={t('experts.availability.note')} value={w.note} onChange={(e) => setW({ ...w, note: e.currentTarget.value })} maxLength={LIMITS.note} w={320} maw="100%" />
        <Button type="submit" loading={busy} disabled={!w.from || !w.to || wrong}>
          {initial ? t('common.save') : t('experts.availability.add')}
        </Button>
        {onCancel && (
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        )}
      </Group>
    </form>
  );
}

/** A mission: title, place, dates, the organisation that received it. */
function MissionForm({ expert, initial, onSave, onCancel }: { expert: Expert; initial?: Mission; onSave: (m: MissionInput) => Promise<boolean>; onCancel?: () => void }) {
  const { t } = useTranslation();
  const countries = useCountryOptions();
  const orgs = useApi<Items<Organisation>>('/api/v1/organisations');
  const [m, setM] = useState<MissionInput>({
    title: initial?.title ?? '',
    country: initial?.country ?? null,
    startsOn: initial?.startsOn ?? '',
    endsOn: initial?.endsOn ?? null,
    hostOrganisationId: initial?.host?.id ?? null,
    offerId: initial?.offerId ?? null,
    requestId: initial?.requestId ?? null,
  });
  const [busy, setBusy] = useState(false);
  const wrong = !!m.endsOn && !!m.startsOn && m.endsOn < m.startsOn;
  const hosts = (orgs.data?.items ?? []).filter((o) => o.id !== expert.organisation.id).map((o) => ({ value: o.id, label: o.name }));
  if (initial?.host && !hosts.some((h) => h.value === initial.host!.id)) hosts.push({ value: initial.host.id, label: initial.host.name });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!m.title.trim() || !m.startsOn || wrong) return;
    setBusy(true);
    if ((await onSave(m)) && !initial) setM({ title: '', country: null, startsOn: '', endsOn: null, hostOrganisationId: null });
    setBusy(false);
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={initial ? t('experts.missions.change') : t('experts.missions.add')}>
      <Stack gap="sm">
        <TextInput label={t('experts.missions.missionTitle')} value={m.title} onChange={(e) => setM({ ...m, title: e.currentTarget.value })} required maxLength={LIMITS.missionTitle} />
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <Select label={t('experts.missions.country')} data={countries} value={m.country} onChange={(v) => setM({ ...m, country: v })} searchable clearable />
          <TextInput type="date" label={t('experts.missions.startsOn')} value={m.startsOn} onChange={(e) => setM({ ...m, startsOn: e.currentTarget.value })} required />
          <TextInput
            type="date"
            label={t('experts.missions.endsOn')}
            value={m.endsOn ?? ''}
            onChange={(e) => setM({ ...m, endsOn: e.currentTarget.value || null })}
            error={wrong ? t('experts.missions.endBeforeStart') : undefined}
          />
          <Select
            label={t('experts.missions.host')}
            description={t('experts.missions.hostHelp')}
            data={hosts}
            value={m.hostOrganisationId}
            onChange={(v) => setM({ ...m, hostOrganisationId: v })}
            searchable
            clearable
            disabled={!!initial?.evaluation}
            comboboxProps={{ width: 'target' }}
          />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={busy} disabled={!m.title.trim() || !m.startsOn || wrong}>
            {initial ? t('common.save') : t('experts.missions.add')}
          </Button>
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** The receiving organisation's (or the secretariat's) word on a mission. */
function EvaluationForm({ mission, onSave, onCancel }: { mission: Mission; onSave: (score: number, comment: string) => Promise<boolean>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [score, setScore] = useState<string | null>(mission.evaluation ? String(mission.evaluation.score) : null);
  const [comment, setComment] = useState(mission.evaluation?.comment ?? '');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!score) return;
    setBusy(true);
    await onSave(Number(score), comment);
    setBusy(false);
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('experts.missions.evaluateWhat', { title: mission.title })}>
      <Stack gap="xs">
        <Select
          label={t('experts.missions.score')}
          data={[5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: t(`experts.missions.scores.${n}`) }))}
          value={score}
          onChange={setScore}
          required
          allowDeselect={false}
          w={260}
        />
        <Textarea label={t('experts.missions.comment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} maxLength={LIMITS.comment} autosize minRows={2} />
        <Group>
          <Button type="submit" loading={busy} disabled={!score}>
            {t('experts.missions.evaluate')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** An expert's profile: what they do, their skills and languages, when they are free, their missions and how those went. */
export function ExpertView() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { expertId } = useParams({ strict: false }) as { expertId: string };
  const [lang, setLang] = useState<string | null>(null);
  const res = useApi<Expert>(`/api/v1/experts/${expertId}${qs({ lang: lang ?? undefined })}`);
  const change = useChange((e) => res.setData(e));
  const [editingWindow, setEditingWindow] = useState<string | null>(null);
  const [editingMission, setEditingMission] = useState<string | null>(null);
  const [evaluating, setEvaluating] = useState<string | null>(null);
  const [translating, setTranslating] = useState(false);
  if (res.error) return <ErrorAlert error={res.error} />;
  if (!res.data) return <Loading />;
  const e = res.data;
  const url = `/api/v1/experts/${e.id}`;
  // A reader who may neither change nor evaluate a mission gets no empty column of actions.
  const missionActions = e.can.edit || e.missionList.some((m) => m.can.evaluate);
  const missionTitle = (m: Mission) => (m.endsOn && m.endsOn !== m.startsOn ? t('experts.period', { from: labels.date(m.startsOn), to: labels.date(m.endsOn) }) : labels.date(m.startsOn));

  return (
    <Page
      title={e.person.name}
      actions={
        <Group gap="xs">
          {e.can.edit && (
            <ButtonLink to="/experts/$expertId/edit" params={{ expertId: e.id }} variant="default">
              {t('experts.edit')}
            </ButtonLink>
          )}
          {e.can.translate && (
            <Button variant="default" onClick={() => setTranslating((x) => !x)} aria-expanded={translating}>
              {t('experts.translate')}
            </Button>
          )}
          {e.can.vet && (
            <Button loading={change.busy === 'vet'} onClick={() => void change.run('vet', () => api.post<Expert>(`${url}/vet`))} data-testid="vet-expert">
              {t('experts.vet')}
            </Button>
          )}
          {e.can.withdraw && (
            <Button color="red" variant="light" loading={change.busy === 'withdraw'} onClick={() => void change.run('withdraw', () => api.post<Expert>(`${url}/withdraw`))}>
              {t('experts.withdraw')}
            </Button>
          )}
        </Group>
      }
    >
      <Stack gap="xs">
        <Text size="lg" fw={600} lang={e.translation.shown}>
          {e.headline}
        </Text>
        <Group gap="xs">
          <ExpertStatusBadge status={e.status} />
          <TlpBadge tlp={e.tlp} />
          <PapBadge pap={e.pap} />
          <AppLink to="/organisations/$organisationId" params={{ organisationId: e.organisation.id }}>
            {e.organisation.name}
          </AppLink>
          <Text size="sm">({labels.country(e.organisation.country)})</Text>
        </Group>
        {e.status === 'proposed' && <Alert color="yellow">{t('experts.proposedNote')}</Alert>}
        {e.status === 'withdrawn' && <Alert color="gray">{t('experts.withdrawnNote')}</Alert>}
        <TranslationNotice info={e.translation} onPick={setLang} />
      </Stack>
      <ErrorAlert error={change.error} />
      {translating && (
        <TranslationEditor
          info={e.translation}
          fields={[
            { name: 'headline', label: t('experts.form.headline') },
            { name: 'biography', label: t('experts.form.biography'), multiline: true },
          ]}
          load={async (l) => {
            const v = await api.get<Expert>(`${url}${qs({ lang: l })}`);
            return v.translation.shown === l ? { headline: v.headline, biography: v.biography } : null;
          }}
          save={async (l, values, machine) => {
            res.setData(await api.put<Expert>(`${url}/translations/${l}`, { headline: values.headline ?? '', biography: values.biography ?? '', machine }));
            setLang(l);
          }}
          remove={async (l) => {
            await api.del(`${url}/translations/${l}`);
            setLang(null);
            res.reload();
          }}
          onDone={() => setTranslating(false)}
        />
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="sm">
          <Title order={2} size="h3">
            {t('experts.about')}
          </Title>
          {e.biography ? (
            <Text style={{ whiteSpace: 'pre-wrap' }} lang={e.translation.shown}>
              {e.biography}
            </Text>
          ) : (
            <Text c="dimmed">{t('experts.noBiography')}</Text>
          )}
        </Stack>
        <Paper withBorder p="md">
          <Stack gap="sm">
            <div>
              <Text fw={600} size="sm">
                {t('experts.columns.skills')}
              </Text>
              {e.skills.length ? <ConceptBadges tags={e.skills} label={t('experts.columns.skills')} /> : <Text size="sm">—</Text>}
            </div>
            {e.concepts.length > 0 && (
              <div>
                <Text fw={600} size="sm">
                  {t('experts.themes')}
                </Text>
                <ConceptBadges tags={e.concepts} label={t('experts.themes')} />
              </div>
            )}
            <div>
              <Text fw={600} size="sm">
                {t('experts.columns.languages')}
              </Text>
              <Text size="sm">{e.languages.map((l) => labels.language(l)).join(', ') || '—'}</Text>
            </div>
            <div>
              <Text fw={600} size="sm">
                {t('experts.countries')}
              </Text>
              <Text size="sm">{e.countries.map((c) => labels.country(c)).join(', ') || '—'}</Text>
            </div>
            <div>
              <Text fw={600} size="sm">
                {t('experts.columns.missions')}
              </Text>
              <MissionScore missions={e.missions} />
            </div>
          </Stack>
        </Paper>
      </SimpleGrid>

      <section aria-labelledby="expert-availability">
        <Title order={2} size="h3" id="expert-availability" mb="xs">
          {t('experts.availability.title')}
        </Title>
        <DataTable
          caption={t('experts.availability.caption', { name: e.person.name })}
          columns={[t('experts.availability.period'), t('experts.availability.note'), ...(e.can.edit ? [t('common.actions')] : [])]}
          rows={e.availability}
          empty={t('experts.availability.none')}
        >
          {(w) => (
            <Table.Tr key={w.id}>
              {editingWindow === w.id ? (
                <Table.Td colSpan={3}>
                  <WindowForm
                    initial={w}
                    onSave={async (v) => {
                      const ok = await change.run(`window:${w.id}`, () => api.put<Expert>(`${url}/availability/${w.id}`, v));
                      if (ok) setEditingWindow(null);
                      return ok;
                    }}
                    onCancel={() => setEditingWindow(null)}
                  />
                </Table.Td>
              ) : (
                <>
                  <Table.Td>{t('experts.period', { from: labels.date(w.from), to: labels.date(w.to) })}</Table.Td>
                  <Table.Td>{w.note || '—'}</Table.Td>
                  {e.can.edit && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" variant="default" onClick={() => setEditingWindow(w.id)} aria-label={t('experts.availability.changeWhich', { from: labels.date(w.from) })}>
                          {t('experts.change')}
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          loading={change.busy === `drop:${w.id}`}
                          onClick={() => void change.run(`drop:${w.id}`, () => api.del<Expert>(`${url}/availability/${w.id}`))}
                          aria-label={t('experts.availability.removeWhich', { from: labels.date(w.from) })}
                        >
                          {t('common.remove')}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </>
              )}
            </Table.Tr>
          )}
        </DataTable>
        {e.can.edit && (
          <Paper withBorder p="sm" mt="sm">
            <WindowForm onSave={(v) => change.run('window:new', () => api.post<Expert>(`${url}/availability`, v))} />
          </Paper>
        )}
      </section>

      <ExpertSessions expert={e} onAnswered={res.reload} />

      <section aria-labelledby="expert-missions">
        <Title order={2} size="h3" id="expert-missions" mb="xs">
          {t('experts.missions.title')}
        </Title>
        <DataTable
          caption={t('experts.missions.caption', { name: e.person.name })}
          columns={[t('experts.missions.missionTitle'), t('experts.missions.when'), t('experts.missions.host'), t('experts.missions.evaluation'), ...(missionActions ? [t('common.actions')] : [])]}
          rows={e.missionList}
          empty={t('experts.missions.none')}
          minWidth={800}
        >
          {(m) =>
            editingMission === m.id ? (
              <Table.Tr key={m.id}>
                <Table.Td colSpan={missionActions ? 5 : 4}>
                  <MissionForm
                    expert={e}
                    initial={m}
                    onSave={async (v) => {
                      const ok = await change.run(`mission:${m.id}`, () => api.put<Expert>(`${url}/missions/${m.id}`, v));
                      if (ok) setEditingMission(null);
                      return ok;
                    }}
                    onCancel={() => setEditingMission(null)}
                  />
                </Table.Td>
              </Table.Tr>
            ) : (
              <Table.Tr key={m.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {m.title}
                  </Text>
                  {m.country && <Text size="sm">{labels.country(m.country)}</Text>}
                  {m.offerId && (
                    <AppLink to="/offers/$id" params={{ id: m.offerId }} size="sm">
                      {t('experts.missions.offer')}
                    </AppLink>
                  )}
                  {m.requestId && (
                    <AppLink to="/requests/$requestId" params={{ requestId: m.requestId }} size="sm">
                      {t('experts.missions.request')}
                    </AppLink>
                  )}
                </Table.Td>
                <Table.Td>{missionTitle(m)}</Table.Td>
                <Table.Td>{m.host ? m.host.name : '—'}</Table.Td>
                <Table.Td>
                  {evaluating === m.id ? (
                    <EvaluationForm
                      mission={m}
                      onSave={async (score, comment) => {
                        const ok = await change.run(`evaluate:${m.id}`, () => api.put<Expert>(`${url}/missions/${m.id}/evaluation`, { score, comment }));
                        if (ok) setEvaluating(null);
                        return ok;
                      }}
                      onCancel={() => setEvaluating(null)}
                    />
                  ) : m.evaluation ? (
                    <Stack gap={2}>
                      <Text size="sm" fw={600}>
                        {t('experts.missions.scoreOf', { score: m.evaluation.score })}
                      </Text>
                      {m.evaluation.comment && <Text size="sm">“{m.evaluation.comment}”</Text>}
                      <Text size="xs" c="dimmed">
                        {m.evaluation.by ? t('experts.missions.evaluatedBy', { name: m.evaluation.by, date: labels.date(m.evaluation.at) }) : labels.date(m.evaluation.at)}
                      </Text>
                    </Stack>
                  ) : (
                    <Text size="sm">{t('experts.missions.notEvaluated')}</Text>
                  )}
                </Table.Td>
                {missionActions && (
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {m.can.evaluate && evaluating !== m.id && (
                        <Button size="xs" onClick={() => setEvaluating(m.id)} aria-label={t('experts.missions.evaluateWhat', { title: m.title })}>
                          {m.evaluation ? t('experts.missions.reevaluate') : t('experts.missions.evaluate')}
                        </Button>
                      )}
                      {e.can.edit && (
                        <Button size="xs" variant="default" onClick={() => setEditingMission(m.id)} aria-label={t('experts.missions.changeWhat', { title: m.title })}>
                          {t('experts.change')}
                        </Button>
                      )}
                      {e.can.edit && !m.evaluation && (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          loading={change.busy === `dropMission:${m.id}`}
                          onClick={() => void change.run(`dropMission:${m.id}`, () => api.del<Expert>(`${url}/missions/${m.id}`))}
                          aria-label={t('experts.missions.removeWhat', { title: m.title })}
                        >
                          {t('common.remove')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            )
          }
        </DataTable>
        {e.can.edit && (
          <Paper withBorder p="sm" mt="sm">
            <Title order={3} size="h5" mb="xs">
              {t('experts.missions.add')}
            </Title>
            <MissionForm expert={e} onSave={(v) => change.run('mission:new', () => api.post<Expert>(`${url}/missions`, v))} />
          </Paper>
        )}
      </section>
    </Page>
  );
}
