import { Alert, Button, Code, CopyButton, Group, Image, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Page } from '../../components/Page';
import { useSession } from '../../session';

interface SetupResponse {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

export function RecoveryCodes({ codes, onDone, doneLabel }: { codes: string[]; onDone?: () => void; doneLabel?: string }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const text = `${t('mfa.recoveryFileHeader')}\n\n${codes.join('\n')}\n`;
    const objectUrl = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    setUrl(objectUrl);
    ref.current?.focus();
    return () => URL.revokeObjectURL(objectUrl);
  }, [codes, t]);
  return (
    <Stack ref={ref} tabIndex={-1} data-testid="recovery-codes">
      <Title order={3} size="h4">
        {t('mfa.recoveryTitle')}
      </Title>
      <Alert color="yellow">{t('mfa.recoveryExplain')}</Alert>
      <List className="recovery-codes" listStyleType="none" aria-label={t('mfa.recoveryTitle')}>
        {codes.map((c) => (
          <List.Item key={c}>
            <Code>{c}</Code>
          </List.Item>
        ))}
      </List>
      <Group>
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? t('common.copied') : t('mfa.copyCodes')}
            </Button>
          )}
        </CopyButton>
        {url && (
          <Button component="a" href={url} download="puente-recovery-codes.txt" variant="default">
            {t('mfa.downloadCodes')}
          </Button>
        )}
        {onDone && <Button onClick={onDone}>{doneLabel ?? t('mfa.savedCodes')}</Button>}
      </Group>
    </Stack>
  );
}

/** Set up TOTP: QR code + secret, confirm a code, show the recovery codes once. */
export function MfaSetup({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [setup, setSetup] = useState<SetupResponse | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setSetup(await api.post<SetupResponse>('/api/v1/me/mfa/setup', {}));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api.post<{ recoveryCodes: string[] }>('/api/v1/me/mfa/enable', { code: code.replace(/\s+/g, '') });
      setCodes(res.recoveryCodes);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (codes) return <RecoveryCodes codes={codes} onDone={onDone} />;

  if (!setup)
    return (
      <Stack>
        <Text>{t('mfa.intro')}</Text>
        <Text size="sm">{t('mfa.revokesTokens')}</Text>
        <ErrorAlert error={error} />
        <Group>
          <Button onClick={() => void start()} loading={busy} data-testid="mfa-start">
            {t('mfa.start')}
          </Button>
        </Group>
      </Stack>
    );

  return (
    <form onSubmit={confirm} noValidate>
      <Stack>
        <Text>{t('mfa.scan')}</Text>
        <Image src={setup.qrDataUrl} alt={t('mfa.qrAlt')} className="qr-image" w={200} h={200} />
        <Text>{t('mfa.manual')}</Text>
        <Group gap="xs">
          <Code data-testid="mfa-secret" fz="md">
            {setup.secret}
          </Code>
          <CopyButton value={setup.secret}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        <ErrorAlert error={error} />
        <TextInput
          label={t('mfa.confirmCode')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={8}
          required
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          maw={240}
          name="code"
        />
        <Group>
          <Button type="submit" loading={busy} disabled={code.replace(/\s+/g, '').length < 6}>
            {t('mfa.enable')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The only page shown while the organisation requires MFA and the person has not set it up. */
export function MfaRequiredPage() {
  const { t } = useTranslation();
  const { refresh, me } = useSession();
  return (
    <Page title={t('mfa.requiredTitle')}>
      <Alert color="blue" maw={720}>
        {t('mfa.requiredExplain', { organisation: me?.organisation?.name ?? '' })}
      </Alert>
      <div style={{ maxWidth: 720 }}>
        <MfaSetup
          onDone={() => {
            void refresh();
          }}
        />
      </div>
    </Page>
  );
}
