import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Page } from './Page';
import { AppLink } from './AppLink';

export function Forbidden() {
  const { t } = useTranslation();
  return (
    <Page title={t('errors.forbiddenTitle')}>
      <Alert color="yellow">{t('errors.FORBIDDEN')}</Alert>
      <AppLink to="/">{t('nav.backHome')}</AppLink>
    </Page>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('errors.notFoundTitle')}>
      <Alert color="gray">{t('errors.NOT_FOUND')}</Alert>
      <AppLink to="/">{t('nav.backHome')}</AppLink>
    </Page>
  );
}
