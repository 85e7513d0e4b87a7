import { Group, Loader, Stack, Title } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** `titleLang`: the language of a title that is content (a note's, a community's), when it may differ from the page's (WCAG 3.1.2). */
export function Page({ title, titleLang, actions, children }: { title: string; titleLang?: string; actions?: ReactNode; children?: ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="center" wrap="wrap">
        <Title order={1} lang={titleLang}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Stack>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <Group justify="center" p="xl" role="status" aria-live="polite">
      <Loader size="sm" aria-hidden />
      <span>{t('common.loading')}</span>
    </Group>
  );
}
