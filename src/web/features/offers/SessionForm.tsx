import { Button, Checkbox, Group, NumberInput, Paper, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CountrySelect } from '../../components/CountrySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { useLabels } from '../../components/labels';
import { LIMITS, type Session } from './api';

/** A session as the API takes it: wall times in the session's own zone. */
export interface SessionDraft {
  startsAt: string;
  endsAt: string;
  timeZone: string;
  place: string;
  country: string | null;
  online: boolean;
  seats: number;
  applicationDeadline: string;
}

export const draftOf = (s: Session, deadline: string): SessionDraft => ({
  startsAt: s.localStart,
  endsAt: s.localEnd,
  timeZone: s.timeZone,
  place: s.place,
  country: s.country,
  online: s.online,
  seats: s.seats,
  applicationDeadline: deadline,
});

export const bodyOf = (d: SessionDraft) => ({ ...d, place: d.place.trim(), applicationDeadline: d.applicationDeadline || null });

/** What the server would refuse, said before sending: an end after the start, seats, a deadline before the end. */
function problemsOf(d: SessionDraft, minSeats: number, t: (k: string, o?: Record<string, unknown>) => string) {
  const out: Partial<Record<keyof SessionDraft, string>> = {};
  if (!d.startsAt) out.startsAt = t('offers.session.needed');
  if (!d.endsAt) out.endsAt = t('offers.session.needed');
  else if (d.startsAt && d.endsAt <= d.startsAt) out.endsAt = t('offers.session.endAfterStart');
  if (!d.timeZone) out.timeZone = t('offers.session.needed');
  if (!Number.isInteger(d.seats) || d.seats < Math.max(1, minSeats) || d.seats > LIMITS.seats) out.seats = t('offers.session.seatsRange', { min: Math.max(1, minSeats), max: LIMITS.seats });
  if (d.applicationDeadline && d.endsAt && d.applicationDeadline > d.endsAt) out.applicationDeadline = t('offers.session.deadlineBeforeEnd');
  if (d.place.length > LIMITS.place) out.place = t('offers.session.tooLong', { max: LIMITS.place });
  return out;
}

/**
 * One session's fields. Times are typed as the people at the venue read them, in the session's
 * time zone (the server turns them into instants and refuses zones and dates that do not exist).
 */
export function SessionForm({
  initial,
  minSeats = 0,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial?: SessionDraft;
  /** Seats already confirmed: the session cannot have fewer. */
  minSeats?: number;
  submitLabel: string;
  onSubmit: (d: SessionDraft) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [d, setD] = useState<SessionDraft>(initial ?? { startsAt: '', endsAt: '', timeZone: labels.timeZone, place: '', country: null, online: false, seats: 20, applicationDeadline: '' });
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problems = problemsOf(d, minSeats, t);
  const shown = checked ? problems : {};
  const set = <K extends keyof SessionDraft>(k: K, v: SessionDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    setError(null);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      await onSubmit(d);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={(e: FormEvent) => void submit(e)} noValidate data-testid="session-form">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('offers.session.startsAt')} type="datetime-local" required value={d.startsAt} onChange={(e) => set('startsAt', e.currentTarget.value)} error={shown.startsAt} />
          <TextInput label={t('offers.session.endsAt')} type="datetime-local" required min={d.startsAt || undefined} value={d.endsAt} onChange={(e) => set('endsAt', e.currentTarget.value)} error={shown.endsAt} />
        </SimpleGrid>
        <TimeZoneSelect label={t('offers.session.timeZone')} description={t('offers.session.timeZoneHelp')} value={d.timeZone} onChange={(z) => set('timeZone', z)} error={shown.timeZone} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('offers.session.place')} value={d.place} onChange={(e) => set('place', e.currentTarget.value)} error={shown.place} />
          <CountrySelect label={t('offers.session.country')} value={d.country} onChange={(v) => set('country', v)} clearable searchable />
        </SimpleGrid>
        <Checkbox label={t('offers.session.onlineLabel')} checked={d.online} onChange={(e) => set('online', e.currentTarget.checked)} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label={t('offers.session.seats')}
            description={minSeats > 0 ? t('offers.session.confirmedHelp', { count: minSeats }) : undefined}
            min={Math.max(1, minSeats)}
            max={LIMITS.seats}
            allowDecimal={false}
            required
            value={d.seats}
            onChange={(v) => set('seats', typeof v === 'number' ? v : Number.parseInt(v, 10) || 0)}
            error={shown.seats}
          />
          <TextInput
            label={t('offers.session.deadline')}
            description={t('offers.session.deadlineHelp')}
            type="datetime-local"
            value={d.applicationDeadline}
            onChange={(e) => set('applicationDeadline', e.currentTarget.value)}
            error={shown.applicationDeadline}
          />
        </SimpleGrid>
        <ErrorAlert error={error} />
        <Group>
          <Button type="submit" loading={busy}>
            {submitLabel}
          </Button>
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
