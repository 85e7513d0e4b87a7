import { Alert, Button, Paper, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN } from '#shared/profile';
import { api } from '../../api/client';
import { UI_LANGUAGES, type LoginResponse, type UiLanguage } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { currentLanguage } from '../../i18n';
import { useSession } from '../../session';

interface InvitationInfo {
  email: string;
  name: string | null;
  organisation: { id: string; name: string; country: string };
}

export const ENDONYMS: Record<UiLanguage, string> = { en: 'English', es: 'Español', pt: 'Português', fr: 'Français' };

export function AcceptInvitation() {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const { signedIn } = useSession();
  const search = useSearch({ strict: false }) as { token?: unknown };
  const token = search.token === undefined ? '' : String(search.token);
  const info = useApi<InvitationInfo>(token ? `/api/v1/invitations/by-token/${encodeURIComponent(token)}` : null, { quiet401: true });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [uiLanguage, setUiLanguage] = useState<UiLanguage>(currentLanguage(i18n.resolvedLanguage));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (info.data?.name) setName((n) => n || info.data!.name!);
  }, [info.data]);

  const tooShort = password.length > 0 && password.length < PASSWORD_MIN;
  const mismatch = confirm.length > 0 && confirm !== password;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (tooShort || mismatch || !name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api.post<LoginResponse>(
        `/api/v1/invitations/by-token/${encodeURIComponent(token)}/accept`,
        { name: name.trim(), password, uiLanguage },
        { quiet401: true },
      );
      if (res.me) {
        await signedIn(res.me, res.csrfToken);
        void navigate({ to: res.me.mfaEnrolmentRequired ? '/mfa-required' : '/' });
      } else {
        void navigate({ to: '/sign-in' });
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('invitation.title')}>
      <Paper withBorder p="lg" maw={520}>
        {!token ? (
          <Alert color="red">{t('invitation.missingToken')}</Alert>
        ) : info.loading ? (
          <Loading />
        ) : info.error ? (
          <Stack>
            <Alert color="red" role="alert">
              {info.error.code === 'GONE' || info.error.status === 404 ? t('invitation.gone') : t('errors.generic')}
            </Alert>
            <AppLink to="/sign-in">{t('nav.signIn')}</AppLink>
          </Stack>
        ) : info.data ? (
          <form onSubmit={submit} noValidate>
            <Stack>
              <Text data-testid="invitation-org">
                {t('invitation.intro', { organisation: info.data.organisation.name, country: labels.country(info.data.organisation.country) })}
              </Text>
              <TextInput label={t('signIn.email')} value={info.data.email} readOnly />
              <ErrorAlert error={error} />
              <TextInput label={t('account.name')} required autoComplete="name" value={name} onChange={(e) => setName(e.currentTarget.value)} name="name" />
              <PasswordInput
                visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }}
                label={t('account.newPassword')}
                description={t('account.passwordRule')}
                required
                autoComplete="new-password"
                value={password}
                error={tooShort ? t('account.passwordTooShort', { min: PASSWORD_MIN }) : undefined}
                onChange={(e) => setPassword(e.currentTarget.value)}
                name="password"
              />
              <PasswordInput
                visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }}
                label={t('account.confirmPassword')}
                required
                autoComplete="new-password"
                value={confirm}
                error={mismatch ? t('account.passwordMismatch') : undefined}
                onChange={(e) => setConfirm(e.currentTarget.value)}
                name="confirm"
              />
              <Select
                label={t('account.uiLanguage')}
                data={UI_LANGUAGES.map((l) => ({ value: l, label: ENDONYMS[l] }))}
                value={uiLanguage}
                allowDeselect={false}
                onChange={(v) => v && setUiLanguage(v as UiLanguage)}
              />
              <Button type="submit" loading={busy} disabled={!name.trim() || !password || password !== confirm || tooShort}>
                {t('invitation.submit')}
              </Button>
            </Stack>
          </form>
        ) : null}
      </Paper>
    </Page>
  );
}
