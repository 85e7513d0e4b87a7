import { Alert, Button, FileInput, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, TextBody } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { StatusBadge } from '../../components/StatusBadge';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';

const LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;

interface QueueItem {
  kind: 'note' | 'community' | 'practice' | 'priority' | 'instrument' | 'expert' | 'offer' | 'event' | 'request' | 'crisis' | 'incident';
  country?: string;
  id: string;
  title: string;
  language: string;
  revision: number;
  missing: string[];
  outdated: string[];
}
interface Queue {
  items: QueueItem[];
  byLanguage: Record<string, { missing: number; outdated: number }>;
}

const primary = (tag: string) => tag.toLowerCase().split('-')[0]!;

/** One queued text: export its texts as XLIFF for a language, or bring a translated file back. */
function Actions({ item, onImported }: { item: QueueItem; onImported: (message: string) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const targets = LANGUAGES.filter((l) => primary(l) !== primary(item.language));
  const [target, setTarget] = useState<string>([...item.missing, ...item.outdated][0] ?? targets[0]!);
  const [error, setError] = useState<unknown>(null);
  const bringBack = async (file: File | null) => {
    if (!file) return;
    setError(null);
    try {
      const r = await api.put<{ language: string; outdated: boolean }>(`/api/v1/translations/${item.kind}/${item.id}/xliff`, new TextBody(await file.text(), 'application/xliff+xml'));
      onImported(t(r.outdated ? 'translations.importedOutdated' : 'translations.imported', { language: labels.language(r.language), title: item.title }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Stack gap="xs">
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <Select
          label={t('translations.target')}
          aria-label={t('translations.exportFor', { title: item.title })}
          data={targets.map((l) => ({ value: l, label: labels.language(l) }))}
          value={target}
          onChange={(v) => v && setTarget(v)}
          allowDeselect={false}
          w={150}
        />
        <Button component="a" variant="default" href={`/api/v1/translations/${item.kind}/${item.id}/xliff?target=${target}`} download>
          {t('translations.export')}
        </Button>
      </Group>
      <FileInput label={t('translations.import')} aria-label={t('translations.importFor', { title: item.title })} accept=".xlf,.xliff,application/xliff+xml,application/xml" onChange={(f) => void bringBack(f)} clearable w={260} maw="100%" />
      <ErrorAlert error={error} />
    </Stack>
  );
}

/** The translation queue: what this person may translate that lacks a language or is outdated. */
export function TranslationsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const queue = useApi<Queue>('/api/v1/translations/queue');
  const [done, setDone] = useState<string | null>(null);
  const badges = (langs: string[], color: string) => (
    <Group gap={4}>
      {langs.map((l) => (
        <StatusBadge key={l} color={color} tt="none">
          {labels.language(l)}
        </StatusBadge>
      ))}
    </Group>
  );
  return (
    <Page title={t('translations.title')}>
      <Text>{t('translations.intro')}</Text>
      {done && (
        <Alert color="green" role="status" withCloseButton onClose={() => setDone(null)}>
          {done}
        </Alert>
      )}
      <ErrorAlert error={queue.error} />
      {queue.loading && !queue.data ? (
        <Loading />
      ) : queue.data ? (
        <>
          <Group gap="md" role="status">
            {LANGUAGES.map((l) => (
              <Text key={l} size="sm">
                {t('translations.perLanguage', { language: labels.language(l), missing: queue.data!.byLanguage[l]?.missing ?? 0, outdated: queue.data!.byLanguage[l]?.outdated ?? 0 })}
              </Text>
            ))}
          </Group>
          <DataTable
            minWidth={860}
            caption={t('translations.title')}
            columns={[t('translations.record'), t('translations.source'), t('translations.missing'), t('translations.outdated'), t('common.actions')]}
            rows={queue.data.items}
            empty={t('translations.none')}
          >
            {(i) => (
              <Table.Tr key={`${i.kind}-${i.id}`} data-testid="translation-row">
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {t(`translations.kind.${i.kind}`)}
                  </Text>
                  <span lang={i.language}>
                    {i.kind === 'note' ? (
                      <AppLink to="/notes/$noteId" params={{ noteId: i.id }}>
                        {i.title}
                      </AppLink>
                    ) : i.kind === 'expert' ? (
                      <AppLink to="/experts/$expertId" params={{ expertId: i.id }}>
                        {i.title}
                      </AppLink>
                    ) : i.kind === 'practice' ? (
                      <AppLink to="/practices/$slug" params={{ slug: i.id }}>
                        {i.title}
                      </AppLink>
                    ) : i.kind === 'event' ? (
                      <AppLink to="/events/$id" params={{ id: i.id }}>
                        {i.title}
                      </AppLink>
                    ) : i.kind === 'request' ? (
                      <AppLink to="/requests/$id" params={{ id: i.id }}>
                        {i.title}
                      </AppLink>
                    ) : i.kind === 'crisis' ? (
                      <AppLink to="/crises/$id" params={{ id: i.id }}>
                        {i.title}
                      </AppLink>
                    ) : i.kind === 'incident' ? (
                      <AppLink to="/incidents/$id" params={{ id: i.id }}>
                        {i.title}
                      </AppLink>
                    ) : i.kind === 'offer' ? (
                      <AppLink to="/offers/$id" params={{ id: i.id }}>
                        {i.title}
                      </AppLink>
                    ) : (i.kind === 'priority' || i.kind === 'instrument') && i.country ? (
                      <AppLink to="/countries/$iso2" params={{ iso2: i.country }}>
                        {i.title}
                      </AppLink>
                    ) : (
                      <AppLink to="/communities/$communityId" params={{ communityId: i.id }}>
                        {i.title}
                      </AppLink>
                    )}
                  </span>
                </Table.Td>
                <Table.Td>{labels.language(i.language)}</Table.Td>
                <Table.Td>{badges(i.missing, 'gray')}</Table.Td>
                <Table.Td>{badges(i.outdated, 'yellow')}</Table.Td>
                <Table.Td>
                  <Actions
                    item={i}
                    onImported={(message) => {
                      setDone(message);
                      queue.reload();
                    }}
                  />
                </Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        </>
      ) : null}
    </Page>
  );
}
