import { Alert, Button, Paper, PasswordInput, Stack, Text, TextInput, Anchor, SegmentedControl } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN } from '#shared/profile';
import { api } from '../../api/client';
import type { LoginResponse } from '../../api/types';
import { AppLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Page } from '../../components/Page';
import { safeNext, useSession } from '../../session';

export function SignIn() {
  const { t } = useTranslation();
  const search = useSearch({ strict: false }) as { next?: string };
  const navigate = useNavigate();
  const { signedIn, status, me } = useSession();
  const [step, setStep] = useState<'password' | 'mfa'>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [codeKind, setCodeKind] = useState<'totp' | 'recovery'>('totp');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Checked when the form is sent (Enter or the button), never by disabling the button.
  const [missing, setMissing] = useState<{ email?: boolean; password?: boolean; code?: boolean }>({});
  const codeRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  // Back where the person was going (a same-site path only), in place of the sign-in page.
  const goOn = useCallback(
    (signedInMe: { mfaEnrolmentRequired: boolean }) =>
      void navigate(signedInMe.mfaEnrolmentRequired ? { to: '/mfa-required', replace: true } : ({ href: safeNext(search.next), replace: true } as never)),
    [navigate, search.next],
  );

  useEffect(() => {
    if (status === 'signedIn' && me) goOn(me);
  }, [status, me, goOn]);

  useEffect(() => {
    if (step === 'mfa') codeRef.current?.focus();
  }, [step, codeKind]);

  const finish = async (res: LoginResponse) => {
    if (res.status === 'ok' && res.me) {
      await signedIn(res.me, res.csrfToken);
      goOn(res.me);
      return;
    }
    setStep('mfa');
  };

  const submitPassword = async (e: FormEvent) => {
    e.preventDefault();
    const empty = { email: !email.trim(), password: !password };
    setMissing(empty);
    if (empty.email || empty.password) {
      (empty.email ? emailRef : passwordRef).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await finish(await api.post<LoginResponse>('/api/v1/auth/login', { email: email.trim(), password }, { quiet401: true }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const submitCode = async (e: FormEvent) => {
    e.preventDefault();
    if (!code.trim()) {
      setMissing({ code: true });
      codeRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const value = codeKind === 'totp' ? code.replace(/\s+/g, '') : code.trim().toLowerCase();
      const res = await api.post<LoginResponse>('/api/v1/auth/login', { code: value }, { quiet401: true });
      await finish(res);
    } catch (err) {
      setError(err);
      if ((err as { code?: string })?.code === 'MFA_REQUIRED') {
        setStep('password');
        setCode('');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={step === 'password' ? t('signIn.title') : t('signIn.mfaTitle')}>
      <Paper withBorder p="lg" maw={460}>
        {step === 'password' ? (
          <form onSubmit={submitPassword} noValidate>
            <Stack>
              <ErrorAlert error={error} />
              <TextInput
                ref={emailRef}
                label={t('signIn.email')}
                type="email"
                autoComplete="username"
                required
                value={email}
                error={missing.email ? t('common.required') : undefined}
                onChange={(e) => {
                  setEmail(e.currentTarget.value);
                  if (missing.email) setMissing((m) => ({ ...m, email: false }));
                }}
                name="email"
              />
              <PasswordInput
                ref={passwordRef}
                label={t('signIn.password')}
                autoComplete="current-password"
                required
                value={password}
                error={missing.password ? t('common.required') : undefined}
                onChange={(e) => {
                  setPassword(e.currentTarget.value);
                  if (missing.password) setMissing((m) => ({ ...m, password: false }));
                }}
                visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }}
                name="password"
              />
              <Button type="submit" loading={busy}>
                {t('signIn.submit')}
              </Button>
              <AppLink to="/forgot-password" size="sm">
                {t('signIn.forgot')}
              </AppLink>
              <Text size="sm">
                {t('signIn.noAccount')} <AppLink to="/join">{t('nav.join')}</AppLink>
              </Text>
            </Stack>
          </form>
        ) : (
          <form onSubmit={submitCode} noValidate>
            <Stack>
              <Text>{codeKind === 'totp' ? t('signIn.mfaIntro') : t('signIn.recoveryIntro')}</Text>
              <ErrorAlert error={error} />
              <SegmentedControl
                value={codeKind}
                onChange={(v) => {
                  setCodeKind(v as 'totp' | 'recovery');
                  setCode('');
                }}
                data={[
                  { value: 'totp', label: t('signIn.useAuthenticator') },
                  { value: 'recovery', label: t('signIn.useRecovery') },
                ]}
                aria-label={t('signIn.codeKind')}
              />
              <TextInput
                ref={codeRef}
                label={codeKind === 'totp' ? t('signIn.code') : t('signIn.recoveryCode')}
                inputMode={codeKind === 'totp' ? 'numeric' : 'text'}
                autoComplete="one-time-code"
                required
                value={code}
                error={missing.code ? t('common.required') : undefined}
                onChange={(e) => {
                  setCode(e.currentTarget.value);
                  if (missing.code) setMissing({});
                }}
                name="code"
              />
              <Button type="submit" loading={busy}>
                {t('signIn.verify')}
              </Button>
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() => {
                  setStep('password');
                  setCode('');
                  setError(null);
                }}
              >
                {t('signIn.startOver')}
              </Anchor>
            </Stack>
          </form>
        )}
      </Paper>
    </Page>
  );
}

export function ForgotPassword() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/auth/password-reset', { email: email.trim() }, { quiet401: true });
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('reset.requestTitle')}>
      <Paper withBorder p="lg" maw={460}>
        {sent ? (
          <Stack>
            <Alert color="green" role="status">
              {t('reset.requestSent')}
            </Alert>
            <AppLink to="/sign-in">{t('nav.signIn')}</AppLink>
          </Stack>
        ) : (
          <form onSubmit={submit} noValidate>
            <Stack>
              <Text>{t('reset.requestIntro')}</Text>
              <ErrorAlert error={error} />
              <TextInput
                label={t('signIn.email')}
                type="email"
                autoComplete="email"
                required
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              <Button type="submit" loading={busy} disabled={!email.includes('@')}>
                {t('reset.requestSubmit')}
              </Button>
            </Stack>
          </form>
        )}
      </Paper>
    </Page>
  );
}

export function ResetPassword() {
  const { t } = useTranslation();
  const search = useSearch({ strict: false }) as { token?: unknown };
  const token = search.token === undefined ? '' : String(search.token);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const mismatch = confirm.length > 0 && confirm !== password;
  const tooShort = password.length > 0 && password.length < PASSWORD_MIN;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mismatch || tooShort) return;
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/auth/password-reset/complete', { token, password }, { quiet401: true });
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('reset.completeTitle')}>
      <Paper withBorder p="lg" maw={460}>
        {!token ? (
          <Alert color="red">{t('reset.missingToken')}</Alert>
        ) : done ? (
          <Stack>
            <Alert color="green" role="status">
              {t('reset.done')}
            </Alert>
            <AppLink to="/sign-in">{t('nav.signIn')}</AppLink>
          </Stack>
        ) : (
          <form onSubmit={submit} noValidate>
            <Stack>
              <ErrorAlert error={error} />
              <PasswordInput
                visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }}
                label={t('account.newPassword')}
                description={t('account.passwordRule')}
                autoComplete="new-password"
                required
                value={password}
                error={tooShort ? t('account.passwordTooShort', { min: PASSWORD_MIN }) : undefined}
                onChange={(e) => setPassword(e.currentTarget.value)}
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
              <Button type="submit" loading={busy} disabled={!password || password !== confirm || tooShort}>
                {t('reset.completeSubmit')}
              </Button>
            </Stack>
          </form>
        )}
      </Paper>
    </Page>
  );
}
