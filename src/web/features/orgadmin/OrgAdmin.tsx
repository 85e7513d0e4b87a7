import { Alert, Button, Checkbox, Group, Paper, Stack, Switch, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { StatusBadge } from '../../components/StatusBadge';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Invitation, Items, Member, Organisation, Role } from '../../api/types';
import { useApi } from '../../api/useApi';
import { ButtonLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { useSession } from '../../session';
import { DataTable } from '../../components/DataTable';

export function MembersTable({ organisationId, canGrantSecretariat = false }: { organisationId: string; canGrantSecretariat?: boolean }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const members = useApi<Items<Member>>(`/api/v1/organisations/${organisationId}/members`);
  const [error, setError] = useState<unknown>(null);
  const patch = async (id: string, body: { roles?: Role[]; status?: 'active' | 'disabled' }) => {
    setError(null);
    try {
      await api.patch(`/api/v1/people/${id}`, body);
      members.reload();
    } catch (err) {
      setError(err);
    }
  };
  const toggleRole = (m: Member, role: Role) => {
    const roles = m.roles.includes(role) ? m.roles.filter((r) => r !== role) : [...m.roles, role];
    void patch(m.id, { roles: roles.length ? roles : ['member'] });
  };
  if (members.loading && !members.data) return <Loading />;
  return (
    <Stack>
      <ErrorAlert error={error ?? members.error} />
      <DataTable
        minWidth={760}
        caption={t('orgAdmin.membersCaption')}
        columns={[t('common.name'), t('signIn.email'), t('orgAdmin.roles'), t('common.status'), t('mfa.title'), t('orgAdmin.lastLogin'), t('common.actions')]}
        rows={members.data?.items ?? []}
      >
        {(m) => (
          <Table.Tr key={m.id}>
            <Table.Td>{m.name}</Table.Td>
            <Table.Td>{m.email}</Table.Td>
            <Table.Td>
              <Stack gap={4}>
                <Checkbox
                  label={labels.role('org_admin')}
                  checked={m.roles.includes('org_admin')}
                  disabled={m.id === me?.id}
                  onChange={() => toggleRole(m, 'org_admin')}
                  aria-label={t('orgAdmin.roleFor', { role: labels.role('org_admin'), name: m.name })}
                />
                <Checkbox
                  label={labels.role('translator')}
                  checked={m.roles.includes('translator')}
                  onChange={() => toggleRole(m, 'translator')}
                  aria-label={t('orgAdmin.roleFor', { role: labels.role('translator'), name: m.name })}
                />
                {canGrantSecretariat && (
                  <Checkbox
                    label={labels.role('secretariat')}
                    checked={m.roles.includes('secretariat')}
                    disabled={m.id === me?.id}
                    onChange={() => toggleRole(m, 'secretariat')}
                    aria-label={t('orgAdmin.roleFor', { role: labels.role('secretariat'), name: m.name })}
                  />
                )}
              </Stack>
            </Table.Td>
            <Table.Td>
              <StatusBadge color={m.status === 'active' ? 'green' : 'gray'} >
                {t(`personStatus.${m.status}`)}
              </StatusBadge>
            </Table.Td>
            <Table.Td>{m.mfaEnabled ? t('mfa.on') : t('mfa.off')}</Table.Td>
            <Table.Td>{labels.dateTime(m.lastLoginAt)}</Table.Td>
            <Table.Td>
              {m.id !== me?.id &&
                (m.status === 'active' ? (
                  <Button size="xs" variant="outline" color="red.9" onClick={() => void patch(m.id, { status: 'disabled' })} aria-label={t('orgAdmin.disableNamed', { name: m.name })}>
                    {t('orgAdmin.disable')}
                  </Button>
                ) : (
                  <Button size="xs" variant="outline" onClick={() => void patch(m.id, { status: 'active' })} aria-label={t('orgAdmin.enableNamed', { name: m.name })}>
                    {t('orgAdmin.enable')}
                  </Button>
                ))}
            </Table.Td>
          </Table.Tr>
        )}
      </DataTable>
    </Stack>
  );
}

function Invitations({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const invitations = useApi<Items<Invitation>>(`/api/v1/organisations/${organisationId}/invitations`);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [asAdmin, setAsAdmin] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<string | null>(null);
  const invite = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSent(null);
    try {
      await api.post(`/api/v1/organisations/${organisationId}/invitations`, {
        email: email.trim(),
        ...(name.trim() ? { name: name.trim() } : {}),
        roles: asAdmin ? ['member', 'org_admin'] : ['member'],
      });
      setSent(email.trim());
      setEmail('');
      setName('');
      setAsAdmin(false);
      invitations.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (id: string) => {
    setError(null);
    try {
      await api.del(`/api/v1/invitations/${id}`);
      invitations.reload();
    } catch (err) {
      setError(err);
    }
  };
  const state = (i: Invitation) =>
    i.acceptedAt ? 'accepted' : i.revokedAt ? 'revoked' : new Date(i.expiresAt).getTime() < Date.now() ? 'expired' : 'pending';
  return (
    <Stack>
      <Paper withBorder p="md">
        <form onSubmit={invite} noValidate>
          <Title order={3} size="h5" mb="sm">
            {t('orgAdmin.invite')}
          </Title>
          <Stack>
            {sent && (
              <Alert color="green" role="status">
                {t('orgAdmin.invited', { email: sent })}
              </Alert>
            )}
            <ErrorAlert error={error} />
            <Group align="flex-end" wrap="wrap">
              <TextInput label={t('signIn.email')} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
              <TextInput label={t('common.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
              <Checkbox label={t('orgAdmin.inviteAsAdmin')} checked={asAdmin} onChange={(e) => setAsAdmin(e.currentTarget.checked)} mb={8} />
              <Button type="submit" loading={busy} disabled={!email.includes('@')}>
                {t('orgAdmin.sendInvitation')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <ErrorAlert error={invitations.error} />
      {!invitations.error && (
      <DataTable
        minWidth={640}
        caption={t('orgAdmin.invitationsCaption')}
        columns={[t('signIn.email'), t('common.name'), t('orgAdmin.roles'), t('common.status'), t('orgAdmin.expires'), t('common.actions')]}
        rows={invitations.data?.items ?? []}
        empty={t('orgAdmin.noInvitations')}
      >
        {(i) => (
          <Table.Tr key={i.id}>
            <Table.Td>{i.email}</Table.Td>
            <Table.Td>{i.name ?? '—'}</Table.Td>
            <Table.Td>{i.roles.map((r) => labels.role(r)).join(', ')}</Table.Td>
            <Table.Td>{t(`invitationStatus.${state(i)}`)}</Table.Td>
            <Table.Td>{labels.date(i.expiresAt)}</Table.Td>
            <Table.Td>
              {state(i) === 'pending' && (
                <Button size="xs" variant="outline" color="red.9" onClick={() => void revoke(i.id)} aria-label={t('orgAdmin.revokeNamed', { email: i.email })}>
                  {t('orgAdmin.revoke')}
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        )}
      </DataTable>
      )}
    </Stack>
  );
}

function MfaPolicy({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation();
  const org = useApi<Organisation>(`/api/v1/organisations/${organisationId}`);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { refresh, me } = useSession();
  if (org.loading && !org.data) return <Loading />;
  const change = async (required: boolean) => {
    setBusy(true);
    setError(null);
    try {
      org.setData(await api.put<Organisation>(`/api/v1/organisations/${organisationId}/mfa-policy`, { required }));
      await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack maw={640}>
      <ErrorAlert error={error ?? org.error} />
      <Text>{t('orgAdmin.mfaPolicyExplain')}</Text>
      {!me?.mfaEnabled && !org.data?.mfaRequired && (
        <Alert color="yellow" variant="light">
          {t('orgAdmin.mfaPolicySelfWarning')}
        </Alert>
      )}
      <Switch
        label={t('orgAdmin.mfaRequired')}
        checked={!!org.data?.mfaRequired}
        disabled={busy || !org.data}
        onChange={(e) => void change(e.currentTarget.checked)}
      />
    </Stack>
  );
}

export function OrgAdminPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [tab, setTab] = useState<string | null>('members');
  const orgId = me?.organisation?.id;
  return (
    <Page
      title={t('orgAdmin.title', { organisation: me?.organisation?.name ?? '' })}
      actions={
        orgId ? (
          <ButtonLink to="/organisations/$organisationId/edit" params={{ organisationId: orgId }} variant="light">
            {t('orgProfile.editProfile')}
          </ButtonLink>
        ) : undefined
      }
    >
      {!orgId ? (
        <Alert color="yellow">{t('orgAdmin.noOrganisation')}</Alert>
      ) : (
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="members">{t('orgAdmin.members')}</Tabs.Tab>
            <Tabs.Tab value="invitations">{t('orgAdmin.invitations')}</Tabs.Tab>
            <Tabs.Tab value="mfa">{t('orgAdmin.mfaPolicy')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="members" pt="md">
            <MembersTable organisationId={orgId} canGrantSecretariat={me?.roles.includes('secretariat')} />
          </Tabs.Panel>
          <Tabs.Panel value="invitations" pt="md">
            <Invitations organisationId={orgId} />
          </Tabs.Panel>
          <Tabs.Panel value="mfa" pt="md">
            <MfaPolicy organisationId={orgId} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Page>
  );
}
