import { Anchor, Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { Fragment, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client';
import { ORGANISATION_STATUSES, type AuditEntry, type Items, type Person } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { OrganisationSelect } from '../../components/OrganisationSelect';
import { Loading } from '../../components/Page';
import { fromZonedInput } from '../../components/time';
import { useDebounced } from '../../components/useDebounced';
import { actionGroups, actionKey, AUDIT_ACTIONS, detailFields, familyOf, humanise, type DetailField } from './auditView';

const ROLE_CODES = new Set(['member', 'org_admin', 'secretariat']);
const ORG_STATUS_CODES = new Set<string>(ORGANISATION_STATUSES);

/** Words for an action code, a field name, a target type: the catalogue's, else the code made readable. */
function useAuditWords() {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      action: (code: string) => t(actionKey(code), { defaultValue: humanise(code) }),
      family: (family: string) => t(`audit.families.${family}`, { defaultValue: humanise(family) }),
      field: (name: string) => t(`audit.fields.${name}`, { defaultValue: humanise(name) }),
      target: (type: string) => t(`audit.targets.${type}`, { defaultValue: humanise(type) }),
    }),
    [t],
  );
}

/** One value of an entry's details, in words where it is a code this page knows. */
function DetailText({ field }: { field: DetailField }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const name = field.path[field.path.length - 1]!;
  const v = field.value;
  switch (v.kind) {
    case 'none':
      return <>—</>;
    case 'boolean':
      return <>{v.value ? t('audit.yes') : t('audit.no')}</>;
    case 'number':
      return <>{v.value}</>;
    case 'id':
      return (
        <Text span ff="monospace" size="xs" title={v.id}>
          {v.id.slice(0, 8)}…
        </Text>
      );
    case 'ids':
      return <>{t('audit.idCount', { count: v.ids.length })}</>;
    case 'list':
      if (v.items.length === 0) return <>—</>;
      if (v.items.every((x) => ROLE_CODES.has(x))) return <>{v.items.map(labels.role).join(', ')}</>;
      if (name === 'kinds') return <>{v.items.map((k) => t(`contacts.kinds.${k}`, { defaultValue: k })).join(', ')}</>;
      if (name === 'countries') return <>{v.items.map(labels.country).join(', ')}</>;
      if (name === 'changed') return <>{v.items.map((k) => t(`audit.fields.${k}`, { defaultValue: humanise(k) })).join(', ')}</>;
      return <>{v.items.join(', ')}</>;
    case 'text': {
      const s = v.text;
      if (name === 'country') return <>{labels.country(s)}</>;
      if (name === 'type') return <>{labels.orgType(s)}</>;
      if (name === 'tlp') return <>TLP:{s}</>;
      if (name === 'pap') return <>PAP:{s}</>;
      if ((name === 'from' || name === 'to' || name === 'status') && ORG_STATUS_CODES.has(s)) return <>{labels.orgStatus(s)}</>;
      if (/At$/.test(name) && !Number.isNaN(Date.parse(s))) return <>{labels.dateTime(s)}</>;
      return <>{s}</>;
    }
  }
}

/** An entry's details as a list of labelled fields (never JSON). */
export function AuditDetails({ details }: { details: unknown }) {
  const words = useAuditWords();
  const fields = detailFields(details);
  if (fields.length === 0) return <>—</>;
  return (
    <dl className="audit-details" data-testid="audit-details">
      {fields.map((f) => (
        <Fragment key={f.path.join('.')}>
          <dt>{f.path.map(words.field).join(' › ')}</dt>
          <dd>
            <DetailText field={f} />
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** What an entry is about: the target in words, linked where the web app has a page for it. */
function Target({ entry }: { entry: AuditEntry }) {
  const words = useAuditWords();
  if (!entry.targetType) return <>—</>;
  const id = entry.targetId ?? '';
  const label = words.target(entry.targetType);
  const short = id ? ` ${id.length > 12 ? `${id.slice(0, 8)}…` : id}` : '';
  const links: Record<string, { to: string; params: Record<string, string> }> = {
    organisation: { to: '/organisations/$organisationId', params: { organisationId: id } },
    community: { to: '/communities/$communityId', params: { communityId: id } },
    note: { to: '/notes/$noteId', params: { noteId: id } },
    contact: { to: '/contacts/$contactId', params: { contactId: id } },
    communication_check: { to: '/communication-checks/$checkId', params: { checkId: id } },
    stix_object: { to: '/intel/objects/$id', params: { id } },
  };
  const link = id ? links[entry.targetType] : undefined;
  return link ? (
    <AppLink to={link.to} params={link.params}>
      {label}
      {short}
    </AppLink>
  ) : (
    <span title={id || undefined}>
      {label}
      {short}
    </span>
  );
}

interface Filters {
  action: string | null;
  actor: { id: string; name: string } | null;
  organisation: string | null;
  from: string;
  until: string;
}
const NO_FILTERS: Filters = { action: null, actor: null, organisation: null, from: '', until: '' };

/** The people the secretariat may pick as "who" (GET /api/v1/people, searched as they type). */
function ActorSelect({ value, onChange }: { value: Filters['actor']; onChange: (v: Filters['actor']) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 300);
  const people = useApi<Items<Person>>(`/api/v1/people${qs({ q: q.trim() && q !== value?.name ? q.trim() : undefined })}`);
  const data = useMemo(() => {
    const items = (people.data?.items ?? []).map((p) => ({ value: p.id, label: p.organisation ? `${p.name} (${p.organisation.name})` : p.name }));
    if (value && !items.some((i) => i.value === value.id)) items.unshift({ value: value.id, label: value.name });
    return items;
  }, [people.data, value]);
  return (
    <Select
      label={t('audit.actor')}
      placeholder={t('audit.anyone')}
      data={data}
      value={value?.id ?? null}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(id, option) => onChange(id ? { id, name: option?.label ?? id } : null)}
      nothingFoundMessage={t('common.noResults')}
      w={260}
      maw="100%"
      data-testid="audit-actor"
    />
  );
}

/** The audit log in words: actions named, details as fields, filters by action, who, organisation and date. */
export function AuditTab() {
  const { t } = useTranslation();
  const labels = useLabels();
  const words = useAuditWords();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [pages, setPages] = useState<(string | number | null)[]>([null]);
  const before = pages[pages.length - 1];
  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPages([null]);
  };
  // Dates are days in the person's time zone: from the start of the first to the end of the last.
  const since = filters.from ? fromZonedInput(`${filters.from}T00:00`, labels.timeZone)?.toISOString() : undefined;
  const untilStart = filters.until ? fromZonedInput(`${filters.until}T23:59`, labels.timeZone) : null;
  const until = untilStart ? new Date(untilStart.getTime() + 59_999).toISOString() : undefined;
  const audit = useApi<{ items: AuditEntry[]; nextBefore: number | string | null }>(
    `/api/v1/audit${qs({ before: before ?? undefined, limit: 50, action: filters.action ?? undefined, actor: filters.actor?.id, organisation: filters.organisation ?? undefined, since, until })}`,
  );
  const actionOptions = useMemo(
    () => [
      { value: 'all', label: t('audit.allActions') },
      ...actionGroups(AUDIT_ACTIONS).map((g) => ({
        group: words.family(g.family),
        items: [{ value: `${g.family}.`, label: t('audit.allOfFamily', { family: words.family(g.family) }) }, ...g.codes.map((c) => ({ value: c, label: words.action(c) }))],
      })),
    ],
    [t, words],
  );
  const filtered = filters.action !== null || filters.actor !== null || filters.organisation !== null || !!filters.from || !!filters.until;
  return (
    <Stack>
      <form role="search" aria-label={t('audit.filters')} onSubmit={(e) => e.preventDefault()}>
        <Group align="flex-end" wrap="wrap" gap="sm">
          <Select
            label={t('audit.action')}
            data={actionOptions}
            value={filters.action ?? 'all'}
            onChange={(v) => set({ action: v && v !== 'all' ? v : null })}
            searchable
            allowDeselect={false}
            w={300}
            maw="100%"
            data-testid="audit-action"
          />
          <ActorSelect value={filters.actor} onChange={(actor) => set({ actor })} />
          <OrganisationSelect label={t('audit.organisation')} placeholder={t('audit.anyOrganisation')} value={filters.organisation} onChange={(v) => set({ organisation: v })} clearable w={260} maw="100%" />
          <TextInput label={t('audit.from')} type="date" value={filters.from} onChange={(e) => set({ from: e.currentTarget.value })} />
          <TextInput label={t('audit.until')} type="date" value={filters.until} onChange={(e) => set({ until: e.currentTarget.value })} />
          {filtered && (
            <Button variant="subtle" onClick={() => set(NO_FILTERS)}>
              {t('audit.clear')}
            </Button>
          )}
        </Group>
      </form>
      <ErrorAlert error={audit.error} />
      {audit.error ? null : audit.loading && !audit.data ? (
        <Loading />
      ) : (
        <DataTable
          minWidth={900}
          caption={t('secretariat.auditCaption', { page: pages.length })}
          columns={['#', t('secretariat.when'), t('secretariat.action'), t('secretariat.actor'), t('audit.target'), t('sessions.ip'), t('secretariat.details')]}
          rows={audit.data?.items ?? []}
          empty={filtered ? t('audit.none') : undefined}
          data-testid="audit-table"
        >
          {(a) => (
            <Table.Tr key={String(a.seq)} data-testid="audit-row" data-action={a.action}>
              <Table.Td>{a.seq}</Table.Td>
              <Table.Td>{labels.dateTime(a.at)}</Table.Td>
              <Table.Td>
                <Text size="sm" fw={600} span data-testid="audit-action-words">
                  {words.action(a.action)}
                </Text>
                <Text size="xs" c="dimmed" display="block">
                  {words.family(familyOf(a.action))}
                </Text>
              </Table.Td>
              <Table.Td>
                {a.actor ? (
                  <Anchor component="button" type="button" ta="left" size="sm" onClick={() => set({ actor: a.actor })} title={t('audit.onlyActor', { name: a.actor.name })}>
                    {a.actor.name}
                  </Anchor>
                ) : (
                  t('secretariat.system')
                )}
              </Table.Td>
              <Table.Td>
                <Target entry={a} />
              </Table.Td>
              <Table.Td>{a.ip ?? '—'}</Table.Td>
              <Table.Td>
                <AuditDetails details={a.details} />
              </Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
      <Group>
        <Button variant="default" disabled={pages.length <= 1} onClick={() => setPages((p) => p.slice(0, -1))}>
          {t('secretariat.newer')}
        </Button>
        <Button variant="default" disabled={!audit.data?.nextBefore} onClick={() => audit.data?.nextBefore != null && setPages((p) => [...p, audit.data!.nextBefore])}>
          {t('secretariat.older')}
        </Button>
      </Group>
    </Stack>
  );
}
