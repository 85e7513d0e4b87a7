import { Alert, Anchor, Button, Card, Group, Modal, NumberInput, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { certificatePdfPath, LIMITS, type Application, type ApplicationDetail } from './api';
import { ApplicationStatusBadge } from './shared';

/** When and where a session is, in the reader's time zone. */
function SessionLine({ a }: { a: Application }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const where = [a.session.online ? t('applications.session.online') : '', a.session.place, labels.country(a.session.country)].filter(Boolean).join(', ');
  return (
    <Text size="sm">
      {labels.dateTime(a.session.startsAt)} – {labels.dateTime(a.session.endsAt)}
      {where && ` · ${where}`}
      {a.session.cancelled && ` · ${t('applications.session.cancelled')}`}
    </Text>
  );
}

/** The feedback form: satisfaction and usefulness from 1 to 5, comments, follow-up actions. */
function FeedbackForm({ a, onDone, onCancel }: { a: Application; onDone: (x: ApplicationDetail) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [satisfaction, setSatisfaction] = useState<number | string>('');
  const [usefulness, setUsefulness] = useState<number | string>('');
  const [comments, setComments] = useState('');
  const [followUp, setFollowUp] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await api.post<ApplicationDetail>(`/api/v1/applications/${a.id}/feedback`, { satisfaction: Number(satisfaction), usefulness: Number(usefulness), comments, followUp }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack>
        <Text size="sm">{t('applications.feedback.intro')}</Text>
        <NumberInput label={t('applications.feedback.satisfaction')} description={t('applications.feedback.scale')} min={1} max={5} step={1} allowDecimal={false} required value={satisfaction} onChange={setSatisfaction} />
        <NumberInput label={t('applications.feedback.usefulness')} description={t('applications.feedback.scale')} min={1} max={5} step={1} allowDecimal={false} required value={usefulness} onChange={setUsefulness} />
        <Textarea label={t('applications.feedback.comments')} autosize minRows={2} maxLength={LIMITS.comments} value={comments} onChange={(e) => setComments(e.currentTarget.value)} />
        <Textarea label={t('applications.feedback.followUp')} description={t('applications.feedback.followUpHelp')} autosize minRows={2} maxLength={LIMITS.followUp} value={followUp} onChange={(e) => setFollowUp(e.currentTarget.value)} />
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="feedback-submit">
            {t('applications.feedback.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One of my applications: its offer and session, status, decision, certificate, feedback and what I can do. */
function MyApplication({ a, onChange }: { a: Application; onChange: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [confirm, setConfirm] = useState(false);
  const [feedback, setFeedback] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const withdraw = async () => {
    setError(null);
    try {
      await api.post(`/api/v1/applications/${a.id}/withdraw`);
      setConfirm(false);
      onChange();
    } catch (e) {
      setError(e);
      setConfirm(false);
    }
  };
  return (
    <Card component="li" withBorder padding="md" data-testid="my-application">
      <Stack gap={6}>
        <Title order={2} size="h4">
          <AppLink to="/offers/$id" params={{ id: a.offer.slug }}>
            {a.offer.title}
          </AppLink>
        </Title>
        <Text size="sm">{t('applications.mine.provider', { name: a.offer.provider.name })}</Text>
        <SessionLine a={a} />
        <Group gap="xs">
          <ApplicationStatusBadge status={a.status} position={a.waitlistPosition} />
          <Text size="xs" c="dimmed">
            {t('applications.mine.appliedOn', { date: labels.date(a.appliedAt) })}
          </Text>
        </Group>
        {a.status === 'not-selected' && a.decisionReason && <Text size="sm">{t('applications.mine.reason', { reason: a.decisionReason })}</Text>}
        {a.status === 'endorsement-refused' && a.endorsement?.note && <Text size="sm">{t('applications.mine.reason', { reason: a.endorsement.note })}</Text>}
        {a.attended !== null && <Text size="sm">{a.attended ? t('applications.mine.attended') : t('applications.mine.notAttended')}</Text>}
        {a.certificate && (
          <Group gap="sm">
            {a.certificate.revoked ? (
              <Text size="sm" c="red.9">
                {t('applications.mine.certificateRevoked')}
              </Text>
            ) : (
              <>
                <Button component="a" href={certificatePdfPath(a.id)} download size="compact-sm" data-testid="certificate-download">
                  {t('applications.mine.certificate')}
                </Button>
                {a.certificate.url && (
                  <Anchor href={a.certificate.url} size="sm">
                    {t('applications.mine.verify')}
                  </Anchor>
                )}
              </>
            )}
          </Group>
        )}
        {a.feedbackGiven && <Text size="sm">{t('applications.mine.feedbackThanks')}</Text>}
        <ErrorAlert error={error} />
        {(a.can.feedback || a.can.withdraw) && (
          <Group gap="xs">
            {a.can.feedback && (
              <Button size="compact-sm" onClick={() => setFeedback(true)} data-testid="feedback-open">
                {t('applications.feedback.open')}
              </Button>
            )}
            {a.can.withdraw && (
              <Button size="compact-sm" variant="outline" color="red.9" onClick={() => setConfirm(true)}>
                {t('applications.mine.withdraw')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
      <Modal opened={confirm} onClose={() => setConfirm(false)} title={t('applications.mine.withdrawTitle')}>
        <Stack>
          <Text>{a.status === 'selected' ? t('applications.mine.withdrawSeat', { title: a.offer.title }) : t('applications.mine.withdrawConfirm', { title: a.offer.title })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red.9" onClick={() => void withdraw()}>
              {t('applications.mine.withdraw')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={feedback} onClose={() => setFeedback(false)} title={t('applications.feedback.title', { title: a.offer.title })} size="lg">
        {feedback && (
          <FeedbackForm
            a={a}
            onCancel={() => setFeedback(false)}
            onDone={() => {
              setFeedback(false);
              onChange();
            }}
          />
        )}
      </Modal>
    </Card>
  );
}

/** An application waiting for my endorsement (as organisation admin or national focal point). */
function Endorsement({ a, onChange }: { a: Application; onChange: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = async (path: 'endorse' | 'refuse-endorsement') => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/applications/${a.id}/${path}`, { note });
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card component="li" withBorder padding="md" data-testid="endorsement">
      <Stack gap={6}>
        <Text fw={600}>{t('applications.endorse.who', { name: a.applicant.name, organisation: a.applicant.organisation.name, country: labels.country(a.applicant.country) })}</Text>
        <Text size="sm">
          <AppLink to="/offers/$id" params={{ id: a.offer.slug }}>
            {a.offer.title}
          </AppLink>{' '}
          · {a.offer.provider.name}
        </Text>
        <SessionLine a={a} />
        {a.motivation && (
          <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
            {a.motivation}
          </Text>
        )}
        <Textarea label={t('applications.endorse.note')} autosize minRows={1} maxLength={LIMITS.note} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <ErrorAlert error={error} />
        <Group gap="xs">
          <Button size="compact-sm" onClick={() => void act('endorse')} loading={busy} aria-label={t('applications.endorse.endorseOne', { name: a.applicant.name })}>
            {t('applications.endorse.endorse')}
          </Button>
          <Button size="compact-sm" variant="outline" color="red.9" onClick={() => void act('refuse-endorsement')} loading={busy} aria-label={t('applications.endorse.refuseOne', { name: a.applicant.name })}>
            {t('applications.endorse.refuse')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** "My applications" (`/applications`): mine, and those waiting for an endorsement I may give. */
export function MyApplicationsPage() {
  const { t } = useTranslation();
  const mine = useApi<{ items: Application[] }>('/api/v1/applications');
  const pending = useApi<{ items: Application[] }>('/api/v1/applications/endorsements');
  if (mine.loading && !mine.data) return <Loading />;
  const items = mine.data?.items ?? [];
  const toEndorse = pending.data?.items ?? [];
  return (
    <Page title={t('applications.mine.title')}>
      <Text>{t('applications.mine.intro')}</Text>
      <ErrorAlert error={mine.error} />
      {toEndorse.length > 0 && (
        <section aria-labelledby="endorse-title">
          <Title order={2} size="h3" id="endorse-title" mb="xs">
            {t('applications.endorse.title', { count: toEndorse.length })}
          </Title>
          <Text size="sm" mb="xs">
            {t('applications.endorse.intro')}
          </Text>
          <Stack component="ul" className="plain-list" gap="sm">
            {toEndorse.map((a) => (
              <Endorsement
                key={a.id}
                a={a}
                onChange={() => {
                  pending.reload();
                  mine.reload();
                }}
              />
            ))}
          </Stack>
        </section>
      )}
      {items.length === 0 ? (
        <Alert color="gray">
          {t('applications.mine.none')} <AppLink to="/offers">{t('applications.mine.catalogue')}</AppLink>
        </Alert>
      ) : (
        <>
          <Text size="sm" c="dimmed">
            {t('applications.mine.count', { count: items.length })}
          </Text>
          <Stack component="ul" className="plain-list" gap="sm">
            {items.map((a) => (
              <MyApplication key={a.id} a={a} onChange={mine.reload} />
            ))}
          </Stack>
        </>
      )}
    </Page>
  );
}
