import { Alert, Button, Card, Code, Group, Modal, NumberInput, PasswordInput, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Items } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { DataTable } from '../../components/DataTable';
import { TlpBadge } from '../../components/TlpBadge';
import { hasRole, useSession } from '../../session';
import type { Subscription } from './api';
import { IntelNav } from './IntelList';
import { CopyValue, IntelError, intelAudience, IntelMarkingFields, NO_AUDIENCE, useAction, type IntelMarking } from './shared';

type AuthMode = 'none' | 'basic' | 'token';

/** How this server's TAXII 2.1 endpoint is reached from other tools (MISP, OpenCTI, scripts). */
function ConnectYourTools() {
  const { t } = useTranslation();
  const discovery = `${window.location.origin}/taxii2/`;
  const curl = `curl -H "Accept: application/taxii+json;version=2.1" -H "Authorization: Bearer <token>" ${discovery}`;
  return (
    <Card withBorder component="section" aria-labelledby="connect-h">
      <Stack gap="sm">
        <Title order={2} id="connect-h">
          {t('intel.subs.connectTitle')}
        </Title>
        <Text size="sm">{t('intel.subs.connectIntro')}</Text>
        <Group gap="xs">
          <Text size="sm" fw={600}>
            {t('intel.subs.discoveryUrl')}
          </Text>
          <Code data-testid="taxii-discovery">{discovery}</Code>
          <CopyValue value={discovery} label={t('common.copy')} />
        </Group>
        <Text size="sm">
          {t('intel.subs.tokenHow')} <AppLink to="/account">{t('intel.subs.tokenLink')}</AppLink>
        </Text>
        <Text size="sm">{t('intel.subs.authHow')}</Text>
        <Code block>{curl}</Code>
        <Text size="sm">{t('intel.subs.collectionsHow')}</Text>
      </Stack>
    </Card>
  );
}

interface FormState {
  title: string;
  apiRootUrl: string;
  collectionId: string;
  auth: AuthMode;
  username: string;
  password: string;
  token: string;
  pollIntervalMinutes: number | string;
  marking: IntelMarking;
}

const EMPTY_FORM: FormState = {
  title: '',
  apiRootUrl: '',
  collectionId: '',
  auth: 'token',
  username: '',
  password: '',
  token: '',
  pollIntervalMinutes: 60,
  marking: { tlp: 'AMBER', audience: NO_AUDIENCE },
};

function SubscriptionForm({ editing, onDone, onCancel }: { editing: Subscription | null; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [f, setF] = useState<FormState>(
    editing
      ? {
          ...EMPTY_FORM,
          title: editing.title,
          apiRootUrl: editing.apiRootUrl,
          collectionId: editing.collectionId,
          auth: editing.hasCredentials ? 'basic' : 'none',
          pollIntervalMinutes: editing.pollIntervalMinutes,
          marking: { tlp: editing.tlp, audience: editing.audience },
        }
      : EMPTY_FORM,
  );
  const { busy, error, run } = useAction();
  const patch = (p: Partial<FormState>) => setF((x) => ({ ...x, ...p }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const creds =
      f.auth === 'basic'
        ? { ...(f.username.trim() ? { username: f.username.trim() } : {}), ...(f.password ? { password: f.password } : {}) }
        : f.auth === 'token' && f.token
          ? { token: f.token }
          : {};
    const common = { title: f.title.trim(), pollIntervalMinutes: Number(f.pollIntervalMinutes) || 60, tlp: f.marking.tlp, audience: intelAudience(f.marking) };
    await run(async () => {
      const body = { ...common, apiRootUrl: f.apiRootUrl.trim(), collectionId: f.collectionId.trim(), ...creds };
      if (editing) await api.patch(`/api/v1/intel/subscriptions/${editing.id}`, body);
      else await api.post('/api/v1/intel/subscriptions', body);
      onDone();
    });
  };
  return (
    <Card withBorder component="form" onSubmit={(e: FormEvent) => void submit(e)} aria-labelledby="sub-form-h" data-testid="subscription-form">
      <Stack>
        <Title order={2} size="h3" id="sub-form-h">
          {editing ? t('intel.subs.editTitle', { title: editing.title }) : t('intel.subs.newTitle')}
        </Title>
        <TextInput label={t('intel.subs.titleField')} required maxLength={200} value={f.title} onChange={(e) => patch({ title: e.currentTarget.value })} />
        <TextInput
          label={t('intel.subs.apiRootUrl')}
          description={t('intel.subs.apiRootUrlHelp')}
          type="url"
          required
          placeholder="https://taxii.example.org/api1/"
          value={f.apiRootUrl}
          onChange={(e) => patch({ apiRootUrl: e.currentTarget.value })}
        />
        <TextInput
          label={t('intel.subs.collectionId')}
          required
          value={f.collectionId}
          onChange={(e) => patch({ collectionId: e.currentTarget.value })}
        />
        <div>
          <Text size="sm" fw={500} id="auth-mode-label" mb={4}>
            {t('intel.subs.auth')}
          </Text>
          <SegmentedControl
            aria-labelledby="auth-mode-label"
            value={f.auth}
            onChange={(v) => patch({ auth: v as AuthMode })}
            data={[
              { value: 'none', label: t('intel.subs.authNone') },
              { value: 'basic', label: t('intel.subs.authBasic') },
              { value: 'token', label: t('intel.subs.authToken') },
            ]}
          />
          {editing?.hasCredentials && (
            <Text size="xs" c="dimmed" mt={4}>
              {t('intel.subs.keepCredentials')}
            </Text>
          )}
        </div>
        {f.auth === 'basic' && (
          <Group grow align="flex-start">
            <TextInput label={t('intel.subs.username')} autoComplete="off" value={f.username} onChange={(e) => patch({ username: e.currentTarget.value })} />
            <PasswordInput label={t('intel.subs.password')} autoComplete="new-password" value={f.password} onChange={(e) => patch({ password: e.currentTarget.value })} />
          </Group>
        )}
        {f.auth === 'token' && <PasswordInput label={t('intel.subs.token')} autoComplete="off" value={f.token} onChange={(e) => patch({ token: e.currentTarget.value })} />}
        <Text size="xs" c="dimmed">
          {t('intel.subs.credentialsStored')}
        </Text>
        <NumberInput label={t('intel.subs.interval')} description={t('intel.subs.intervalHelp')} min={5} max={10_080} required value={f.pollIntervalMinutes} onChange={(v) => patch({ pollIntervalMinutes: v })} w={220} />
        <IntelMarkingFields value={f.marking} onChange={(m) => patch({ marking: m })} help={t('intel.subs.tlpHelp')} />
        <IntelError error={error} />
        <Group>
          <Button type="submit" loading={busy}>
            {editing ? t('common.save') : t('intel.subs.create')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function SubscriptionsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const admin = hasRole(me, 'org_admin');
  const subs = useApi<Items<Subscription>>('/api/v1/intel/subscriptions');
  const [form, setForm] = useState<{ editing: Subscription | null } | null>(null);
  const [deleting, setDeleting] = useState<Subscription | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const act = async (key: string, fn: () => Promise<unknown>, done?: string) => {
    setBusy(key);
    setError(null);
    setNotice(null);
    try {
      await fn();
      if (done) setNotice(done);
      subs.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const items = subs.data?.items ?? [];
  return (
    <Page
      title={t('intel.subs.title')}
      actions={
        admin && !form ? (
          <Button onClick={() => setForm({ editing: null })} data-testid="new-subscription">
            {t('intel.subs.new')}
          </Button>
        ) : undefined
      }
    >
      <IntelNav />
      <Text>{admin ? t('intel.subs.introAdmin') : t('intel.subs.introMember')}</Text>
      {form && (
        <SubscriptionForm
          editing={form.editing}
          onCancel={() => setForm(null)}
          onDone={() => {
            setForm(null);
            setNotice(t('common.saved'));
            subs.reload();
          }}
        />
      )}
      <IntelError error={subs.error ?? error} />
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      <section aria-labelledby="subs-h">
        <Title order={2} id="subs-h" mb="xs">
          {t('intel.subs.listTitle')}
        </Title>
        {subs.error ? null : subs.loading && !subs.data ? (
          <Loading />
        ) : items.length === 0 ? (
          <Text>{t('intel.subs.none')}</Text>
        ) : (
          <DataTable
            caption={t('intel.subs.caption')}
            minWidth={1000}
            data-testid="subscriptions-table"
            columns={[
              t('intel.subs.titleField'),
              t('intel.subs.source'),
              t('intel.subs.marking'),
              t('intel.subs.state'),
              t('intel.subs.health'),
              t('intel.subs.received'),
              ...(admin ? [t('common.actions')] : []),
            ]}
            rows={items}
            withTableBorder={false}
          >
            {(s) => (
              <Table.Tr key={s.id} data-testid="subscription-row">
                <Table.Td>{s.title}</Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ wordBreak: 'break-all' }}>
                    {s.apiRootUrl}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('intel.subs.collection', { id: s.collectionId })} · {t('intel.subs.every', { count: s.pollIntervalMinutes })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <TlpBadge tlp={s.tlp} size="sm" />
                </Table.Td>
                <Table.Td>{s.enabled ? t('intel.subs.enabled') : t('intel.subs.disabled')}</Table.Td>
                <Table.Td>
                  <Text size="sm">{t('intel.subs.lastSuccess', { when: labels.dateTime(s.lastSuccessAt) })}</Text>
                  {s.lastError && (
                    <Text size="sm" fw={600}>
                      {t('intel.subs.lastError', { when: labels.dateTime(s.lastErrorAt), error: s.lastError })}
                    </Text>
                  )}
                  <Text size="sm">{s.enabled ? t('intel.subs.nextPoll', { when: labels.dateTime(s.nextPollAt) }) : t('intel.subs.noNextPoll')}</Text>
                </Table.Td>
                <Table.Td>{s.objectsReceived}</Table.Td>
                {admin && (
                  <Table.Td>
                    <Group gap={4} wrap="wrap">
                      <Button
                        size="xs"
                        variant="light"
                        loading={busy === `poll-${s.id}`}
                        onClick={() => void act(`poll-${s.id}`, () => api.post(`/api/v1/intel/subscriptions/${s.id}/poll`), t('intel.subs.polled', { title: s.title }))}
                        aria-label={t('intel.subs.pollNamed', { title: s.title })}
                      >
                        {t('intel.subs.poll')}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        loading={busy === `toggle-${s.id}`}
                        onClick={() => void act(`toggle-${s.id}`, () => api.patch(`/api/v1/intel/subscriptions/${s.id}`, { enabled: !s.enabled }))}
                        aria-label={s.enabled ? t('intel.subs.disableNamed', { title: s.title }) : t('intel.subs.enableNamed', { title: s.title })}
                      >
                        {s.enabled ? t('intel.subs.disable') : t('intel.subs.enable')}
                      </Button>
                      <Button size="xs" variant="default" onClick={() => setForm({ editing: s })} aria-label={t('intel.subs.editNamed', { title: s.title })}>
                        {t('intel.subs.edit')}
                      </Button>
                      <Button size="xs" variant="outline" color="red.9" onClick={() => setDeleting(s)} aria-label={t('intel.subs.deleteNamed', { title: s.title })}>
                        {t('common.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            )}
          </DataTable>
        )}
      </section>
      <ConnectYourTools />
      <Modal opened={!!deleting} onClose={() => setDeleting(null)} title={t('intel.subs.deleteTitle')}>
        <Stack>
          <Text>{t('intel.subs.deleteConfirm', { title: deleting?.title ?? '' })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red.9"
              loading={!!deleting && busy === `del-${deleting.id}`}
              onClick={() => {
                const s = deleting;
                if (!s) return;
                void act(`del-${s.id}`, () => api.del(`/api/v1/intel/subscriptions/${s.id}`)).then(() => setDeleting(null));
              }}
            >
              {t('common.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Page>
  );
}
