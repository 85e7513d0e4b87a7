import { Alert } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type ErrorMessageOptions } from './errorMessage';

/** `message(error)`: what to tell the person about a failed request, in their language (see errorMessage.ts). */
export function useErrorMessage(options: ErrorMessageOptions = {}) {
  const { t } = useTranslation();
  const { invalidContent } = options;
  return useCallback((error: unknown): string => errorMessage(error, t, { invalidContent }), [t, invalidContent]);
}

export function ErrorAlert({ error, title, invalidContent }: { error: unknown; title?: string } & ErrorMessageOptions) {
  const message = useErrorMessage({ invalidContent });
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" title={title ?? t('errors.title')} role="alert">
      {message(error)}
    </Alert>
  );
}
