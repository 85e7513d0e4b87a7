import { Alert, Anchor, Button, Group, Modal, Paper, Select, Stack, Table, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { StatusBadge } from '../../components/StatusBadge';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client';
import { ORGANISATION_STATUSES, type CommunityDetail, type CommunitySummary, type Items, type Organisation, type OutboxMail, type Person } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { useDebounced } from '../../components/useDebounced';
import { DataTable } from '../../components/DataTable';
import { TlpBadge } from '../../components/TlpBadge';
import type { Tlp } from '../../api/types';
import { usePersona } from '../../persona';
import { AuditTab } from './AuditLog';
import { MAIL_PURPOSES } from './auditView';

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
      closeButtonProps={{ 'aria-label': t('common.dismiss') }}
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

/** Approving an organisation makes it a member and invites its requester: asked for once more, like a rejection. */
function ApproveDialog({ organisation, onClose, onDone }: { organisation: Organisation | null; onClose: () => void; onDone: (org: Organisation) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const approve = async () => {
    if (!organisation) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/organisations/${organisation.id}/approve`, {});
      onDone(organisation);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal closeButtonProps={{ 'aria-label': t('common.dismiss') }} opened={!!organisation} onClose={onClose} title={t('approval.title', { name: organisation?.name ?? '' })}>
      {organisation && (
        <Stack data-testid="approve-dialog">
          <ErrorAlert error={error} />
          <Text size="sm">{t('approval.intro')}</Text>
          <Text size="sm">
            <strong>{t('join.country')}:</strong> {labels.country(organisation.country)} · <strong>{t('join.type')}:</strong> {labels.orgType(organisation.type)}
          </Text>
          {organisation.requester?.email && (
            <Text size="sm">
              <strong>{t('approval.requester')}:</strong> {organisation.requester.name ?? ''} &lt;{organisation.requester.email}&gt;
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button onClick={() => void approve()} loading={busy} data-autofocus data-testid="approve-confirm">
              {t('approval.confirm')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function OrganisationDetails({ org, onClose }: { org: Organisation | null; onClose: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <Modal closeButtonProps={{ 'aria-label': t('common.dismiss') }} opened={!!org} onClose={onClose} title={org?.name ?? ''} size="lg">
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
  const [approving, setApproving] = useState<Organisation | null>(null);
  const [details, setDetails] = useState<Organisation | null>(null);
  const { reloadTodo } = usePersona();
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const act = async (org: Organisation, action: 'reinstate') => {
    setError(null);
    setNotice(null);
    try {
      await api.post(`/api/v1/organisations/${org.id}/${action}`, {});
      setNotice(t('secretariat.reinstated', { name: org.name }));
      orgs.reload();
      reloadTodo();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack>
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t('secretariat.statusFilter')}
          data={[{ value: 'all', label: t('common.all') }, ...ORGANISATION_STATUSES.map((s) => ({ value: s, label: labels.orgStatus(s) }))]}
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
      {orgs.error ? null : orgs.loading && !orgs.data ? (
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
                      <Button size="xs" onClick={() => setApproving(org)} aria-label={t('secretariat.approveNamed', { name: org.name })}>
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
          reloadTodo();
        }}
      />
      <ApproveDialog
        organisation={approving}
        onClose={() => setApproving(null)}
        onDone={(org) => {
          setApproving(null);
          setError(null);
          setNotice(t('secretariat.approved', { name: org.name }));
          orgs.reload();
          reloadTodo();
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
      {people.error ? null : people.loading && !people.data ? (
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
          <Select label={t('secretariat.addOrganisation')} data={options} value={adding} onChange={setAdding} searchable w={360} maw="100%" />
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

type MailStatus = 'queued' | 'sent' | 'failed';
const mailStatus = (m: OutboxMail): MailStatus => (m.sentAt ? 'sent' : m.lastError ? 'failed' : 'queued');
const MAIL_STATUS_COLOURS: Record<MailStatus, string> = { queued: 'gray', sent: 'green', failed: 'red' };

/** The kind of a mail in words (an unknown purpose as its code made readable). */
function usePurposeLabel() {
  const { t } = useTranslation();
  return (purpose: string) => t(`outbox.purposes.${purpose}`, { defaultValue: purpose.replace(/_/g, ' ') });
}

function OutboxTab() {
  const { t } = useTranslation();
  const labels = useLabels();
  const purposeLabel = usePurposeLabel();
  const [purpose, setPurpose] = useState<string | null>(null);
  const [status, setStatus] = useState<MailStatus | null>(null);
  const outbox = useApi<Items<OutboxMail>>(`/api/v1/outbox${qs({ purpose: purpose ?? undefined, status: status ?? undefined })}`);
  const [open, setOpen] = useState<OutboxMail | null>(null);
  const filtered = purpose !== null || status !== null;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('secretariat.outboxExplainer')}
      </Text>
      <form role="search" aria-label={t('outbox.filters')} onSubmit={(e) => e.preventDefault()}>
        <Group align="flex-end" wrap="wrap" gap="sm">
          <Select
            label={t('outbox.purpose')}
            data={[{ value: 'all', label: t('outbox.allPurposes') }, ...MAIL_PURPOSES.map((p) => ({ value: p, label: purposeLabel(p) }))]}
            value={purpose ?? 'all'}
            onChange={(v) => setPurpose(v && v !== 'all' ? v : null)}
            allowDeselect={false}
            searchable
            w={320}
            maw="100%"
            data-testid="outbox-purpose"
          />
          <Select
            label={t('outbox.status')}
            data={[{ value: 'all', label: t('outbox.anyStatus') }, ...(['queued', 'sent', 'failed'] as const).map((x) => ({ value: x, label: t(`outbox.statuses.${x}`) }))]}
            value={status ?? 'all'}
            onChange={(v) => setStatus(v && v !== 'all' ? (v as MailStatus) : null)}
            allowDeselect={false}
            w={200}
            maw="100%"
            data-testid="outbox-status"
          />
          <Button variant="default" onClick={outbox.reload}>
            {t('common.refresh')}
          </Button>
        </Group>
      </form>
      <ErrorAlert error={outbox.error} />
      {outbox.error ? null : outbox.loading && !outbox.data ? (
        <Loading />
      ) : (
        <>
          <Text size="sm" role="status" data-testid="outbox-count">
            {t('outbox.shown', { count: outbox.data?.items.length ?? 0 })}
          </Text>
          <DataTable
            minWidth={860}
            caption={t('secretariat.outboxCaption')}
            columns={[t('secretariat.to'), t('secretariat.subject'), t('secretariat.purpose'), t('common.created'), t('outbox.status')]}
            rows={outbox.data?.items ?? []}
            empty={filtered ? t('outbox.none') : t('secretariat.noMail')}
          >
            {(m) => (
              <Table.Tr key={m.id} data-testid="mail-row">
                <Table.Td>{m.to}</Table.Td>
                <Table.Td>
                  <Anchor component="button" type="button" onClick={() => setOpen(m)} ta="left">
                    {m.subject}
                  </Anchor>
                </Table.Td>
                <Table.Td data-testid="mail-purpose">
                  {purposeLabel(m.purpose)}
                  {m.tlp && (
                    <>
                      {' '}
                      <TlpBadge tlp={m.tlp as Tlp} size="sm" />
                    </>
                  )}
                </Table.Td>
                <Table.Td>{labels.dateTime(m.createdAt)}</Table.Td>
                <Table.Td data-testid="mail-status" data-status={mailStatus(m)}>
                  <StatusBadge color={MAIL_STATUS_COLOURS[mailStatus(m)]}>{t(`outbox.statuses.${mailStatus(m)}`)}</StatusBadge>
                  {m.sentAt && (
                    <Text size="xs" c="dimmed" display="block">
                      {labels.dateTime(m.sentAt)}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        </>
      )}
      <Modal closeButtonProps={{ 'aria-label': t('common.dismiss') }} opened={!!open} onClose={() => setOpen(null)} title={open?.subject ?? ''} size="xl">
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

const TABS = ['organisations', 'people', 'communities', 'audit', 'outbox'] as const;

export function SecretariatPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  // The tab is part of the address, so that the home page and a bookmark can open one.
  const asked = (useSearch({ strict: false }) as { tab?: unknown }).tab;
  const tab = (TABS as readonly unknown[]).includes(asked) ? (asked as string) : 'organisations';
  const setTab = (v: string | null) => void navigate({ to: '/secretariat', search: (v && v !== 'organisations' ? { tab: v } : {}) as never, replace: true });
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
