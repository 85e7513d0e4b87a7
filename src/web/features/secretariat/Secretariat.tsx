import { Alert, Anchor, Button, Code, Group, Modal, Paper, Select, Stack, Table, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import { StatusBadge } from '../../components/StatusBadge';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client';
import { ORG_STATUSES, type AuditEntry, type CommunityDetail, type CommunitySummary, type Items, type Organisation, type OutboxMail, type Person } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { useDebounced } from '../../components/useDebounced';
import { DataTable } from '../../components/DataTable';

const STATUS_COLOURS: Record<string, string> = { requested: 'blue', approved: 'green', rejected: 'gray', suspended: 'red' };

function ReasonDialog({
  action,
  organisation,
  onClose,
  onDone,
}: {
  action: 'reject' | 'suspend' | null;
  organisation: Organisation | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!organisation || !action) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/organisations/${organisation.id}/${action}`, { reason: reason.trim() });
      setReason('');
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={!!action && !!organisation}
      onClose={onClose}
      title={action === 'reject' ? t('secretariat.rejectTitle', { name: organisation?.name ?? '' }) : t('secretariat.suspendTitle', { name: organisation?.name ?? '' })}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <Textarea label={t('secretariat.reason')} description={t('secretariat.reasonHelp')} required autosize minRows={3} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red.9" loading={busy} disabled={!reason.trim()}>
              {action === 'reject' ? t('secretariat.reject') : t('secretariat.suspend')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function OrganisationDetails({ org, onClose }: { org: Organisation | null; onClose: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <Modal opened={!!org} onClose={onClose} title={org?.name ?? ''} size="lg">
      {org && (
        <Stack gap="xs">
          <Text>
            <strong>{t('join.country')}:</strong> {labels.country(org.country)}
          </Text>
          <Text>
            <strong>{t('join.type')}:</strong> {labels.orgType(org.type)}
          </Text>
          {org.acronym && (
            <Text>
              <strong>{t('join.acronym')}:</strong> {org.acronym}
            </Text>
          )}
          <Text>
            <strong>{t('join.sectors')}:</strong> {org.sectors.length ? org.sectors.map(labels.sector).join(', ') : '—'}
          </Text>
          {org.website && (
            <Text>
              <strong>{t('join.website')}:</strong> {org.website}
            </Text>
          )}
          {org.description && <Text className="note-body">{org.description}</Text>}
          {org.requester?.email && (
            <Paper withBorder p="sm">
              <Text fw={600}>{t('join.requester')}</Text>
              <Text>
                {org.requester.name} &lt;{org.requester.email}&gt;
              </Text>
              {org.requester.message && <Text className="note-body">{org.requester.message}</Text>}
            </Paper>
          )}
          {org.statusReason && (
            <Text>
              <strong>{t('secretariat.reason')}:</strong> {org.statusReason}
            </Text>
          )}
        </Stack>
      )}
    </Modal>
  );
}

function OrganisationsTab() {
  const { t } = useTranslation();
  const labels = useLabels();
  const [status, setStatus] = useState<string | null>('requested');
  const [q, setQ] = useState('');
  const dq = useDebounced(q, 300);
  const orgs = useApi<Items<Organisation>>(`/api/v1/organisations${qs({ status: status ?? undefined, q: dq.trim() })}`);
  const [dialog, setDialog] = useState<{ action: 'reject' | 'suspend'; org: Organisation } | null>(null);
  const [details, setDetails] = useState<Organisation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const act = async (org: Organisation, action: 'approve' | 'reinstate') => {
    setError(null);
    setNotice(null);
    try {
      await api.post(`/api/v1/organisations/${org.id}/${action}`, {});
      setNotice(action === 'approve' ? t('secretariat.approved', { name: org.name }) : t('secretariat.reinstated', { name: org.name }));
      orgs.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack>
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t('secretariat.statusFilter')}
          data={[{ value: 'all', label: t('common.all') }, ...ORG_STATUSES.map((s) => ({ value: s, label: labels.orgStatus(s) }))]}
          value={status ?? 'all'}
          allowDeselect={false}
          onChange={(v) => setStatus(v === 'all' ? null : v)}
        />
        <TextInput label={t('common.search')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} />
      </Group>
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      <ErrorAlert error={error ?? orgs.error} />
      {orgs.loading && !orgs.data ? (
        <Loading />
      ) : (
        <DataTable
          minWidth={860}
          caption={t('secretariat.organisationsCaption')}
          columns={[t('common.name'), t('join.country'), t('join.type'), t('join.requester'), t('common.status'), t('common.created'), t('common.actions')]}
          rows={orgs.data?.items ?? []}
          empty={t('secretariat.noOrganisations')}
        >
          {(org) => (
            <Table.Tr key={org.id} data-testid="org-row">
              <Table.Td>
                <Anchor component="button" type="button" ta="left" onClick={() => setDetails(org)}>
                  {org.name}
                </Anchor>
                {org.acronym ? ` (${org.acronym})` : ''}
              </Table.Td>
              <Table.Td>{labels.country(org.country)}</Table.Td>
              <Table.Td>{labels.orgType(org.type)}</Table.Td>
              <Table.Td>{org.requester?.email ? `${org.requester.name ?? ''} <${org.requester.email}>` : '—'}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <StatusBadge color={STATUS_COLOURS[org.status]}>
                  {labels.orgStatus(org.status)}
                </StatusBadge>
              </Table.Td>
              <Table.Td>{labels.date(org.createdAt)}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  {org.status === 'requested' && (
                    <>
                      <Button size="xs" onClick={() => void act(org, 'approve')} aria-label={t('secretariat.approveNamed', { name: org.name })}>
                        {t('secretariat.approve')}
                      </Button>
                      <Button size="xs" variant="outline" color="red.9" onClick={() => setDialog({ action: 'reject', org })} aria-label={t('secretariat.rejectNamed', { name: org.name })}>
                        {t('secretariat.reject')}
                      </Button>
                    </>
                  )}
                  {org.status === 'approved' && (
                    <Button size="xs" variant="outline" color="red.9" onClick={() => setDialog({ action: 'suspend', org })} aria-label={t('secretariat.suspendNamed', { name: org.name })}>
                      {t('secretariat.suspend')}
                    </Button>
                  )}
                  {(org.status === 'suspended' || org.status === 'rejected') && (
                    <Button size="xs" variant="outline" onClick={() => void act(org, 'reinstate')} aria-label={t('secretariat.reinstateNamed', { name: org.name })}>
                      {t('secretariat.reinstate')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
      <ReasonDialog
        action={dialog?.action ?? null}
        organisation={dialog?.org ?? null}
        onClose={() => setDialog(null)}
        onDone={() => {
          setNotice(dialog?.action === 'reject' ? t('secretariat.rejected', { name: dialog.org.name }) : t('secretariat.suspended', { name: dialog?.org.name ?? '' }));
          setDialog(null);
          orgs.reload();
        }}
      />
      <OrganisationDetails org={details} onClose={() => setDetails(null)} />
    </Stack>
  );
}

function PeopleTab() {
  const { t } = useTranslation();
  const labels = useLabels();
  const [q, setQ] = useState('');
  const dq = useDebounced(q, 300);
  const people = useApi<Items<Person>>(`/api/v1/people${qs({ q: dq.trim() })}`);
  return (
    <Stack>
      <TextInput label={t('secretariat.searchPeople')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={420} />
      <ErrorAlert error={people.error} />
      {people.loading && !people.data ? (
        <Loading />
      ) : (
        <DataTable
          minWidth={760}
          caption={t('secretariat.peopleCaption')}
          columns={[t('common.name'), t('signIn.email'), t('common.organisation'), t('orgAdmin.roles'), t('common.status')]}
          rows={people.data?.items ?? []}
          empty={t('common.noResults')}
        >
          {(p) => (
            <Table.Tr key={p.id}>
              <Table.Td>{p.name}</Table.Td>
              <Table.Td>{p.email}</Table.Td>
              <Table.Td>{p.organisation ? `${p.organisation.name} (${labels.country(p.organisation.country)})` : '—'}</Table.Td>
              <Table.Td>{p.roles.map(labels.role).join(', ')}</Table.Td>
              <Table.Td>{t(`personStatus.${p.status}`)}</Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
    </Stack>
  );
}

function CommunityManager({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const community = useApi<CommunityDetail>(`/api/v1/communities/${id}`);
  const orgs = useApi<Items<Organisation>>(`/api/v1/organisations${qs({ status: 'approved' })}`);
  const [adding, setAdding] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const memberIds = new Set((community.data?.organisations ?? []).map((o) => o.id));
  const options = (orgs.data?.items ?? []).filter((o) => !memberIds.has(o.id)).map((o) => ({ value: o.id, label: `${o.name} (${labels.country(o.country)})` }));
  const change = async (orgId: string, add: boolean) => {
    setError(null);
    try {
      if (add) await api.put(`/api/v1/communities/${id}/organisations/${orgId}`, {});
      else await api.del(`/api/v1/communities/${id}/organisations/${orgId}`);
      setAdding(null);
      community.reload();
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  if (community.loading && !community.data) return <Loading />;
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={3} size="h4">
          {community.data?.name}
        </Title>
        <ErrorAlert error={error ?? community.error} />
        <Group align="flex-end">
          <Select label={t('secretariat.addOrganisation')} data={options} value={adding} onChange={setAdding} searchable w={360} />
          <Button disabled={!adding} onClick={() => adding && void change(adding, true)}>
            {t('common.add')}
          </Button>
        </Group>
        <DataTable
          caption={t('communities.memberOrganisations')}
          columns={[t('common.organisation'), t('join.country'), t('common.actions')]}
          rows={community.data?.organisations ?? []}
        >
          {(o) => (
            <Table.Tr key={o.id}>
              <Table.Td>{o.name}</Table.Td>
              <Table.Td>{labels.country(o.country)}</Table.Td>
              <Table.Td>
                <Button size="xs" color="red.9" variant="outline" onClick={() => void change(o.id, false)} aria-label={t('secretariat.removeNamed', { name: o.name })}>
                  {t('common.remove')}
                </Button>
              </Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      </Stack>
    </Paper>
  );
}

function CommunitiesTab() {
  const { t } = useTranslation();
  const communities = useApi<Items<CommunitySummary>>('/api/v1/communities');
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const slugValid = /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const c = await api.post<{ id: string }>('/api/v1/communities', { slug, name: name.trim(), description: description.trim() });
      setSlug('');
      setName('');
      setDescription('');
      communities.reload();
      if (c?.id) setSelected(c.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack>
      <Paper withBorder p="md">
        <form onSubmit={create} noValidate>
          <Title order={3} size="h5" mb="sm">
            {t('secretariat.createCommunity')}
          </Title>
          <Stack>
            <ErrorAlert error={error} />
            <Group align="flex-start" wrap="wrap">
              <TextInput label={t('common.name')} required value={name} onChange={(e) => {
                const v = e.currentTarget.value;
                setName(v);
                if (!slug || slug === slugify(name)) setSlug(slugify(v));
              }} />
              <TextInput label={t('secretariat.slug')} description={t('secretariat.slugHelp')} required value={slug} error={slug && !slugValid ? t('secretariat.slugInvalid') : undefined} onChange={(e) => setSlug(e.currentTarget.value)} />
            </Group>
            <Textarea label={t('common.description')} autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
            <Group>
              <Button type="submit" loading={busy} disabled={!name.trim() || !slugValid}>
                {t('secretariat.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <ErrorAlert error={communities.error} />
      <DataTable
        caption={t('communities.title')}
        columns={[t('common.name'), t('communities.organisations'), t('communities.people'), t('common.actions')]}
        rows={communities.data?.items ?? []}
      >
        {(c) => (
          <Table.Tr key={c.id}>
            <Table.Td>
              <AppLink to="/communities/$communityId" params={{ communityId: c.id }}>
                {c.name}
              </AppLink>
            </Table.Td>
            <Table.Td>{c.organisationCount}</Table.Td>
            <Table.Td>{c.peopleCount}</Table.Td>
            <Table.Td>
              <Button size="xs" variant={selected === c.id ? 'filled' : 'outline'} onClick={() => setSelected(c.id)} aria-label={t('secretariat.manageNamed', { name: c.name })}>
                {t('secretariat.manage')}
              </Button>
            </Table.Td>
          </Table.Tr>
        )}
      </DataTable>
      {selected && <CommunityManager key={selected} id={selected} onChanged={communities.reload} />}
    </Stack>
  );
}

function slugify(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

function AuditTab() {
  const { t } = useTranslation();
  const labels = useLabels();
  const [pages, setPages] = useState<(string | number | null)[]>([null]);
  const before = pages[pages.length - 1];
  const audit = useApi<{ items: AuditEntry[]; nextBefore: number | string | null }>(`/api/v1/audit${qs({ before: before ?? undefined, limit: 50 })}`);
  return (
    <Stack>
      <ErrorAlert error={audit.error} />
      {audit.loading && !audit.data ? (
        <Loading />
      ) : (
        <DataTable
          minWidth={860}
          caption={t('secretariat.auditCaption', { page: pages.length })}
          columns={['#', t('secretariat.when'), t('secretariat.action'), t('secretariat.actor'), t('secretariat.target'), t('sessions.ip'), t('secretariat.details')]}
          rows={audit.data?.items ?? []}
        >
          {(a) => (
            <Table.Tr key={String(a.seq)}>
              <Table.Td>{a.seq}</Table.Td>
              <Table.Td>{labels.dateTime(a.at)}</Table.Td>
              <Table.Td>
                <Code>{a.action}</Code>
              </Table.Td>
              <Table.Td>{a.actor?.name ?? t('secretariat.system')}</Table.Td>
              <Table.Td>{a.targetType ? `${a.targetType} ${a.targetId ?? ''}` : '—'}</Table.Td>
              <Table.Td>{a.ip ?? '—'}</Table.Td>
              <Table.Td>
                <Text size="xs" className="mail-text">
                  {a.details && Object.keys(a.details as object).length ? JSON.stringify(a.details) : ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
      <Group>
        <Button variant="default" disabled={pages.length <= 1} onClick={() => setPages((p) => p.slice(0, -1))}>
          {t('secretariat.newer')}
        </Button>
        <Button
          variant="default"
          disabled={!audit.data?.nextBefore}
          onClick={() => audit.data?.nextBefore != null && setPages((p) => [...p, audit.data!.nextBefore])}
        >
          {t('secretariat.older')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Plain text with http(s) links made clickable. */
function Linkified({ text }: { text: string }) {
  const parts = useMemo(() => {
    const out: ReactNode[] = [];
    const re = /https?:\/\/[^\s<>"')]+/g;
    let last = 0;
    let m: RegExpExecArray | null;
    let i = 0;
    while ((m = re.exec(text))) {
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push(
        <Anchor key={i++} href={m[0]} data-testid="mail-link">
          {m[0]}
        </Anchor>,
      );
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }, [text]);
  return (
    <div className="mail-text" data-testid="mail-text">
      {parts}
    </div>
  );
}

function OutboxTab() {
  const { t } = useTranslation();
  const labels = useLabels();
  const outbox = useApi<Items<OutboxMail>>('/api/v1/outbox');
  const [open, setOpen] = useState<OutboxMail | null>(null);
  return (
    <Stack>
      <Group>
        <Button variant="default" onClick={outbox.reload}>
          {t('common.refresh')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('secretariat.outboxExplainer')}
      </Text>
      <ErrorAlert error={outbox.error} />
      {outbox.loading && !outbox.data ? (
        <Loading />
      ) : (
        <DataTable
          minWidth={760}
          caption={t('secretariat.outboxCaption')}
          columns={[t('secretariat.to'), t('secretariat.subject'), t('secretariat.purpose'), t('common.created'), t('secretariat.sent')]}
          rows={outbox.data?.items ?? []}
          empty={t('secretariat.noMail')}
        >
          {(m) => (
            <Table.Tr key={m.id} data-testid="mail-row">
              <Table.Td>{m.to}</Table.Td>
              <Table.Td>
                <Anchor component="button" type="button" onClick={() => setOpen(m)} ta="left">
                  {m.subject}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Code>{m.purpose}</Code>
              </Table.Td>
              <Table.Td>{labels.dateTime(m.createdAt)}</Table.Td>
              <Table.Td>
                {m.sentAt ? labels.dateTime(m.sentAt) : m.lastError ? <StatusBadge color="red">{t('secretariat.failed')}</StatusBadge> : <StatusBadge color="gray">{t('secretariat.queued')}</StatusBadge>}
              </Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
      <Modal opened={!!open} onClose={() => setOpen(null)} title={open?.subject ?? ''} size="xl">
        {open && (
          <Stack gap="xs">
            <Text size="sm">
              <strong>{t('secretariat.to')}:</strong> {open.to}
            </Text>
            <Text size="sm">
              <strong>{t('common.created')}:</strong> {labels.dateTime(open.createdAt)}
            </Text>
            {open.lastError && (
              <Alert color="red" title={t('secretariat.failed')}>
                {open.lastError}
              </Alert>
            )}
            {open.withheld === 'credential' ? (
              <Alert color="gray" data-testid="mail-withheld">
                {t('secretariat.withheldCredential')}
              </Alert>
            ) : open.text === null ? (
              <Alert color="gray" data-testid="mail-purged">
                {t('secretariat.bodyPurged')}
              </Alert>
            ) : (
              <Paper withBorder p="sm">
                <Linkified text={open.text} />
              </Paper>
            )}
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

export function SecretariatPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>('organisations');
  return (
    <Page title={t('secretariat.title')}>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="organisations">{t('secretariat.organisations')}</Tabs.Tab>
          <Tabs.Tab value="people">{t('secretariat.people')}</Tabs.Tab>
          <Tabs.Tab value="communities">{t('communities.title')}</Tabs.Tab>
          <Tabs.Tab value="audit">{t('secretariat.audit')}</Tabs.Tab>
          <Tabs.Tab value="outbox">{t('secretariat.outbox')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="organisations" pt="md">
          <OrganisationsTab />
        </Tabs.Panel>
        <Tabs.Panel value="people" pt="md">
          <PeopleTab />
        </Tabs.Panel>
        <Tabs.Panel value="communities" pt="md">
          <CommunitiesTab />
        </Tabs.Panel>
        <Tabs.Panel value="audit" pt="md">
          <AuditTab />
        </Tabs.Panel>
        <Tabs.Panel value="outbox" pt="md">
          <OutboxTab />
        </Tabs.Panel>
      </Tabs>
    </Page>
  );
}
