import { Alert, Button, FileInput, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { AppLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Page } from '../../components/Page';
import type { IncidentReport } from './api';
import { IncidentLink } from './shared';

/** The server's default bundle limit (PUENTE_INTEL_BUNDLE_MAX_BYTES); a larger file is refused here before it is read. */
const MAX_BYTES = 20 * 1024 * 1024;

interface ImportResult {
  created: string[];
  updated: string[];
  links: number;
  skipped: string[];
  incidents: IncidentReport[];
}

interface Problem {
  id: string | null;
  type: string;
  property: string;
  message: string;
}

const problemsOf = (e: unknown): Problem[] => (e instanceof ApiError && e.code === 'BUNDLE_REJECTED' ? (((e.details as { problems?: Problem[] } | undefined)?.problems ?? []) as Problem[]) : []);

/**
 * Import incident reports from another tool or another Puente (`/incidents/import`): a STIX 2.1
 * bundle whose `incident` objects carry the Incident Core Extension. All or nothing; the page says
 * what was created or updated and which related objects must first go to the intel store.
 */
export function IncidentImportPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const tooBig = !!file && file.size > MAX_BYTES;
  const problems = problemsOf(error);

  const send = async () => {
    if (!file || tooBig) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      let bundle: unknown;
      try {
        bundle = JSON.parse(await file.text());
      } catch {
        // Not JSON: said as invalid content (the alert below words it), nothing is sent.
        throw new ApiError(400, 'VALIDATION_FAILED', 'not JSON');
      }
      setResult(await api.post<ImportResult>('/api/v1/incidents/import', { bundle }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('incidents.import.title')}>
      <Text>{t('incidents.import.intro')}</Text>
      <Stack gap="sm">
        <FileInput
          label={t('incidents.import.file')}
          description={t('incidents.import.fileHelp')}
          accept=".json,application/json,application/stix+json"
          value={file}
          onChange={(f) => {
            setFile(f);
            setError(null);
            setResult(null);
          }}
          clearable
          clearButtonProps={{ 'aria-label': t('incidents.import.clear') }}
          error={tooBig ? t('incidents.import.tooBig') : undefined}
          w={420}
          maw="100%"
          data-testid="incident-import-file"
        />
        <Group>
          <Button onClick={() => void send()} disabled={!file || tooBig || busy} loading={busy} data-testid="incident-import-send">
            {t('incidents.import.send')}
          </Button>
          <AppLink to="/incidents">{t('incidents.view.back')}</AppLink>
        </Group>
      </Stack>
      {error !== null && problems.length === 0 && <ErrorAlert error={error} invalidContent={t('incidents.import.notJson')} />}
      {problems.length > 0 && (
        <Stack gap="xs">
          <Alert color="red" variant="light" role="alert" title={t('incidents.import.rejectedTitle')}>
            {t('incidents.import.rejectedText')}
          </Alert>
          <DataTable caption={t('incidents.import.problems', { count: problems.length })} columns={[t('incidents.import.object'), t('incidents.import.property'), t('incidents.import.problem')]} rows={problems} data-testid="incident-import-problems">
            {(x) => (
              <Table.Tr key={`${x.id ?? x.type}/${x.property}/${x.message}`}>
                <Table.Td>
                  <code>{x.id ?? x.type}</code>
                </Table.Td>
                <Table.Td>
                  <code>{x.property}</code>
                </Table.Td>
                <Table.Td>{x.message}</Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        </Stack>
      )}
      {result && (
        <Stack gap="sm" data-testid="incident-import-result">
          <Alert color="green" role="status">
            {t('incidents.import.done', { created: result.created.length, updated: result.updated.length, links: result.links })}
          </Alert>
          <List>
            {result.incidents.map((r) => (
              <List.Item key={r.id}>
                <IncidentLink r={r} /> — {result.created.includes(r.id) ? t('incidents.import.created') : t('incidents.import.updated')}
              </List.Item>
            ))}
          </List>
          {result.skipped.length > 0 && (
            <section aria-labelledby="incident-import-skipped">
              <Title order={2} size="h4" id="incident-import-skipped">
                {t('incidents.import.skipped', { count: result.skipped.length })}
              </Title>
              <Text size="sm">
                {t('incidents.import.skippedHelp')} <AppLink to="/intel/upload">{t('incidents.import.toUpload')}</AppLink>
              </Text>
              <List size="sm">
                {result.skipped.map((id) => (
                  <List.Item key={id}>
                    <code>{id}</code>
                  </List.Item>
                ))}
              </List>
            </section>
          )}
        </Stack>
      )}
    </Page>
  );
}
