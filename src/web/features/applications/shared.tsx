import { useTranslation } from 'react-i18next';
import { StatusBadge } from '../../components/StatusBadge';
import type { ApplicationStatus } from './api';

const COLORS: Record<ApplicationStatus, string> = {
  submitted: 'blue',
  'endorsement-pending': 'gray',
  endorsed: 'blue',
  'endorsement-refused': 'red',
  selected: 'teal',
  waitlisted: 'yellow',
  'not-selected': 'red',
  withdrawn: 'gray',
};

/** An application's status in words (with the waitlist position when it has one). */
export function ApplicationStatusBadge({ status, position }: { status: ApplicationStatus; position?: number | null }) {
  const { t } = useTranslation();
  return (
    <StatusBadge color={COLORS[status]} tt="none" data-testid="application-status">
      {status === 'waitlisted' && position ? t('applications.waitlistPosition', { position }) : t(`applications.status.${status}`)}
    </StatusBadge>
  );
}
