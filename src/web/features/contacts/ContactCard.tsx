import { Alert, Anchor, Button, Group, List, Stack, Text, Title } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Tlp } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { TlpBadge } from '../../components/TlpBadge';
import { VcardActions } from './Exchange';
import { ContactCheckHistory } from '../checks/Checks';
import { groupFingerprint, type Contact, type Field } from './api';
import { FlaggedBadge, KindBadges, StaleBadge, useConfirmedAgo } from './badges';

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
