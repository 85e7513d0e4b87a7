import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

const KNOWN = new Set([
  'INVALID_CREDENTIALS',
  'INVALID_MFA_CODE',
  'WRONG_PASSWORD',
  'WRONG_MFA_CODE',
  'ORGANISATION_NOT_APPROVED',
  'INSUFFICIENT_SCOPE',
  'PAYLOAD_TOO_LARGE',
  'MFA_REQUIRED',
  'LOGIN_THROTTLED',
  'RATE_LIMITED',
  'VALIDATION_FAILED',
  'WEAK_PASSWORD',
  'GONE',
  'ALREADY_EXISTS',
  'INVALID_STATE',
  'INVALID_MARKING',
  'INVALID_KEY',
  'ATTACHMENT_TYPE_REFUSED',
  'BUNDLE_REJECTED',
  'INVALID_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'CSV_MALFORMED',
  'VCARD_MALFORMED',
  'IMPORT_INVALID',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'MFA_ENROLMENT_REQUIRED',
  'CSRF_INVALID',
  'NETWORK_ERROR',
]);

export function useErrorMessage() {
  const { t } = useTranslation();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      let code = error.code.startsWith('CSRF') ? 'CSRF_INVALID' : error.code;
      // A malformed link token is, for the person holding the link, a dead link.
      const fields = ((error.details as { errors?: { path?: string }[] } | undefined)?.errors ?? []).map((e) => e.path);
      if (code === 'VALIDATION_FAILED' && fields.length > 0 && fields.every((f) => f === '/token')) code = 'GONE';
      if (KNOWN.has(code)) {
        const base = t(`errors.${code}`);
        if ((code === 'LOGIN_THROTTLED' || code === 'RATE_LIMITED') && error.retryAfter)
          return `${base} ${t('errors.retryAfter', { seconds: error.retryAfter })}`;
        return base;
      }
      if (error.status >= 500) return t('errors.server');
    }
    return t('errors.generic');
  };
}

export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const message = useErrorMessage();
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" title={title ?? t('errors.title')} role="alert">
      {message(error)}
    </Alert>
  );
}
