import { Alert, Button, Checkbox, Group, Modal, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { useSession } from '../../session';
import { GENDERS, LIMITS, type ApplicationDetail, type ApplicationForm, type FormSession, type Gender, type Question } from './api';
import { ApplicationStatusBadge } from './shared';

/** One answer field for a question of the offer's criteria. */
export function AnswerField({ q, value, onChange }: { q: Question; value: string | boolean | undefined; onChange: (v: string | boolean | undefined) => void }) {
  const { t } = useTranslation();
  if (q.type === 'yes-no')
    return (
      <Select
        label={q.label}
        required={q.required}
        data={[
          { value: 'yes', label: t('applications.yes') },
          { value: 'no', label: t('applications.no') },
        ]}
        value={value === true ? 'yes' : value === false ? 'no' : null}
        onChange={(v) => onChange(v === 'yes' ? true : v === 'no' ? false : undefined)}
        clearable={!q.required}
      />
    );
  if (q.type === 'choice')
    return <Select label={q.label} required={q.required} data={q.options ?? []} value={typeof value === 'string' ? value : null} onChange={(v) => onChange(v ?? undefined)} clearable={!q.required} />;
  return <Textarea label={q.label} required={q.required} autosize minRows={2} maxLength={LIMITS.answer} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.currentTarget.value)} />;
}

/** The application form for one session: motivation, the offer's questions, an optional gender. */
function ApplyForm({ form, session, onDone, onCancel }: { form: ApplicationForm; session: FormSession; onDone: (a: ApplicationDetail) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [motivation, setMotivation] = useState('');
  const [answers, setAnswers] = useState<Record<string, string | boolean | undefined>>({});
  const [gender, setGender] = useState<Gender | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const given = Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined && v !== ''));
      onDone(await api.post<ApplicationDetail>(`/api/v1/offers/${form.offerId}/sessions/${session.id}/applications`, { motivation, answers: given, gender }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack>
        {form.requiresEndorsement && <Alert color="blue">{t('applications.apply.endorsementNote')}</Alert>}
        <Text size="sm">{form.selection === 'first-come' ? t('applications.apply.firstCome') : t('applications.apply.byCriteria')}</Text>
        <Textarea label={t('applications.apply.motivation')} description={t('applications.apply.motivationHelp')} autosize minRows={3} maxLength={LIMITS.motivation} value={motivation} onChange={(e) => setMotivation(e.currentTarget.value)} />
        {form.questions.map((q) => (
          <AnswerField key={q.id} q={q} value={answers[q.id]} onChange={(v) => setAnswers((a) => ({ ...a, [q.id]: v }))} />
        ))}
        <Select
          label={t('applications.apply.gender')}
          description={t('applications.apply.genderHelp')}
          data={GENDERS.map((g) => ({ value: g, label: t(`applications.genders.${g}`) }))}
          value={gender}
          onChange={(v) => setGender((v as Gender | null) ?? null)}
          clearable
        />
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="apply-submit">
            {t('applications.apply.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The offer page's part about applying: each session with its free seats and deadline, the
 * reader's own application to it or a button to apply; for the provider, the way to the
 * applications and the outcomes. The offer page (features/offers/OfferView.tsx) shows it.
 */
export function OfferApplyPanel({ offerId, canManage }: { offerId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { status } = useSession();
  const res = useApi<ApplicationForm>(`/api/v1/offers/${encodeURIComponent(offerId)}/application-form`, { quiet401: true });
  const [applying, setApplying] = useState<FormSession | null>(null);
  const [done, setDone] = useState<ApplicationDetail | null>(null);
  const form = res.data;
  if (!form || form.status === 'draft') return null;
  const mineFor = (s: FormSession) => form.mine.find((m) => m.sessionId === s.id);
  return (
    <section aria-labelledby="apply-title">
      <Title order={2} size="h3" mb="xs" id="apply-title">
        {t('applications.apply.title')}
      </Title>
      <Stack gap="sm">
        {status !== 'signedIn' && (
          <Text size="sm">
            <AppLink to="/sign-in">{t('applications.apply.signIn')}</AppLink>
          </Text>
        )}
        {status === 'signedIn' && !form.eligible && <Alert color="gray">{form.eligibleCountries.length ? t('applications.apply.notEligible', { countries: form.eligibleCountries.map(labels.country).join(', ') }) : t('applications.apply.notVetted')}</Alert>}
        {done && (
          <Alert color="teal" data-testid="apply-done">
            {t(`applications.apply.done.${done.status}`, { defaultValue: t('applications.apply.done.submitted'), position: done.waitlistPosition ?? '' })}
          </Alert>
        )}
        <DataTable
          caption={t('applications.apply.caption')}
          columns={[t('applications.session.when'), t('applications.session.freeSeats'), t('applications.session.deadline'), t('applications.session.yours')]}
          rows={form.sessions}
          empty={t('applications.apply.noSessions')}
        >
          {(s) => {
            const mine = mineFor(s);
            return (
              <Table.Tr key={s.id}>
                <Table.Td>
                  {labels.dateTime(s.startsAt)}
                  {s.cancelled && (
                    <Text size="xs" c="red.9">
                      {t('applications.session.cancelled')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{t('applications.session.seats', { count: s.seats, free: s.freeSeats })}</Table.Td>
                <Table.Td>{s.applicationDeadline ? labels.dateTime(s.applicationDeadline) : '—'}</Table.Td>
                <Table.Td>
                  {mine ? (
                    <AppLink to="/applications">
                      <ApplicationStatusBadge status={mine.status} />
                    </AppLink>
                  ) : s.open && form.eligible && form.status === 'published' ? (
                    <Button size="compact-sm" onClick={() => setApplying(s)} aria-label={t('applications.apply.forSession', { when: labels.dateTime(s.startsAt) })} data-testid="apply-button">
                      {s.freeSeats > 0 || form.selection === 'by-criteria' ? t('applications.apply.button') : t('applications.apply.waitlistButton')}
                    </Button>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('applications.session.closed')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          }}
        </DataTable>
        {canManage && (
          <Group gap="xs">
            <ButtonLink to="/offers/$id/applications" params={{ id: offerId }} variant="default">
              {t('applications.provider.open')}
            </ButtonLink>
            <ButtonLink to="/offers/$id/outcomes" params={{ id: offerId }} variant="default">
              {t('applications.outcomes.open')}
            </ButtonLink>
          </Group>
        )}
      </Stack>
      <Modal opened={applying !== null} onClose={() => setApplying(null)} title={applying ? t('applications.apply.modalTitle', { when: labels.dateTime(applying.startsAt) }) : ''} size="lg">
        {applying && (
          <ApplyForm
            form={form}
            session={applying}
            onCancel={() => setApplying(null)}
            onDone={(a) => {
              setDone(a);
              setApplying(null);
              res.reload();
            }}
          />
        )}
      </Modal>
    </section>
  );
}

/** A question being written by the provider (the settings form), with its options as one line of text. */
export interface QuestionDraft {
  id: string;
  label: string;
  type: Question['type'];
  options: string;
  required: boolean;
}
export const draftOfQuestion = (q: Question): QuestionDraft => ({ id: q.id, label: q.label, type: q.type, options: (q.options ?? []).join('; '), required: !!q.required });
export const questionOfDraft = (d: QuestionDraft): Question => ({
  id: d.id,
  label: d.label.trim(),
  type: d.type,
  ...(d.type === 'choice' ? { options: d.options.split(';').map((o) => o.trim()).filter(Boolean) } : {}),
  required: d.required,
});

/** One question of the settings form. */
export function QuestionEditor({ d, onChange, onRemove }: { d: QuestionDraft; onChange: (d: QuestionDraft) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  return (
    <Group align="flex-end" wrap="wrap" gap="xs">
      <TextInput label={t('applications.settings.questionLabel')} value={d.label} maxLength={LIMITS.label} onChange={(e) => onChange({ ...d, label: e.currentTarget.value })} style={{ flex: 2, minWidth: 200 }} required />
      <Select
        label={t('applications.settings.questionType')}
        data={(['text', 'choice', 'yes-no'] as const).map((x) => ({ value: x, label: t(`applications.settings.types.${x}`) }))}
        value={d.type}
        onChange={(v) => onChange({ ...d, type: (v as Question['type']) ?? 'text' })}
        allowDeselect={false}
        w={150}
      />
      {d.type === 'choice' && (
        <TextInput label={t('applications.settings.options')} description={t('applications.settings.optionsHelp')} value={d.options} onChange={(e) => onChange({ ...d, options: e.currentTarget.value })} style={{ flex: 2, minWidth: 200 }} />
      )}
      <Checkbox label={t('applications.settings.required')} checked={d.required} onChange={(e) => onChange({ ...d, required: e.currentTarget.checked })} mb={8} />
      <Button variant="subtle" color="red.9" onClick={onRemove} aria-label={t('applications.settings.removeQuestion', { label: d.label || d.id })}>
        {t('common.delete')}
      </Button>
    </Group>
  );
}
