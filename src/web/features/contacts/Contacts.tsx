import { Alert, Anchor, Button, Checkbox, Group, List, MultiSelect, Pagination, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, qs } from '../../api/client';
import { CONTACT_LIMITS } from '../../../shared/contacts';
import { tlpAtLeast } from '../../../shared/tlp';
import { SECTORS, type Items, type Organisation, type Person, type Tlp } from '../../api/types';
import { useApi } from '../../api/useApi';
import { OrganisationSelect } from '../../components/OrganisationSelect';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { CountrySelect } from '../../components/CountrySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { TlpBadge } from '../../components/TlpBadge';
import { useDebounced } from '../../components/useDebounced';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { hasRole, useSession } from '../../session';
import { audienceFor, EMPTY_AUDIENCE, MarkingFields, useAudienceOptions, type Marking } from '../notes/MarkingFields';
import { ExportMenu, VcardActions } from './Exchange';
import { ContactCheckHistory } from '../checks/Checks';
import { CHANNEL_TYPES, FIELDS, groupFingerprint, isCountryKind, KINDS, type Contact, type ContactPage, type Field, type FieldMarking, type FocalPoint, type KeyCheck, type Kind, type Nomination } from './api';
import { DataTable } from '../../components/DataTable';

// The search parameters live in search.ts, which the router reads without loading this page.
import { validateDirectorySearch, type DirectorySearch } from './search';
export { validateDirectorySearch, type DirectorySearch };

const DIRECTORY_LANGUAGES = ['en', 'es', 'pt', 'fr', 'de', 'it', 'nl', 'et', 'pl', 'cs', 'fi', 'lt'];

function useFocalCountries(): string[] {
  const { me } = useSession();
  const fps = useApi<Items<FocalPoint>>(me ? '/api/v1/focal-points' : null);
  return useMemo(() => (fps.data?.items ?? []).filter((f) => f.person.id === me?.id).map((f) => f.country), [fps.data, me]);
}

export function KindBadges({ kinds }: { kinds: Kind[] }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap">
      {kinds.map((k) => (
        <StatusBadge key={k} color={isCountryKind(k) ? 'blue' : 'teal'}>
          {t(`contacts.kinds.${k}`)}
        </StatusBadge>
      ))}
    </Group>
  );
}

/** How long ago, in words of the UI language ("14 months ago", "hace 14 meses"). */
export function ageWords(days: number, lang: string): string {
  let rtf: Intl.RelativeTimeFormat;
  try {
    rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  } catch {
    rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  }
  const d = Math.max(0, Math.floor(days));
  if (d < 45) return rtf.format(-d, 'day');
  const months = Math.round(d / 30.44);
  if (months < 24) return rtf.format(-months, 'month');
  return rtf.format(-Math.floor(d / 365.25), 'year');
}

/** "confirmed 14 months ago" */
function useConfirmedAgo() {
  const { t } = useTranslation();
  const labels = useLabels();
  return (days: number) => t('contacts.confirmedAgo', { ago: ageWords(days, labels.lang) });
}

// Icons beside the text of a marker (decorative: the text carries the meaning).
function WarningIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M12 3 2 21h20L12 3z" />
      <path d="M12 10v5" />
      <path d="M12 18h.01" />
    </svg>
  );
}

function FlagIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M5 21V4" />
      <path d="M5 4h11l-2 4 2 4H5" />
    </svg>
  );
}

/** Not confirmed for 12 months: icon and words, never colour alone. */
function StaleBadge({ c, short = false }: { c: Pick<Contact, 'stale' | 'ageDays'>; short?: boolean }) {
  const { t } = useTranslation();
  if (!c.stale) return null;
  return (
    <StatusBadge color="yellow" leftSection={<WarningIcon />} data-testid="stale-marker" tt="none">
      {short ? t('contacts.staleShort') : t('contacts.staleBadge', { count: c.ageDays })}
    </StatusBadge>
  );
}

/** Failed two communication checks in a row (shown to those responsible for the entry). */
function FlaggedBadge({ c }: { c: Pick<Contact, 'flagged'> }) {
  const { t } = useTranslation();
  if (!c.flagged) return null;
  return (
    <StatusBadge color="red" leftSection={<FlagIcon />} data-testid="flagged-marker" tt="none">
      {t('contacts.flaggedBadge')}
    </StatusBadge>
  );
}

// ---------- directory ----------

export function ContactsDirectory() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const navigate = useNavigate();
  const search = validateDirectorySearch(useSearch({ strict: false }) as Record<string, unknown>);
  const [q, setQ] = useState(search.q ?? '');
  const dq = useDebounced(q, 300);
  const focalCountries = useFocalCountries();
  const set = (patch: Partial<DirectorySearch>) =>
    void navigate({ to: '/contacts', search: validateDirectorySearch({ ...search, page: undefined, ...patch }) as never, replace: true });
  useEffect(() => {
    if ((search.q ?? '') !== dq.trim()) set({ q: dq.trim() || undefined });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dq]);
  const page = Math.max(1, Number(search.page) || 1);
  const result = useApi<ContactPage>(`/api/v1/contacts${qs({ ...search, page, pageSize: 25 })}`);
  const items = result.data?.items ?? [];
  const pages = result.data ? Math.max(1, Math.ceil(result.data.total / result.data.pageSize)) : 1;
  const canAdd = hasRole(me, 'org_admin') || focalCountries.length > 0;
  const confirmedAgo = useConfirmedAgo();
  return (
    <Page
      title={t('contacts.title')}
      actions={
        <Group gap="xs">
          <ButtonLink to="/contacts/coverage" variant="default">{t('contacts.coverage.link')}</ButtonLink>
          {hasRole(me, 'secretariat') && (
            <>
              <ButtonLink to="/contacts/nominations" variant="default">
                {t('contacts.nominations.title')}
              </ButtonLink>
              <ButtonLink to="/contacts/focal-points" variant="default">
                {t('contacts.focalPoints.title')}
              </ButtonLink>
            </>
          )}
          <ExportMenu search={search} />
          {canAdd && (
            <ButtonLink to="/contacts/import" variant="default">
              {t('contacts.exchange.import')}
            </ButtonLink>
          )}
          {canAdd && <ButtonLink to="/contacts/new">{t('contacts.add')}</ButtonLink>}
        </Group>
      }
    >
      <Text>{t('contacts.intro')}</Text>
      <Group align="flex-end" wrap="wrap" role="search" aria-label={t('contacts.filters')}>
        <TextInput label={t('contacts.searchLabel')} description={t('contacts.searchHelp')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} />
        <CountrySelect label={t('contacts.country')} value={search.country ?? null} onChange={(v) => set({ country: v ?? undefined })} clearable searchable placeholder={t('common.all')} />
        <Select
          label={t('contacts.kind')}
          data={KINDS.map((k) => ({ value: k, label: t(`contacts.kinds.${k}`) }))}
          value={search.kind ?? null}
          onChange={(v) => set({ kind: v ?? undefined })}
          clearable
          placeholder={t('common.all')}
        />
        <OrganisationSelect label={t('common.organisation')} value={search.organisation ?? null} onChange={(v) => set({ organisation: v ?? undefined })} clearable placeholder={t('common.all')} />
        <Select label={t('contacts.sector')} data={SECTORS.map((s) => ({ value: s, label: labels.sector(s) }))} value={search.sector ?? null} onChange={(v) => set({ sector: v ?? undefined })} clearable searchable placeholder={t('common.all')} />
        <Select
          label={t('contacts.language')}
          data={DIRECTORY_LANGUAGES.map((l) => ({ value: l, label: labels.language(l) }))}
          value={search.language ?? null}
          onChange={(v) => set({ language: v ?? undefined })}
          clearable
          searchable
          placeholder={t('common.all')}
        />
        <Select
          label={t('contacts.confirmation')}
          data={[
            { value: 'false', label: t('contacts.confirmedRecently') },
            { value: 'true', label: t('contacts.staleOnly') },
          ]}
          value={search.stale ?? null}
          onChange={(v) => set({ stale: v ?? undefined })}
          clearable
          placeholder={t('common.all')}
        />
        <Select
          label={t('common.status')}
          data={(['active', 'nominated', 'rejected', 'removed'] as const).map((s) => ({ value: s, label: t(`contacts.status.${s}`) }))}
          value={search.status ?? 'active'}
          onChange={(v) => set({ status: v && v !== 'active' ? v : undefined })}
          allowDeselect={false}
        />
      </Group>
      <ErrorAlert error={result.error} />
      {result.error ? null : result.loading && !result.data ? (
        <Loading />
      ) : (
        <>
          <DataTable
            minWidth={800}
            caption={t('contacts.caption', { count: result.data?.total ?? 0 })}
            columns={[t('common.name'), t('contacts.kind'), t('common.organisation'), t('contacts.country'), t('contacts.languages'), t('contacts.lastConfirmed')]}
            rows={items}
            empty={t('common.noResults')}
          >
            {(c) => (
              <Table.Tr key={c.id} data-testid="contact-row">
                <Table.Td>
                  <AppLink to="/contacts/$contactId" params={{ contactId: c.id }}>
                    {c.fullName}
                  </AppLink>
                  {c.isTeamMailbox && (
                    <Text span size="sm" c="dimmed">
                      {' '}
                      ({t('contacts.teamMailbox')})
                    </Text>
                  )}
                  {c.position && (
                    <Text size="sm" c="dimmed">
                      {c.position}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <KindBadges kinds={c.kinds} />
                </Table.Td>
                <Table.Td>{c.organisation.acronym ?? c.organisation.name}</Table.Td>
                <Table.Td>{labels.country(c.country)}</Table.Td>
                <Table.Td>{c.languages.map(labels.language).join(', ') || '—'}</Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    <span data-testid="contact-age">{confirmedAgo(c.ageDays)}</span>
                    <Text size="xs">{labels.date(c.lastConfirmedAt)}</Text>
                    <StaleBadge c={c} short />
                    <FlaggedBadge c={c} />
                  </Stack>
                </Table.Td>
              </Table.Tr>
            )}
          </DataTable>
          {pages > 1 && <Pagination total={pages} value={page} onChange={(p) => set({ page: String(p), q: search.q })} aria-label={t('contacts.pages')} />}
        </>
      )}
    </Page>
  );
}

// ---------- contact card ----------

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** The time now in a time zone, with the zone's offset ("15:05 (Tue)", "GMT+3"); null for a zone the browser does not know. */
export function localTimeIn(timeZone: string, lang: string, now: Date): { time: string; offset: string } | null {
  try {
    const time = new Intl.DateTimeFormat(lang, { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(now);
    const offset = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(now).find((p) => p.type === 'timeZoneName')?.value ?? '';
    return { time, offset: offset === 'GMT' ? 'UTC' : offset.replace(/^GMT/, 'UTC') };
  } catch {
    return null;
  }
}

/** The contact's local time, kept current (checked every 20 s, so it never lags a minute behind for long). */
function LocalTime({ timeZone }: { timeZone: string }) {
  const { t } = useTranslation();
  const { lang } = useLabels();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 20_000);
    return () => window.clearInterval(timer);
  }, []);
  const local = localTimeIn(timeZone, lang, now);
  if (!local) return <>{timeZone}</>;
  return (
    <span data-testid="contact-local-time">
      <strong>{local.time}</strong> {t('contacts.localTimeZone', { zone: timeZone, offset: local.offset })}
    </span>
  );
}

const telHref = (phone: string) => `tel:${phone.replace(/[^+\d]/g, '')}`;

/** What one reaches for first: phone, emergency phone and the contact's local time, at the top of the card. */
function TopFacts({ c, withTlp }: { c: Contact; withTlp: (f: Field, node: ReactNode) => ReactNode }) {
  const { t } = useTranslation();
  const notShared = (
    <Text span c="dimmed" fs="italic">
      {t('contacts.notShared')}
    </Text>
  );
  const phone = (f: 'phone' | 'emergencyPhone') => {
    const v = c[f];
    if (v === undefined) return c.withheld.includes(f) ? notShared : null;
    return withTlp(f, v ? <Anchor href={telHref(v)} fw={600} size="lg">{v}</Anchor> : '—');
  };
  const facts: [string, ReactNode, string][] = [
    [t('contacts.fields.phone'), phone('phone'), 'phone'],
    [t('contacts.fields.emergencyPhone'), phone('emergencyPhone'), 'emergencyPhone'],
    [t('contacts.localTime'), c.timeZone ? <LocalTime timeZone={c.timeZone} /> : t('contacts.noTimeZone'), 'localTime'],
  ];
  return (
    <section aria-labelledby="contact-top-h" className="contact-top-facts" data-testid="contact-top-facts">
      <Title order={2} size="h4" id="contact-top-h">
        {t('contacts.reachNow')}
      </Title>
      <dl>
        {facts
          .filter(([, value]) => value !== null)
          .map(([label, value, key]) => (
            <div key={key} data-fact={key}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}

export function ContactCard() {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const { contactId } = useParams({ strict: false }) as { contactId: string };
  const contact = useApi<Contact>(`/api/v1/contacts/${contactId}`);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const confirmedAgo = useConfirmedAgo();
  if (contact.loading && !contact.data) return <Loading />;
  if (contact.error || !contact.data)
    return (
      <Page title={t('contacts.notFound')}>
        <Alert color="gray">{t('errors.NOT_FOUND')}</Alert>
        <AppLink to="/contacts">{t('contacts.backToList')}</AppLink>
      </Page>
    );
  const c = contact.data;
  const fieldTlp = (f: Field) => c.fieldMarkings[f]?.tlp;
  const withTlp = (f: Field, node: ReactNode) => (
    <Group gap="xs" wrap="wrap">
      <span>{node}</span>
      {fieldTlp(f) && <TlpBadge tlp={fieldTlp(f) as Tlp} size="sm" />}
    </Group>
  );
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      contact.setData(await api.post<Contact>(`/api/v1/contacts/${c.id}/confirm`));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!window.confirm(t('contacts.removeConfirm'))) return;
    try {
      await api.del(`/api/v1/contacts/${c.id}`);
      void navigate({ to: '/contacts' });
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Page
      title={c.fullName}
      actions={
        <Group gap="xs">
          <VcardActions contactId={c.id} />
          {c.can.confirm && (
            <Button onClick={() => void confirm()} loading={busy} data-testid="confirm-contact">
              {t('contacts.confirm')}
            </Button>
          )}
          {c.can.edit && (
            <ButtonLink to="/contacts/$contactId/edit" params={{ contactId: c.id }} variant="default">
              {t('contacts.edit')}
            </ButtonLink>
          )}
          {c.can.delete && (
            <Button variant="subtle" color="red" onClick={() => void remove()}>
              {t('contacts.remove')}
            </Button>
          )}
        </Group>
      }
    >
      <ErrorAlert error={error} />
      <Group gap="xs" wrap="wrap">
        <TlpBadge tlp={c.tlp} />
        <KindBadges kinds={c.kinds} />
        {c.isTeamMailbox && <StatusBadge color="gray">{t('contacts.teamMailbox')}</StatusBadge>}
        {c.status !== 'active' && <StatusBadge color={c.status === 'nominated' ? 'blue' : 'red'}>{t(`contacts.status.${c.status}`)}</StatusBadge>}
        <StaleBadge c={c} />
        <FlaggedBadge c={c} />
      </Group>
      {c.stale && <Alert color="yellow">{t('contacts.staleExplain', { count: c.ageDays })}</Alert>}
      {c.statusReason && (
        <Text>
          <strong>{t('contacts.reason')}:</strong> {c.statusReason}
        </Text>
      )}
      <TopFacts c={c} withTlp={withTlp} />
      <dl className="contact-card">
        <Row label={t('contacts.position')}>{c.position || '—'}</Row>
        <Row label={t('common.organisation')}>
          <AppLink to="/organisations/$organisationId" params={{ organisationId: c.organisation.id }}>
            {c.organisation.name}
          </AppLink>
        </Row>
        <Row label={t('contacts.country')}>{labels.country(c.country)}</Row>
        <Row label={t('contacts.languages')}>{c.languages.map(labels.language).join(', ') || '—'}</Row>
        {c.website && (
          <Row label={t('contacts.website')}>
            <a href={c.website} rel="noopener noreferrer nofollow" target="_blank">
              {c.website}
            </a>
          </Row>
        )}
        {c.emails !== undefined && (
          <Row label={t('contacts.fields.emails')}>
            {withTlp(
              'emails',
              c.emails.length
                ? c.emails.map((e, i) => (
                    <span key={e}>
                      {i > 0 && ', '}
                      <Anchor href={`mailto:${e}`}>{e}</Anchor>
                    </span>
                  ))
                : '—',
            )}
          </Row>
        )}
        {c.availability !== undefined && <Row label={t('contacts.fields.availability')}>{withTlp('availability', c.availability || '—')}</Row>}
        {c.secureChannels !== undefined && (
          <Row label={t('contacts.fields.secureChannels')}>
            {withTlp(
              'secureChannels',
              c.secureChannels.length ? (
                <List size="sm">
                  {c.secureChannels.map((ch) => (
                    <List.Item key={`${ch.type}:${ch.address}`}>
                      {t(`contacts.channels.${ch.type}`, { defaultValue: ch.type })}: {ch.address}
                    </List.Item>
                  ))}
                </List>
              ) : (
                '—'
              ),
            )}
          </Row>
        )}
        {c.openpgpKey !== undefined && (
          <Row label={t('contacts.fields.openpgpKey')}>
            {c.openpgpKey ? (
              <Stack gap={4}>
                <Group gap="xs">
                  <code className="fingerprint" aria-label={t('contacts.fingerprint')}>
                    {groupFingerprint(c.openpgpKey.fingerprint)}
                  </code>
                  {fieldTlp('openpgpKey') && <TlpBadge tlp={fieldTlp('openpgpKey') as Tlp} size="sm" />}
                </Group>
                <Text size="sm">
                  {t('contacts.algorithm')}: {c.openpgpKey.algorithm} · {t('contacts.keyExpires')}: {c.openpgpKey.expiresAt ? labels.date(c.openpgpKey.expiresAt) : t('contacts.keyNoExpiry')}
                </Text>
                {c.openpgpKey.expired && <StatusBadge color="red">{t('contacts.keyExpired')}</StatusBadge>}
                {c.openpgpKey.revoked && <StatusBadge color="red">{t('contacts.keyRevoked')}</StatusBadge>}
                <div>
                  <Button size="xs" variant="default" component="a" href={`/api/v1/contacts/${c.id}/key.asc`} download>
                    {t('contacts.downloadKey')}
                  </Button>
                </div>
              </Stack>
            ) : c.openpgpFingerprint ? (
              <Stack gap={4}>
                <code className="fingerprint" aria-label={t('contacts.fingerprint')}>
                  {groupFingerprint(c.openpgpFingerprint)}
                </code>
                <Text size="sm">{t('contacts.fingerprintOnly')}</Text>
              </Stack>
            ) : (
              '—'
            )}
          </Row>
        )}
        {c.withheld
          .filter((f) => f !== 'phone' && f !== 'emergencyPhone')
          .map((f) => (
            <Row key={f} label={t(`contacts.fields.${f}`)}>
              <Text span c="dimmed" fs="italic">
                {t('contacts.notShared')}
              </Text>
            </Row>
          ))}
        <Row label={t('contacts.validUntil')}>{c.validUntil ? labels.date(c.validUntil) : '—'}</Row>
        <Row label={t('contacts.lastConfirmed')}>
          {labels.date(c.lastConfirmedAt)} ({confirmedAgo(c.ageDays)})
        </Row>
      </dl>
      <ContactCheckHistory contactId={c.id} />
      <AppLink to="/contacts">{t('contacts.backToList')}</AppLink>
    </Page>
  );
}

// ---------- add / edit ----------

type SharingChoice = 'entry' | Tlp;
interface FormState {
  organisationId: string | null;
  kinds: Kind[];
  fullName: string;
  position: string;
  isTeamMailbox: boolean;
  languages: string[];
  timeZone: string;
  emails: string;
  phone: string;
  emergencyPhone: string;
  availability: string;
  channels: { type: string; address: string }[];
  openpgpKey: string;
  validUntil: string;
  website: string;
  marking: Marking;
  fields: Record<Field, { choice: SharingChoice; audience: FieldMarking['audience'] }>;
}

const emptyFields = () => Object.fromEntries(FIELDS.map((f) => [f, { choice: 'entry' as SharingChoice, audience: EMPTY_AUDIENCE }])) as FormState['fields'];

function formFrom(c: Contact | undefined, orgId: string | null): FormState {
  return {
    organisationId: c?.organisation.id ?? orgId,
    kinds: c?.kinds ?? [],
    fullName: c?.fullName ?? '',
    position: c?.position ?? '',
    isTeamMailbox: c?.isTeamMailbox ?? false,
    languages: c?.languages ?? [],
    timeZone: c?.timeZone ?? '',
    emails: (c?.emails ?? []).join(', '),
    phone: c?.phone ?? '',
    emergencyPhone: c?.emergencyPhone ?? '',
    availability: c?.availability ?? '',
    channels: c?.secureChannels ?? [],
    openpgpKey: c?.openpgpKey?.armored ?? '',
    validUntil: c?.validUntil ?? '',
    website: c?.website ?? '',
    marking: { tlp: c?.tlp ?? 'GREEN', pap: c?.pap ?? 'GREEN', audience: c?.audience ?? EMPTY_AUDIENCE },
    fields: {
      ...emptyFields(),
      ...Object.fromEntries(Object.entries(c?.fieldMarkings ?? {}).map(([f, m]) => [f, { choice: m.tlp, audience: m.audience }])),
    },
  };
}

function FieldSharing({ field, value, onChange }: { field: Field; value: FormState['fields'][Field]; onChange: (v: FormState['fields'][Field]) => void }) {
  const { t } = useTranslation();
  const options = useAudienceOptions();
  const label = t('contacts.sharedWith', { field: t(`contacts.fields.${field}`) });
  return (
    <Stack gap={4} className="field-sharing">
      <Select
        label={label}
        size="xs"
        data={[
          { value: 'entry', label: t('contacts.sameAsEntry') },
          ...tlpAtLeast('GREEN').map((tlp) => ({ value: tlp, label: `TLP:${tlp} — ${t(`tlp.${tlp}.short`)}` })),
        ]}
        value={value.choice}
        allowDeselect={false}
        onChange={(v) => v && onChange({ choice: v as SharingChoice, audience: v === 'entry' ? EMPTY_AUDIENCE : audienceFor(v as Tlp, value.audience) })}
      />
      {(value.choice === 'AMBER' || value.choice === 'AMBER+STRICT') && (
        <MultiSelect
          size="xs"
          label={t('contacts.fieldOrganisations', { field: t(`contacts.fields.${field}`) })}
          data={options.organisations}
          value={value.audience.organisations}
          onChange={(ids) => onChange({ ...value, audience: { ...value.audience, organisations: ids } })}
          searchable
          clearable
        />
      )}
      {value.choice === 'AMBER' && (
        <MultiSelect
          size="xs"
          label={t('contacts.fieldCommunities', { field: t(`contacts.fields.${field}`) })}
          data={options.communities}
          value={value.audience.communities}
          onChange={(ids) => onChange({ ...value, audience: { ...value.audience, communities: ids } })}
          searchable
          clearable
        />
      )}
      {value.choice === 'RED' && (
        <Text size="xs" c="dimmed">
          {t('contacts.redField')}
        </Text>
      )}
    </Stack>
  );
}

export function ContactEditor() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const navigate = useNavigate();
  const { contactId } = useParams({ strict: false }) as { contactId?: string };
  const existing = useApi<Contact>(contactId ? `/api/v1/contacts/${contactId}` : null);
  const orgs = useApi<Items<Organisation>>('/api/v1/organisations');
  const focalCountries = useFocalCountries();
  const [form, setForm] = useState<FormState | null>(contactId ? null : formFrom(undefined, me?.organisation?.id ?? null));
  const [error, setError] = useState<unknown>(null);
  const [keyInfo, setKeyInfo] = useState<KeyCheck | null>(null);
  const [keyError, setKeyError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (contactId && existing.data && !form) setForm(formFrom(existing.data, null));
  }, [contactId, existing.data, form]);
  if (contactId && existing.loading && !existing.data) return <Loading />;
  if (!form) return existing.error ? <ErrorAlert error={existing.error} /> : <Loading />;
  const withheld = new Set(existing.data?.withheld ?? []);
  const orgOptions = (orgs.data?.items ?? [])
    .filter((o) => o.status === 'approved' && ((hasRole(me, 'org_admin') && o.id === me?.organisation?.id) || focalCountries.includes(o.country)))
    .map((o) => ({ value: o.id, label: `${o.name} (${labels.country(o.country)})` }));
  const org = (orgs.data?.items ?? []).find((o) => o.id === form.organisationId);
  const kindAllowed = (k: Kind) =>
    isCountryKind(k) ? !!org && focalCountries.includes(org.country) : hasRole(me, 'org_admin') && form.organisationId === me?.organisation?.id;
  const up = (patch: Partial<FormState>) => setForm({ ...form, ...patch });

  const checkKey = async () => {
    setKeyInfo(null);
    setKeyError(null);
    if (!form.openpgpKey.trim()) return;
    try {
      setKeyInfo(await api.post<KeyCheck>('/api/v1/contacts/key-check', { armored: form.openpgpKey }));
    } catch (e) {
      setKeyError(e instanceof ApiError && e.code === 'INVALID_KEY' ? t('contacts.invalidKey') : String((e as Error).message));
    }
  };

  const submit = async () => {
    setSaving(true);
    setError(null);
    const fieldMarkings = Object.fromEntries(
      FIELDS.filter((f) => !withheld.has(f)).map((f) => {
        const v = form.fields[f];
        return [f, v.choice === 'entry' ? null : { tlp: v.choice, audience: audienceFor(v.choice, v.audience) }];
      }),
    );
    const body: Record<string, unknown> = {
      kinds: form.kinds,
      fullName: form.fullName.trim(),
      position: form.position.trim(),
      isTeamMailbox: form.isTeamMailbox,
      languages: form.languages,
      timeZone: form.timeZone.trim() || null,
      validUntil: form.validUntil || null,
      website: form.website.trim() || null,
      tlp: form.marking.tlp,
      pap: form.marking.pap,
      audience: audienceFor(form.marking.tlp, form.marking.audience),
      fieldMarkings,
    };
    const values: Record<Field, unknown> = {
      emails: form.emails.split(/[\s,;]+/).filter(Boolean),
      phone: form.phone.trim() || null,
      emergencyPhone: form.emergencyPhone.trim() || null,
      availability: form.availability.trim() || null,
      secureChannels: form.channels.filter((c) => c.address.trim()),
      openpgpKey: form.openpgpKey.trim() || null,
    };
    for (const f of FIELDS) if (!withheld.has(f)) body[f] = values[f];
    if (contactId && existing.data?.openpgpKey && form.openpgpKey === existing.data.openpgpKey.armored) delete body.openpgpKey;
    try {
      const saved = contactId ? await api.patch<Contact>(`/api/v1/contacts/${contactId}`, body) : await api.post<Contact>('/api/v1/contacts', { ...body, organisationId: form.organisationId });
      void navigate({ to: '/contacts/$contactId', params: { contactId: saved.id } });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'INVALID_KEY') setKeyError(t('contacts.invalidKey'));
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  const fieldBlock = (f: Field, input: ReactNode) =>
    withheld.has(f) ? (
      <Text key={f} size="sm" c="dimmed">
        {t(`contacts.fields.${f}`)}: {t('contacts.notShared')}
      </Text>
    ) : (
      <Stack key={f} gap={4}>
        {input}
        <FieldSharing field={f} value={form.fields[f]} onChange={(v) => up({ fields: { ...form.fields, [f]: v } })} />
      </Stack>
    );

  return (
    <Page title={contactId ? t('contacts.editTitle') : t('contacts.addTitle')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack maw={760}>
          <Text size="sm">{t('contacts.whoManages')}</Text>
          {!contactId && (
            <Select label={t('common.organisation')} data={orgOptions} value={form.organisationId} onChange={(v) => up({ organisationId: v, kinds: [] })} searchable required />
          )}
          <Checkbox.Group label={t('contacts.kind')} value={form.kinds} onChange={(v) => up({ kinds: v as Kind[] })} required>
            <Stack gap={4} mt={4}>
              {KINDS.map((k) => (
                <Checkbox key={k} value={k} label={t(`contacts.kinds.${k}`)} disabled={!kindAllowed(k) && !form.kinds.includes(k)} />
              ))}
            </Stack>
          </Checkbox.Group>
          {form.kinds.some(isCountryKind) && <Alert color="blue">{t('contacts.nominationNote')}</Alert>}
          <TextInput label={t('contacts.fullName')} value={form.fullName} onChange={(e) => up({ fullName: e.currentTarget.value })} required maxLength={CONTACT_LIMITS.fullName} />
          <Checkbox label={t('contacts.isTeamMailbox')} checked={form.isTeamMailbox} onChange={(e) => up({ isTeamMailbox: e.currentTarget.checked })} />
          <TextInput label={t('contacts.position')} value={form.position} onChange={(e) => up({ position: e.currentTarget.value })} maxLength={CONTACT_LIMITS.position} />
          <MultiSelect label={t('contacts.languages')} data={DIRECTORY_LANGUAGES.map((l) => ({ value: l, label: labels.language(l) }))} value={form.languages} onChange={(v) => up({ languages: v })} searchable />
          <TimeZoneSelect label={t('contacts.timeZone')} description={t('contacts.timeZoneHelp')} value={form.timeZone} onChange={(z) => up({ timeZone: z })} clearable />
          <Title order={2} size="h4">
            {t('contacts.entrySharing')}
          </Title>
          <MarkingFields value={form.marking} onChange={(m) => up({ marking: m })} />
          <Title order={2} size="h4">
            {t('contacts.channelsTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('contacts.fieldSharingHelp')}
          </Text>
          {fieldBlock('emails', <TextInput label={t('contacts.fields.emails')} description={t('contacts.emailsHelp')} value={form.emails} onChange={(e) => up({ emails: e.currentTarget.value })} />)}
          {fieldBlock('phone', <TextInput label={t('contacts.fields.phone')} type="tel" value={form.phone} onChange={(e) => up({ phone: e.currentTarget.value })} />)}
          {fieldBlock('emergencyPhone', <TextInput label={t('contacts.fields.emergencyPhone')} type="tel" value={form.emergencyPhone} onChange={(e) => up({ emergencyPhone: e.currentTarget.value })} />)}
          {fieldBlock('availability', <TextInput label={t('contacts.fields.availability')} description={t('contacts.availabilityHelp')} value={form.availability} onChange={(e) => up({ availability: e.currentTarget.value })} />)}
          {fieldBlock(
            'secureChannels',
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('contacts.fields.secureChannels')}
              </Text>
              {form.channels.map((ch, i) => (
                <Group key={i} align="flex-end" wrap="wrap">
                  <Select
                    label={t('contacts.channelType')}
                    data={CHANNEL_TYPES.map((c) => ({ value: c, label: t(`contacts.channels.${c}`) }))}
                    value={ch.type}
                    allowDeselect={false}
                    onChange={(v) => up({ channels: form.channels.map((x, j) => (j === i ? { ...x, type: v ?? 'other' } : x)) })}
                  />
                  <TextInput label={t('contacts.channelAddress')} value={ch.address} onChange={(e) => up({ channels: form.channels.map((x, j) => (j === i ? { ...x, address: e.currentTarget.value } : x)) })} />
                  <Button variant="subtle" color="red" onClick={() => up({ channels: form.channels.filter((_, j) => j !== i) })}>
                    {t('common.remove')}
                  </Button>
                </Group>
              ))}
              <div>
                <Button size="xs" variant="default" onClick={() => up({ channels: [...form.channels, { type: 'signal', address: '' }] })}>
                  {t('contacts.addChannel')}
                </Button>
              </div>
            </Stack>,
          )}
          {fieldBlock(
            'openpgpKey',
            <Stack gap={4}>
              <Textarea
                label={t('contacts.fields.openpgpKey')}
                description={t('contacts.keyHelp')}
                value={form.openpgpKey}
                onChange={(e) => {
                  up({ openpgpKey: e.currentTarget.value });
                  setKeyInfo(null);
                  setKeyError(null);
                }}
                autosize
                minRows={3}
                maxRows={10}
                styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
                error={keyError}
              />
              <div>
                <Button size="xs" variant="default" onClick={() => void checkKey()} disabled={!form.openpgpKey.trim()}>
                  {t('contacts.checkKey')}
                </Button>
              </div>
              {keyInfo && (
                <Alert color={keyInfo.expired || keyInfo.revoked ? 'red' : 'green'} role="status">
                  {t('contacts.fingerprint')}: <code>{groupFingerprint(keyInfo.fingerprint)}</code> · {keyInfo.algorithm} · {t('contacts.keyExpires')}:{' '}
                  {keyInfo.expiresAt ? labels.date(keyInfo.expiresAt) : t('contacts.keyNoExpiry')}
                  {keyInfo.expired && ` · ${t('contacts.keyExpired')}`}
                  {keyInfo.revoked && ` · ${t('contacts.keyRevoked')}`}
                </Alert>
              )}
            </Stack>,
          )}
          <TextInput label={t('contacts.validUntil')} type="date" value={form.validUntil} onChange={(e) => up({ validUntil: e.currentTarget.value })} />
          <TextInput label={t('contacts.website')} description={t('contacts.websiteHelp')} type="url" maxLength={CONTACT_LIMITS.website} value={form.website} onChange={(e) => up({ website: e.currentTarget.value })} />
          <ErrorAlert error={error} />
          <Group>
            <Button type="submit" loading={saving} disabled={form.kinds.length === 0 || !form.fullName.trim() || !form.organisationId}>
              {t('common.save')}
            </Button>
            {contactId ? (
              <ButtonLink to="/contacts/$contactId" params={{ contactId }} variant="default">
                {t('common.cancel')}
              </ButtonLink>
            ) : (
              <ButtonLink to="/contacts" variant="default">
                {t('common.cancel')}
              </ButtonLink>
            )}
          </Group>
        </Stack>
      </form>
    </Page>
  );
}

// ---------- secretariat: nominations ----------

export function NominationsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const list = useApi<Items<Nomination>>('/api/v1/contacts/nominations');
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const decide = async (n: Nomination, decision: 'approve' | 'reject') => {
    setError(null);
    try {
      if (decision === 'approve') await api.post(`/api/v1/contacts/${n.id}/approve`);
      else await api.post(`/api/v1/contacts/${n.id}/reject`, { reason: reasons[n.id] ?? '' });
      setDone(t(decision === 'approve' ? 'contacts.nominations.approved' : 'contacts.nominations.rejected', { name: n.fullName }));
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Page title={t('contacts.nominations.title')}>
      <Text>{t('contacts.nominations.intro')}</Text>
      {done && (
        <Alert color="green" role="status">
          {done}
        </Alert>
      )}
      <ErrorAlert error={error ?? list.error} />
      {list.error ? null : list.loading && !list.data ? (
        <Loading />
      ) : (
        <DataTable
          minWidth={800}
          caption={t('contacts.nominations.caption', { count: list.data?.items.length ?? 0 })}
          columns={[t('common.name'), t('contacts.kind'), t('common.organisation'), t('contacts.nominations.by'), t('common.actions')]}
          rows={list.data?.items ?? []}
          empty={t('contacts.nominations.none')}
        >
          {(n) => (
            <Table.Tr key={n.id}>
              <Table.Td>
                <strong>{n.fullName}</strong>
                <Text size="sm" c="dimmed">
                  {n.position}
                </Text>
              </Table.Td>
              <Table.Td>
                <KindBadges kinds={n.kinds} />
              </Table.Td>
              <Table.Td>
                {n.organisation.name} ({labels.country(n.country)})
              </Table.Td>
              <Table.Td>
                {n.nominatedBy?.name ?? '—'}
                <Text size="sm" c="dimmed">
                  {labels.date(n.nominatedAt)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Stack gap={4}>
                  <Button size="xs" onClick={() => void decide(n, 'approve')}>
                    {t('contacts.nominations.approve')}
                  </Button>
                  <TextInput
                    size="xs"
                    label={t('contacts.nominations.reason', { name: n.fullName })}
                    value={reasons[n.id] ?? ''}
                    onChange={(e) => setReasons({ ...reasons, [n.id]: e.currentTarget.value })}
                  />
                  <Button size="xs" variant="default" color="red" disabled={!(reasons[n.id] ?? '').trim()} onClick={() => void decide(n, 'reject')}>
                    {t('contacts.nominations.reject')}
                  </Button>
                </Stack>
              </Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
      <AppLink to="/contacts">{t('contacts.backToList')}</AppLink>
    </Page>
  );
}

// ---------- secretariat: national focal points ----------

export function FocalPointsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const list = useApi<Items<FocalPoint>>('/api/v1/focal-points');
  const people = useApi<Items<Person>>('/api/v1/people');
  const [country, setCountry] = useState<string | null>(null);
  const [person, setPerson] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const candidates = (people.data?.items ?? []).filter((p) => p.status === 'active' && p.organisation?.country === country);
  const add = async () => {
    if (!country || !person) return;
    setError(null);
    try {
      await api.put(`/api/v1/countries/${country}/focal-points/${person}`);
      setPerson(null);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const remove = async (f: FocalPoint) => {
    setError(null);
    try {
      await api.del(`/api/v1/countries/${f.country}/focal-points/${f.person.id}`);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Page title={t('contacts.focalPoints.title')}>
      <Text>{t('contacts.focalPoints.intro')}</Text>
      <ErrorAlert error={error ?? list.error} />
      <Group align="flex-end" wrap="wrap">
        <CountrySelect label={t('contacts.country')} value={country} onChange={(v) => { setCountry(v); setPerson(null); }} searchable />
        <Select
          label={t('contacts.focalPoints.person')}
          data={candidates.map((p) => ({ value: p.id, label: `${p.name} — ${p.organisation?.name ?? ''}` }))}
          value={person}
          onChange={setPerson}
          searchable
          disabled={!country}
          nothingFoundMessage={t('contacts.focalPoints.noCandidates')}
        />
        <Button onClick={() => void add()} disabled={!country || !person}>
          {t('contacts.focalPoints.add')}
        </Button>
      </Group>
      {list.error ? null : list.loading && !list.data ? (
        <Loading />
      ) : (
        <DataTable
          caption={t('contacts.focalPoints.caption', { count: list.data?.items.length ?? 0 })}
          columns={[t('contacts.country'), t('common.name'), t('common.organisation'), t('common.actions')]}
          rows={list.data?.items ?? []}
          empty={t('contacts.focalPoints.none')}
        >
          {(f) => (
            <Table.Tr key={`${f.country}:${f.person.id}`}>
              <Table.Td>{labels.country(f.country)}</Table.Td>
              <Table.Td>{f.person.name}</Table.Td>
              <Table.Td>{f.organisation.name}</Table.Td>
              <Table.Td>
                <Button size="xs" variant="subtle" color="red" onClick={() => void remove(f)} aria-label={t('contacts.focalPoints.removeLabel', { name: f.person.name, country: labels.country(f.country) })}>
                  {t('common.remove')}
                </Button>
              </Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
      <AppLink to="/contacts">{t('contacts.backToList')}</AppLink>
    </Page>
  );
}
