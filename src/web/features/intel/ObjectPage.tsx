import { Alert, Button, Card, Checkbox, Code, Group, List, Modal, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { SECTORS } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { CountrySelect } from '../../components/CountrySelect';
import { useLabels } from '../../components/labels';
import { fromZonedInput, timeZoneLabel, toZonedInput } from '../../components/time';
import { Loading, Page } from '../../components/Page';
import { DataTable } from '../../components/DataTable';
import { TlpBadge } from '../../components/TlpBadge';
import { useSession } from '../../session';
import type { IntelObject, Member, SightingSummary } from './api';
import { attackBrowserUrl } from './filters';
import { IntelNav } from './IntelList';
import { displayName } from './names';
// Cytoscape is loaded with the graph, by this page only.
const RelationshipGraph = lazy(() => import('./RelationshipGraph'));
import { AudienceText, CopyValue, ExternalLink, Field, IntelError, intelAudience, IntelMarkingFields, IntelNotFound, NO_AUDIENCE, useAction, useTypeLabel, type IntelMarking } from './shared';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Types that are not themselves sighted (relationships, sightings, markings, definitions). */
const NOT_SIGHTABLE = new Set(['relationship', 'sighting', 'marking-definition', 'extension-definition', 'language-content']);

/** The fields that matter for this type, then the common ones. */
function KeyFields({ obj }: { obj: IntelObject }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const o = obj.object;
  const killChain = Array.isArray(o.kill_chain_phases) ? (o.kill_chain_phases as { kill_chain_name?: string; phase_name?: string }[]) : [];
  const refs = Array.isArray(o.external_references) ? (o.external_references as Record<string, unknown>[]) : [];
  const ts = (k: string) => (str(o[k]) ? labels.dateTime(str(o[k])) : null);
  return (
    <dl style={{ margin: 0 }}>
      {obj.descriptionHtml ? (
        <Field label={t('intel.object.description')}>
          {/* Rendered from Markdown and sanitised by the server (platform/markdown.ts). */}
          <div className="stix-description" data-testid="stix-description" dangerouslySetInnerHTML={{ __html: obj.descriptionHtml }} />
        </Field>
      ) : (
        str(o.description) && <Field label={t('intel.object.description')}>{str(o.description)}</Field>
      )}
      {obj.type === 'indicator' && (
        <>
          {str(o.pattern) && (
            <Field label={t('intel.object.pattern')}>
              <Code block data-testid="indicator-pattern">
                {str(o.pattern)}
              </Code>
            </Field>
          )}
          {str(o.pattern_type) && <Field label={t('intel.object.patternType')}>{str(o.pattern_type)}</Field>}
          {strList(o.indicator_types).length > 0 && <Field label={t('intel.object.indicatorTypes')}>{strList(o.indicator_types).join(', ')}</Field>}
          {ts('valid_from') && <Field label={t('intel.object.validFrom')}>{ts('valid_from')}</Field>}
          {ts('valid_until') && <Field label={t('intel.object.validUntil')}>{ts('valid_until')}</Field>}
        </>
      )}
      {obj.type === 'malware' && strList(o.malware_types).length > 0 && <Field label={t('intel.object.malwareTypes')}>{strList(o.malware_types).join(', ')}</Field>}
      {obj.type === 'malware' && typeof o.is_family === 'boolean' && <Field label={t('intel.object.isFamily')}>{o.is_family ? t('intel.yes') : t('intel.no')}</Field>}
      {strList(o.aliases).length > 0 && <Field label={t('intel.object.aliases')}>{strList(o.aliases).join(', ')}</Field>}
      {str(o.value) && <Field label={t('intel.object.value')}>{str(o.value)}</Field>}
      {strList(o.labels).length > 0 && <Field label={t('intel.object.labels')}>{strList(o.labels).join(', ')}</Field>}
      {killChain.length > 0 && (
        <Field label={t('intel.object.killChain')}>
          {killChain.map((k) => `${k.kill_chain_name ?? ''}: ${k.phase_name ?? ''}`).join('; ')}
        </Field>
      )}
      {ts('first_seen') && <Field label={t('intel.object.firstSeen')}>{ts('first_seen')}</Field>}
      {ts('last_seen') && <Field label={t('intel.object.lastSeen')}>{ts('last_seen')}</Field>}
      {ts('published') && <Field label={t('intel.object.published')}>{ts('published')}</Field>}
      {ts('created') && <Field label={t('intel.object.created')}>{ts('created')}</Field>}
      {ts('modified') && <Field label={t('intel.object.modified')}>{ts('modified')}</Field>}
      {obj.confidence !== null && <Field label={t('intel.list.confidence')}>{obj.confidence}</Field>}
      <Field label={t('intel.object.source')}>{obj.organisation ? `${obj.organisation.name} (${labels.country(obj.organisation.country)})` : t('intel.list.reference')}</Field>
      {refs.length > 0 && (
        <Field label={t('intel.object.externalReferences')}>
          <List type="ordered" size="sm" spacing={2} data-testid="external-references">
            {refs.map((r, i) => {
              const ext = str(r.external_id);
              const attack = ext && /^mitre-/.test(str(r.source_name) ?? '') ? attackBrowserUrl(ext) : null;
              const url = str(r.url);
              return (
                <List.Item key={i} id={`ref-${i + 1}`} tabIndex={-1}>
                  {str(r.source_name)}
                  {ext && `: ${ext}`}
                  {attack && (
                    <>
                      {' — '}
                      <ExternalLink href={attack}>{t('intel.object.attackBrowser', { id: ext })}</ExternalLink>
                      {/^T\d{4}/.test(ext ?? '') && (
                        <>
                          {' — '}
                          <AppLink to="/intel" search={{ technique: ext }}>
                            {t('intel.object.objectsUsingTechnique', { id: ext })}
                          </AppLink>
                        </>
                      )}
                    </>
                  )}
                  {url && !attack && url.startsWith('https://') && (
                    <>
                      {' — '}
                      <ExternalLink href={url}>{url}</ExternalLink>
                    </>
                  )}
                  {str(r.description) && ` — ${str(r.description)}`}
                </List.Item>
              );
            })}
          </List>
        </Field>
      )}
    </dl>
  );
}

/** A member's name: its own, else, for a relationship, its type and the names of its ends. */
function memberName(m: Member, byId: Map<string, Member>): string {
  if (m.name) return m.name;
  const r = m.relationship;
  if (!r) return m.id;
  const end = (id: string) => byId.get(id)?.name ?? id.slice(0, id.indexOf('--'));
  return `${r.relationshipType}: ${end(r.sourceRef)} → ${end(r.targetRef)}`;
}

/** What a report (grouping, note, opinion…) gathers: the members the viewer may see, and nothing about the others. */
function Contents({ obj }: { obj: IntelObject }) {
  const { t } = useTranslation();
  const typeLabel = useTypeLabel();
  const byId = new Map(obj.contains.map((m) => [m.id, m]));
  return (
    <section aria-labelledby="contents-h">
      <Title order={2} id="contents-h" mb="xs">
        {t('intel.object.contents')}
      </Title>
      {obj.contains.length === 0 ? (
        <Text size="sm">{t('intel.object.noContents')}</Text>
      ) : (
        <DataTable
          caption={t('intel.object.contentsCaption', { count: obj.contains.length })}
          minWidth={500}
          data-testid="contents-table"
          columns={[t('intel.object.otherObject'), t('intel.list.type'), t('intel.list.tlp')]}
          rows={obj.contains}
          withTableBorder={false}
        >
          {(m) => (
            <Table.Tr key={m.id} data-testid="contents-row" data-type={m.type}>
              <Table.Td>
                <AppLink to="/intel/objects/$id" params={{ id: m.id }}>
                  {memberName(m, byId)}
                </AppLink>
              </Table.Td>
              <Table.Td>{typeLabel(m.type)}</Table.Td>
              <Table.Td>
                <TlpBadge tlp={m.tlp} size="sm" />
              </Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
    </section>
  );
}

function Sightings({ obj }: { obj: IntelObject }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const summary = useApi<SightingSummary>(`/api/v1/intel/objects/${encodeURIComponent(obj.id)}/sightings`);
  const [open, setOpen] = useState(false);
  const s = summary.data;
  return (
    <section aria-labelledby="sightings-h">
      <Group justify="space-between" mb="xs">
        <Title order={2} id="sightings-h">
          {t('intel.sightings.title')}
        </Title>
        {!NOT_SIGHTABLE.has(obj.type) && !open && (
          <Button variant="light" onClick={() => setOpen(true)} data-testid="report-sighting">
            {t('intel.sightings.report')}
          </Button>
        )}
      </Group>
      <IntelError error={summary.error} />
      {summary.loading && !s ? (
        <Loading />
      ) : s && s.total.reports === 0 ? (
        <Text size="sm">{t('intel.sightings.none')}</Text>
      ) : (
        s && (
          <Stack gap="sm">
            <Text size="sm" data-testid="sightings-total">
              {t('intel.sightings.total', { count: s.total.count, reports: t('intel.sightings.reportCount', { count: s.total.reports }), first: labels.dateTime(s.total.firstSeen), last: labels.dateTime(s.total.lastSeen) })}
            </Text>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <DataTable caption={t('intel.sightings.byCountry')} striped={false} columns={[t('intel.list.country'), t('intel.sightings.count')]} rows={s.byCountry} withTableBorder={false}>
                {(c) => (
                  <Table.Tr key={c.country}>
                    <Table.Td>{c.country ? labels.country(c.country) : t('intel.sightings.unknown')}</Table.Td>
                    <Table.Td>{c.count}</Table.Td>
                  </Table.Tr>
                )}
              </DataTable>
              <DataTable caption={t('intel.sightings.bySector')} striped={false} columns={[t('intel.list.sector'), t('intel.sightings.count')]} rows={s.bySector} withTableBorder={false}>
                {(c) => (
                  <Table.Tr key={c.sector}>
                    <Table.Td>{c.sector ? labels.sector(c.sector) : t('intel.sightings.unknown')}</Table.Td>
                    <Table.Td>{c.count}</Table.Td>
                  </Table.Tr>
                )}
              </DataTable>
            </SimpleGrid>
          </Stack>
        )
      )}
      {open && (
        <SightingForm
          sightingOf={obj.id}
          onCancel={() => setOpen(false)}
          onDone={() => {
            setOpen(false);
            summary.reload();
          }}
        />
      )}
    </section>
  );
}

// The times are typed in the person's time zone (their setting), which the fields name.
const toIso = (local: string, timeZone: string) => (local ? (fromZonedInput(local, timeZone)?.toISOString() ?? '') : '');
const localNow = (timeZone: string) => toZonedInput(new Date(), timeZone);

/** Report a sighting of an object (or that a vulnerability affects us). */
export function SightingForm({ sightingOf, onDone, onCancel, affectsUsDefault = false }: { sightingOf: string; onDone: () => void; onCancel: () => void; affectsUsDefault?: boolean }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const [count, setCount] = useState<number | string>(1);
  const [firstSeen, setFirstSeen] = useState(() => localNow(labels.timeZone));
  const [lastSeen, setLastSeen] = useState(() => localNow(labels.timeZone));
  const [country, setCountry] = useState<string | null>(me?.organisation?.country ?? null);
  const [sector, setSector] = useState<string | null>(null);
  const [anonymous, setAnonymous] = useState(false);
  const [affectsUs, setAffectsUs] = useState(affectsUsDefault);
  const [marking, setMarking] = useState<IntelMarking>({ tlp: 'AMBER', audience: NO_AUDIENCE });
  const { busy, error, run } = useAction();
  const [done, setDone] = useState(false);
  const orderWrong = firstSeen && lastSeen && firstSeen > lastSeen;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (orderWrong) return;
    await run(async () => {
      await api.post('/api/v1/intel/sightings', {
        sightingOf,
        count: Number(count) || 1,
        firstSeen: toIso(firstSeen, labels.timeZone),
        lastSeen: toIso(lastSeen, labels.timeZone),
        ...(country ? { country } : {}),
        ...(sector ? { sector } : {}),
        anonymous,
        affectsUs,
        tlp: marking.tlp,
        audience: intelAudience(marking),
      });
      setDone(true);
      onDone();
    });
  };
  return (
    <Card withBorder component="form" onSubmit={(e: FormEvent) => void submit(e)} mt="sm" aria-labelledby="sighting-form-h" data-testid="sighting-form">
      <Stack>
        <Title order={3} size="h4" id="sighting-form-h">
          {t('intel.sightings.formTitle')}
        </Title>
        <Group align="flex-start" wrap="wrap">
          <NumberInput label={t('intel.sightings.count')} min={1} max={1_000_000_000} value={count} onChange={setCount} required w={140} />
          <TextInput
            label={t('intel.sightings.firstSeen')}
            description={t('common.inTimeZone', { zone: timeZoneLabel(labels.timeZone, labels.lang) })}
            type="datetime-local"
            value={firstSeen}
            onChange={(e) => setFirstSeen(e.currentTarget.value)}
            required
          />
          <TextInput
            label={t('intel.sightings.lastSeen')}
            description={t('common.inTimeZone', { zone: timeZoneLabel(labels.timeZone, labels.lang) })}
            type="datetime-local"
            value={lastSeen}
            onChange={(e) => setLastSeen(e.currentTarget.value)}
            required
            error={orderWrong ? t('intel.sightings.orderWrong') : undefined}
          />
          <CountrySelect label={t('intel.sightings.country')} value={country} onChange={setCountry} clearable />
          <Select label={t('intel.sightings.sector')} data={SECTORS.map((s) => ({ value: s, label: labels.sector(s) }))} value={sector} onChange={setSector} clearable searchable />
        </Group>
        <Checkbox label={t('intel.sightings.anonymous')} description={t('intel.sightings.anonymousHelp')} checked={anonymous} onChange={(e) => setAnonymous(e.currentTarget.checked)} />
        <Checkbox label={t('intel.sightings.affectsUs')} checked={affectsUs} onChange={(e) => setAffectsUs(e.currentTarget.checked)} />
        <IntelMarkingFields value={marking} onChange={setMarking} help={t('intel.sightings.tlpHelp')} />
        <IntelError error={error} />
        {done && (
          <Alert color="green" role="status">
            {t('intel.sightings.thanks')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy} disabled={!!orderWrong}>
            {t('intel.sightings.submit')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function DeleteObject({ obj }: { obj: IntelObject }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.del(`/api/v1/intel/objects/${encodeURIComponent(obj.id)}`);
      void navigate({ to: '/intel' });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <>
      <Button color="red.9" variant="outline" onClick={() => setOpen(true)}>
        {t('common.delete')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('intel.object.deleteTitle')}>
        <Stack>
          <Text>{t('intel.object.deleteConfirm', { name: displayName(obj) })}</Text>
          <IntelError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red.9" onClick={() => void remove()} loading={busy}>
              {t('common.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export function IntelObjectPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const typeLabel = useTypeLabel();
  const { id } = useParams({ strict: false }) as { id: string };
  const res = useApi<IntelObject>(`/api/v1/intel/objects/${encodeURIComponent(id)}`);
  const obj = res.data && res.data.id === id ? res.data : undefined;
  if (res.error?.status === 404)
    return (
      <IntelNotFound>
        <AppLink to="/intel">{t('intel.object.backToList')}</AppLink>
      </IntelNotFound>
    );
  if (!obj) return res.error ? <IntelError error={res.error} /> : <Loading />;
  const json = JSON.stringify(obj.object, null, 2);
  return (
    <Page
      title={displayName(obj)}
      actions={
        <Group gap="xs">
          {obj.type === 'vulnerability' && (
            <ButtonLink to="/intel/vulnerabilities/$id" params={{ id: obj.id }} variant="default">
              {t('intel.object.vulnerabilityPage')}
            </ButtonLink>
          )}
          {obj.can.delete && <DeleteObject obj={obj} />}
        </Group>
      }
    >
      <IntelNav />
      <Group gap="sm">
        <TlpBadge tlp={obj.tlp} />
        <Text>{typeLabel(obj.type)}</Text>
        <Code>{obj.id}</Code>
        {obj.revoked && <Text fw={700}>{t('intel.object.revoked')}</Text>}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
        <Card withBorder style={{ gridColumn: 'span 2' }} component="section" aria-labelledby="fields-h">
          <Title order={2} size="h3" id="fields-h" mb="sm">
            {t('intel.object.fields')}
          </Title>
          <KeyFields obj={obj} />
        </Card>
        <Stack>
          <Card withBorder component="section" aria-labelledby="marking-h">
            <Title order={2} size="h3" id="marking-h" mb="sm">
              {t('intel.object.marking')}
            </Title>
            <Group mb="xs">
              <TlpBadge tlp={obj.tlp} />
            </Group>
            <AudienceText tlp={obj.tlp} audience={obj.audience} />
          </Card>
          <Card withBorder component="section" aria-labelledby="versions-h">
            <Title order={2} size="h3" id="versions-h" mb="sm">
              {t('intel.object.versions')}
            </Title>
            <DataTable caption={t('intel.object.versionsCaption')} striped={false} columns={[t('intel.object.version'), t('intel.list.added'), t('intel.list.tlp')]} rows={obj.versions} withTableBorder={false}>
              {(v) => (
                <Table.Tr key={`${v.version}/${v.addedAt}`}>
                  <Table.Td>
                    {labels.dateTime(v.version)}
                    {v.version === obj.version && ` (${t('intel.object.current')})`}
                    {v.revoked && ` (${t('intel.object.revoked')})`}
                  </Table.Td>
                  <Table.Td>{labels.dateTime(v.addedAt)}</Table.Td>
                  <Table.Td>
                    <TlpBadge tlp={v.tlp} size="sm" />
                  </Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          </Card>
        </Stack>
      </SimpleGrid>

      {Array.isArray(obj.object.object_refs) && <Contents obj={obj} />}
      {obj.containedIn.length > 0 && (
        <section aria-labelledby="in-reports-h">
          <Title order={2} id="in-reports-h" mb="xs">
            {t('intel.object.containedIn')}
          </Title>
          <List size="sm" spacing={2} data-testid="contained-in">
            {obj.containedIn.map((r) => (
              <List.Item key={r.id}>
                <AppLink to="/intel/objects/$id" params={{ id: r.id }}>
                  {r.name ?? r.id}
                </AppLink>{' '}
                ({typeLabel(r.type)}, TLP:{r.tlp})
              </List.Item>
            ))}
          </List>
        </section>
      )}

      <section aria-labelledby="rels-h">
        <Title order={2} id="rels-h" mb="xs">
          {t('intel.object.relationships')}
        </Title>
        {(obj.relationships.length > 0 || obj.contains.length > 0 || obj.containedIn.length > 0) && (
          <Suspense fallback={<Loading />}>
            <RelationshipGraph centre={{ id: obj.id, type: obj.type, name: displayName(obj) }} relationships={obj.relationships} contains={obj.contains} containedIn={obj.containedIn} />
          </Suspense>
        )}
        {obj.relationships.length === 0 ? (
          <Text size="sm" mt="xs">
            {t('intel.object.noRelationships')}
          </Text>
        ) : (
          <Stack mt="xs">
            <DataTable
              caption={t('intel.object.relationshipsCaption')}
              minWidth={600}
              data-testid="relationships-table"
              columns={[t('intel.object.relationship'), t('intel.object.direction'), t('intel.object.otherObject'), t('intel.list.type'), t('intel.list.tlp')]}
              rows={obj.relationships}
              withTableBorder={false}
            >
              {(r) => (
                <Table.Tr key={r.id} data-testid="relationship-row">
                  <Table.Td>
                    <AppLink to="/intel/objects/$id" params={{ id: r.id }}>
                      {r.relationshipType}
                    </AppLink>
                  </Table.Td>
                  <Table.Td>{r.direction === 'outgoing' ? t('intel.object.outgoing') : t('intel.object.incoming')}</Table.Td>
                  <Table.Td>
                    <AppLink to="/intel/objects/$id" params={{ id: r.other.id }}>
                      {r.other.name ?? r.other.id}
                    </AppLink>
                  </Table.Td>
                  <Table.Td>{typeLabel(r.other.type)}</Table.Td>
                  <Table.Td>
                    <TlpBadge tlp={r.tlp} size="sm" />
                  </Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          </Stack>
        )}
      </section>

      <section aria-labelledby="corr-h">
        <Title order={2} id="corr-h" mb="xs">
          {t('intel.object.correlations')}
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          {t('intel.object.correlationsHelp')}
        </Text>
        {obj.correlations.length === 0 ? (
          <Text size="sm">{t('intel.object.noCorrelations')}</Text>
        ) : (
          <DataTable
            caption={t('intel.object.correlationsCaption')}
            minWidth={600}
            data-testid="correlations-table"
            columns={[t('intel.object.valueKind'), t('intel.object.value'), t('intel.object.alsoIn')]}
            rows={obj.correlations}
            withTableBorder={false}
          >
            {(c) => (
              <Table.Tr key={`${c.kind}/${c.value}`}>
                <Table.Td>{c.kind}</Table.Td>
                <Table.Td>
                  <Code>{c.value}</Code>
                </Table.Td>
                <Table.Td>
                  {c.tooWide ? (
                    <Text size="sm" fw={600} data-testid="too-wide">
                      {t('intel.object.tooWide')}
                    </Text>
                  ) : c.objects.length === 0 ? (
                    <Text size="sm">{t('intel.object.noOther')}</Text>
                  ) : (
                    <List size="sm" spacing={2}>
                      {c.objects.map((o) => (
                        <List.Item key={o.stixId}>
                          <AppLink to="/intel/objects/$id" params={{ id: o.stixId }}>
                            {o.name ?? o.stixId}
                          </AppLink>{' '}
                          ({typeLabel(o.type)}, TLP:{o.tlp})
                        </List.Item>
                      ))}
                    </List>
                  )}
                </Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        )}
      </section>

      <Sightings obj={obj} />

      <section aria-labelledby="raw-h">
        <Group justify="space-between" mb="xs">
          <Title order={2} id="raw-h">
            {t('intel.object.raw')}
          </Title>
          <CopyValue value={json} label={t('intel.object.copyJson')} />
        </Group>
        <details>
          <summary>{t('intel.object.showJson')}</summary>
          <Code block mt="xs" data-testid="raw-json" style={{ maxHeight: 480, overflow: 'auto' }}>
            {json}
          </Code>
        </details>
      </section>
    </Page>
  );
}
