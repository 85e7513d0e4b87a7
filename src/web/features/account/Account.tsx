import {
  Alert,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { StatusBadge } from '../../components/StatusBadge';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN } from '#shared/profile';
import { api } from '../../api/client';
import { UI_LANGUAGES, type ApiToken, type Me, type Session, type UiLanguage } from '../../api/types';
import { useApi } from '../../api/useApi';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { useSession } from '../../session';
import { ENDONYMS } from '../auth/Invitation';
import { MfaSetup, RecoveryCodes } from './MfaSetup';
import { DataTable } from '../../components/DataTable';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';

const SPOKEN = ['en', 'es', 'pt', 'fr', 'de', 'it', 'nl', 'pl', 'ro', 'el', 'cs', 'hu', 'sv', 'da', 'fi', 'et', 'lv', 'lt', 'sk', 'sl', 'hr', 'bg', 'ga', 'mt', 'ht', 'qu', 'gn', 'ay'];

function Saved({ show }: { show: boolean }) {
  const { t } = useTranslation();
  return show ? (
    <Alert color="green" role="status">
      {t('common.saved')}
    </Alert>
  ) : null;
}

function Profile() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me, setMe, setLanguage } = useSession();
  const [name, setName] = useState(me?.name ?? '');
  const [languages, setLanguages] = useState<string[]>(me?.languages ?? []);
  const [uiLanguage, setUiLanguage] = useState<UiLanguage>(me?.uiLanguage ?? 'en');
  const [timeZone, setTimeZone] = useState<string | null>(me?.timeZone ?? 'UTC');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const spoken = useMemo(
    () => Array.from(new Set([...SPOKEN, ...languages])).map((c) => ({ value: c, label: labels.language(c) })),
    [labels, languages],
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const updated = await api.patch<Me>('/api/v1/me', { name: name.trim(), languages, uiLanguage, timeZone: timeZone ?? 'UTC' });
      setMe({ ...me!, ...updated });
      await setLanguage(uiLanguage);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={560}>
        <Saved show={saved} />
        <ErrorAlert error={error} />
        <TextInput label={t('signIn.email')} value={me?.email ?? ''} readOnly />
        <TextInput label={t('account.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <MultiSelect label={t('account.languages')} data={spoken} value={languages} onChange={setLanguages} searchable />
        <Select
          label={t('account.uiLanguage')}
          data={UI_LANGUAGES.map((l) => ({ value: l, label: ENDONYMS[l] }))}
          value={uiLanguage}
          allowDeselect={false}
          onChange={(v) => v && setUiLanguage(v as UiLanguage)}
        />
        <TimeZoneSelect label={t('account.timeZone')} description={t('account.timeZoneHelp')} value={timeZone} onChange={(z) => setTimeZone(z || 'UTC')} />
        <Group>
          <Button type="submit" loading={busy} disabled={!name.trim()}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ChangePassword() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [revokeTokens, setRevokeTokens] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const tooShort = next.length > 0 && next.length < PASSWORD_MIN;
  const mismatch = confirm.length > 0 && confirm !== next;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (tooShort || mismatch) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await api.post('/api/v1/me/password', { currentPassword: current, newPassword: next, revokeTokens }, { quiet401: true });
      setSaved(true);
      setCurrent('');
      setNext('');
      setConfirm('');
      setRevokeTokens(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={460}>
        <Saved show={saved} />
        <ErrorAlert error={error} />
        <PasswordInput visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }} label={t('account.currentPassword')} autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} />
        <PasswordInput
          visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }}
          label={t('account.newPassword')}
          description={t('account.passwordRule')}
          autoComplete="new-password"
          required
          value={next}
          error={tooShort ? t('account.passwordTooShort', { min: PASSWORD_MIN }) : undefined}
          onChange={(e) => setNext(e.currentTarget.value)}
        />
        <PasswordInput
          visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }}
          label={t('account.confirmPassword')}
          autoComplete="new-password"
          required
          value={confirm}
          error={mismatch ? t('account.passwordMismatch') : undefined}
          onChange={(e) => setConfirm(e.currentTarget.value)}
        />
        <Checkbox
          label={t('account.revokeTokens')}
          description={t('account.revokeTokensHelp')}
          checked={revokeTokens}
          onChange={(e) => setRevokeTokens(e.currentTarget.checked)}
        />
        <Group>
          <Button type="submit" loading={busy} disabled={!current || !next || next !== confirm || tooShort}>
            {t('account.changePassword')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function PasswordPrompt({
  opened,
  title,
  confirmLabel,
  onClose,
  onConfirm,
  danger,
}: {
  opened: boolean;
  title: string;
  confirmLabel: string;
  onClose: () => void;
  onConfirm: (password: string) => Promise<void>;
  danger?: boolean;
}) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirm(password);
      setPassword('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <PasswordInput visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }} label={t('account.currentPassword')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={danger ? 'red' : undefined} loading={busy} disabled={!password}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function MfaSection() {
  const { t } = useTranslation();
  const { me, refresh } = useSession();
  const [settingUp, setSettingUp] = useState(false);
  const [prompt, setPrompt] = useState<'disable' | 'regenerate' | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (!me) return null;
  if (codes)
    return (
      <RecoveryCodes
        codes={codes}
        onDone={() => {
          setCodes(null);
        }}
      />
    );
  if (!me.mfaEnabled)
    return (
      <Stack maw={720}>
        <Text>
          {t('mfa.status')}: <StatusBadge color="gray">{t('mfa.off')}</StatusBadge>
        </Text>
        {notice && (
          <Alert color="green" role="status">
            {notice}
          </Alert>
        )}
        {settingUp ? (
          <MfaSetup
            onDone={() => {
              setSettingUp(false);
              void refresh();
            }}
          />
        ) : (
          <>
            <Text>{t('mfa.intro')}</Text>
            <Text size="sm">{t('mfa.revokesTokens')}</Text>
            <Group>
              <Button onClick={() => setSettingUp(true)} data-testid="mfa-setup">
                {t('mfa.setUp')}
              </Button>
            </Group>
          </>
        )}
      </Stack>
    );
  return (
    <Stack maw={720}>
      <Text>
        {t('mfa.status')}: <StatusBadge color="green">{t('mfa.on')}</StatusBadge>
      </Text>
      {me.organisation?.mfaRequired && <Text size="sm">{t('mfa.requiredByOrg')}</Text>}
      <Group>
        <Button variant="default" onClick={() => setPrompt('regenerate')}>
          {t('mfa.regenerate')}
        </Button>
        <Button color="red.9" variant="outline" onClick={() => setPrompt('disable')} disabled={!!me.organisation?.mfaRequired}>
          {t('mfa.disable')}
        </Button>
      </Group>
      <PasswordPrompt
        opened={prompt === 'disable'}
        title={t('mfa.disable')}
        confirmLabel={t('mfa.disable')}
        danger
        onClose={() => setPrompt(null)}
        onConfirm={async (password) => {
          await api.post('/api/v1/me/mfa/disable', { password });
          setPrompt(null);
          setNotice(t('mfa.disabled'));
          await refresh();
        }}
      />
      <PasswordPrompt
        opened={prompt === 'regenerate'}
        title={t('mfa.regenerate')}
        confirmLabel={t('mfa.regenerate')}
        onClose={() => setPrompt(null)}
        onConfirm={async (password) => {
          const res = await api.post<{ recoveryCodes: string[] }>('/api/v1/me/mfa/recovery-codes', { password });
          setPrompt(null);
          setCodes(res.recoveryCodes);
        }}
      />
    </Stack>
  );
}

function Sessions() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { signOut } = useSession();
  const sessions = useApi<Session[]>('/api/v1/me/sessions');
  const [error, setError] = useState<unknown>(null);
  const revoke = async (id: string) => {
    setError(null);
    try {
      await api.del(`/api/v1/me/sessions/${id}`);
      sessions.reload();
    } catch (err) {
      setError(err);
    }
  };
  const everywhere = async () => {
    setError(null);
    try {
      await api.post('/api/v1/auth/logout-everywhere');
    } catch (err) {
      setError(err);
      return;
    }
    await signOut();
  };
  const list = Array.isArray(sessions.data) ? sessions.data : ((sessions.data as unknown as { items?: Session[] })?.items ?? []);
  return (
    <Stack>
      <ErrorAlert error={error ?? sessions.error} />
      {sessions.loading && <Loading />}
      <DataTable
        minWidth={640}
        caption={t('sessions.caption')}
        columns={[t('sessions.device'), t('sessions.ip'), t('sessions.created'), t('sessions.lastSeen'), t('common.actions')]}
        rows={list}
      >
        {(s) => (
          <Table.Tr key={s.id}>
            <Table.Td>
              {s.userAgent ?? '—'} {s.current && <StatusBadge ml="xs">{t('sessions.current')}</StatusBadge>}
            </Table.Td>
            <Table.Td>{s.ip ?? '—'}</Table.Td>
            <Table.Td>{labels.dateTime(s.createdAt)}</Table.Td>
            <Table.Td>{labels.dateTime(s.lastSeenAt)}</Table.Td>
            <Table.Td>
              {!s.current && (
                <Button size="xs" variant="outline" color="red.9" onClick={() => void revoke(s.id)}>
                  {t('sessions.revoke')}
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        )}
      </DataTable>
      <Text size="sm">{t('sessions.signOutEverywhereExplain')}</Text>
      <Group>
        <Button color="red.9" variant="light" onClick={() => void everywhere()}>
          {t('sessions.signOutEverywhere')}
        </Button>
      </Group>
    </Stack>
  );
}

function Tokens() {
  const { t } = useTranslation();
  const labels = useLabels();
  const tokens = useApi<ApiToken[]>('/api/v1/tokens');
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'read' | 'write'>('read');
  const [days, setDays] = useState<number | string>(90);
  const [created, setCreated] = useState<ApiToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const list = Array.isArray(tokens.data) ? tokens.data : ((tokens.data as unknown as { items?: ApiToken[] })?.items ?? []);
  const daysNum = Number(days);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const token = await api.post<ApiToken>('/api/v1/tokens', { name: name.trim(), scope, expiresInDays: daysNum });
      setCreated(token);
      setName('');
      tokens.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (id: string) => {
    setError(null);
    try {
      await api.del(`/api/v1/tokens/${id}`);
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack>
      <ErrorAlert error={error ?? tokens.error} />
      {created?.token && (
        <Alert color="green" title={t('tokens.createdTitle')} role="status">
          <Stack gap="xs">
            <Text size="sm">{t('tokens.createdExplain')}</Text>
            <Group gap="xs">
              <Code data-testid="new-token">{created.token}</Code>
              <CopyButton value={created.token}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="default" onClick={copy}>
                    {copied ? t('common.copied') : t('common.copy')}
                  </Button>
                )}
              </CopyButton>
              <Button size="xs" variant="subtle" onClick={() => setCreated(null)}>
                {t('common.dismiss')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <Paper withBorder p="md">
        <form onSubmit={create} noValidate>
          <Title order={3} size="h5" mb="sm">
            {t('tokens.create')}
          </Title>
          <Group align="flex-end" wrap="wrap">
            <TextInput label={t('tokens.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Select
              label={t('tokens.scope')}
              data={[
                { value: 'read', label: t('tokens.scopeRead') },
                { value: 'write', label: t('tokens.scopeWrite') },
              ]}
              value={scope}
              allowDeselect={false}
              onChange={(v) => v && setScope(v as 'read' | 'write')}
            />
            <NumberInput label={t('tokens.expiresInDays')} min={1} max={365} value={days} onChange={setDays} w={160} />
            <Button type="submit" loading={busy} disabled={!name.trim() || !(daysNum >= 1 && daysNum <= 365)}>
              {t('tokens.createButton')}
            </Button>
          </Group>
        </form>
      </Paper>
      {!tokens.error && (
      <DataTable
        minWidth={640}
        caption={t('tokens.caption')}
        columns={[t('tokens.name'), t('tokens.prefix'), t('tokens.scope'), t('tokens.expires'), t('tokens.lastUsed'), t('common.actions')]}
        rows={list}
        empty={t('tokens.none')}
      >
        {(tok) => (
          <Table.Tr key={tok.id}>
            <Table.Td>{tok.name}</Table.Td>
            <Table.Td>
              <Code>{tok.prefix}</Code>
            </Table.Td>
            <Table.Td>{tok.scope === 'write' ? t('tokens.scopeWrite') : t('tokens.scopeRead')}</Table.Td>
            <Table.Td>{labels.date(tok.expiresAt)}</Table.Td>
            <Table.Td>{labels.dateTime(tok.lastUsedAt)}</Table.Td>
            <Table.Td>
              <Button size="xs" variant="outline" color="red.9" onClick={() => void revoke(tok.id)} aria-label={t('tokens.revokeNamed', { name: tok.name })}>
                {t('tokens.revoke')}
              </Button>
            </Table.Td>
          </Table.Tr>
        )}
      </DataTable>
      )}
    </Stack>
  );
}

export function AccountPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>('profile');
  return (
    <Page title={t('account.title')}>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="profile">{t('account.profile')}</Tabs.Tab>
          <Tabs.Tab value="password">{t('account.password')}</Tabs.Tab>
          <Tabs.Tab value="mfa">{t('mfa.title')}</Tabs.Tab>
          <Tabs.Tab value="sessions">{t('sessions.title')}</Tabs.Tab>
          <Tabs.Tab value="tokens">{t('tokens.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="profile" pt="md">
          <Profile />
        </Tabs.Panel>
        <Tabs.Panel value="password" pt="md">
          <ChangePassword />
        </Tabs.Panel>
        <Tabs.Panel value="mfa" pt="md">
          <MfaSection />
        </Tabs.Panel>
        <Tabs.Panel value="sessions" pt="md">
          <Sessions />
        </Tabs.Panel>
        <Tabs.Panel value="tokens" pt="md">
          <Tokens />
        </Tabs.Panel>
      </Tabs>
    </Page>
  );
}
