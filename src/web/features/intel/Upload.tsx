import { Alert, Button, FileInput, Group, List, Progress, SegmentedControl, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getCsrfToken } from '../../api/client';
import { AppLink } from '../../components/AppLink';
import { Page } from '../../components/Page';
import { DataTable } from '../../components/DataTable';
import { TlpBadge } from '../../components/TlpBadge';
import type { MispImport, ObjectResult, Submission } from './api';
import { IntelNav } from './IntelList';
import { IntelError, intelAudience, IntelMarkingFields, NO_AUDIENCE, StatusWord, useAction, useTypeLabel, type IntelMarking } from './shared';

export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/**
 * POST a file as the request body with XMLHttpRequest, so that the bytes sent can be
 * reported as they go (fetch has no upload progress). The CSRF header as the api client sends it.
 */
export function sendFile<T>(url: string, file: File, onProgress: (percent: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', 'application/json');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(100, Math.round((e.loaded / e.total) * 100)));
    };
    xhr.upload.onload = () => onProgress(100);
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', 'network error'));
    xhr.onabort = () => reject(new ApiError(0, 'NETWORK_ERROR', 'aborted'));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100);
        resolve(data as T);
        return;
      }
      const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      reject(new ApiError(xhr.status, e?.code ?? `HTTP_${xhr.status}`, e?.message ?? xhr.statusText, e?.details));
    };
    xhr.send(file);
  });
}

/** A refused bundle still carries the per-object status in its error details. */
function submissionFromError(e: unknown): Submission | null {
  if (!(e instanceof ApiError) || e.code !== 'BUNDLE_REJECTED') return null;
  const d = e.details as Partial<Submission> | undefined;
  return d && Array.isArray(d.results) ? (d as Submission) : null;
}

type StatusFilter = 'all' | ObjectResult['status'];

/** The validator's rule codes; each has a label in the four languages (intel.upload.rules.<code>). */
export const REJECTION_RULES = [
  'schema',
  'identifier',
  'timestamp',
  'timestamp-order',
  'reference',
  'reference-type',
  'pattern',
  'self-reference',
  'cycle',
  'unknown-marking',
  'spec-version',
  'conflicting-version',
  'bundle',
] as const;

/** What a rejection reason is about, in the reader's language (the server's message stays technical English). */
function useRuleLabel() {
  const { t } = useTranslation();
  return (rule: string) => ((REJECTION_RULES as readonly string[]).includes(rule) ? t(`intel.upload.rules.${rule}`) : t('intel.upload.rules.other'));
}

/** Per-object status of a submission, with a filter (e.g. only the rejected ones). */
export function StatusTable({ submission }: { submission: Submission }) {
  const { t } = useTranslation();
  const typeLabel = useTypeLabel();
  const ruleLabel = useRuleLabel();
  const [filter, setFilter] = useState<StatusFilter>(submission.rejected > 0 ? 'rejected' : 'all');
  const rows = submission.results.filter((r) => filter === 'all' || r.status === filter);
  return (
    <Stack gap="sm" data-testid="status-table-block">
      <Text role="status" data-testid="submission-summary">
        {t('intel.upload.summary', { total: submission.total, accepted: submission.accepted, duplicates: submission.duplicates, rejected: submission.rejected })}
      </Text>
      <div>
        <Text size="sm" fw={500} id="status-filter-label" mb={4}>
          {t('intel.upload.show')}
        </Text>
        <SegmentedControl
          aria-labelledby="status-filter-label"
          value={filter}
          onChange={(v) => setFilter(v as StatusFilter)}
          data={[
            { value: 'all', label: t('intel.upload.showAll', { count: submission.total }) },
            { value: 'accepted', label: t('intel.upload.showAccepted', { count: submission.accepted }) },
            { value: 'duplicate', label: t('intel.upload.showDuplicates', { count: submission.duplicates }) },
            { value: 'rejected', label: t('intel.upload.showRejected', { count: submission.rejected }) },
          ]}
        />
      </div>
      <DataTable
        caption={t('intel.upload.statusCaption')}
        minWidth={700}
        data-testid="status-table"
        columns={[t('intel.upload.object'), t('intel.list.type'), t('intel.upload.status'), t('intel.list.tlp'), t('intel.upload.reasons')]}
        rows={rows.map((r, i) => [r, i] as const)}
        withTableBorder={false}
        empty={t('intel.upload.noneOfThese')}
      >
        {([r, i]) => (
          <Table.Tr key={`${r.id ?? 'x'}/${r.version ?? ''}/${i}`} data-testid="status-row" data-status={r.status}>
            <Table.Td>
              {r.id && r.status !== 'rejected' ? (
                <AppLink to="/intel/objects/$id" params={{ id: r.id }}>
                  {r.id}
                </AppLink>
              ) : (
                (r.id ?? t('intel.upload.noId'))
              )}
            </Table.Td>
            <Table.Td>{r.type ? typeLabel(r.type) : '—'}</Table.Td>
            <Table.Td>
              <StatusWord status={r.status} />
            </Table.Td>
            <Table.Td>{r.tlp ? <TlpBadge tlp={r.tlp} size="sm" /> : '—'}</Table.Td>
            <Table.Td>
              {(r.reasons ?? []).map((x, j) => (
                <Text size="sm" key={j} data-rule={x.rule}>
                  <Text span size="sm" fw={600}>
                    {ruleLabel(x.rule)}
                  </Text>
                  {' — '}
                  {x.property}: {x.message} ({x.rule})
                </Text>
              ))}
              {(r.notes ?? []).map((n, j) => (
                <Text size="sm" c="dimmed" key={`n${j}`}>
                  {n}
                </Text>
              ))}
            </Table.Td>
          </Table.Tr>
        )}
      </DataTable>
    </Stack>
  );
}

type Kind = 'stix' | 'misp' | 'csaf';

function endpoint(kind: Kind, m: IntelMarking): string {
  const a = intelAudience(m);
  const p = new URLSearchParams({ tlp: m.tlp });
  if (kind === 'stix' && a.organisations.length) p.set('organisations', a.organisations.join(','));
  if (a.communities.length) p.set('communities', a.communities.join(','));
  if (kind === 'stix') return `/api/v1/intel/uploads?${p}`;
  if (kind === 'misp') return `/api/v1/intel/misp/events?${p}`;
  return `/api/v1/intel/vulnerabilities/csaf?${p}`;
}

function FileUpload({ kind }: { kind: Kind }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [marking, setMarking] = useState<IntelMarking>({ tlp: kind === 'csaf' ? 'CLEAR' : 'AMBER', audience: NO_AUDIENCE });
  const [percent, setPercent] = useState<number | null>(null);
  const { busy, error, setError, run } = useAction();
  const [result, setResult] = useState<MispImport | null>(null);
  const tooBig = !!file && file.size > MAX_UPLOAD_BYTES;
  const send = async () => {
    if (!file || tooBig) return;
    setResult(null);
    setPercent(0);
    await run(async () => {
      try {
        setResult(await sendFile<MispImport>(endpoint(kind, marking), file, setPercent));
      } catch (e) {
        const refused = submissionFromError(e);
        if (refused) setResult(refused);
        throw e;
      }
    });
  };
  return (
    <Stack>
      <Text>{t(`intel.upload.${kind}Intro`)}</Text>
      <FileInput
        label={t(`intel.upload.${kind}File`)}
        description={t('intel.upload.fileHelp')}
        accept=".json,application/json,application/stix+json"
        value={file}
        onChange={(f) => {
          setFile(f);
          setResult(null);
          setError(null);
          setPercent(null);
        }}
        clearable
        clearButtonProps={{ 'aria-label': t('intel.upload.clearFile') }}
        error={tooBig ? t('intel.upload.tooBig') : undefined}
        data-testid={`${kind}-file`}
        w={420}
        maw="100%"
      />
      <IntelMarkingFields
        value={marking}
        onChange={setMarking}
        help={t(`intel.upload.${kind}TlpHelp`)}
        organisations={kind === 'stix'}
      />
      <Group>
        <Button onClick={() => void send()} disabled={!file || tooBig || busy} loading={busy} data-testid={`${kind}-send`}>
          {t(`intel.upload.${kind}Send`)}
        </Button>
      </Group>
      {percent !== null && (
        <Stack gap={4} data-testid="upload-progress-block">
          <Progress.Root size="lg" aria-hidden={false}>
            <Progress.Section value={percent} aria-label={t('intel.upload.progressLabel')} data-testid="upload-progress" />
          </Progress.Root>
          <Text size="sm" aria-live="polite" data-testid="upload-percent">
            {percent < 100 ? t('intel.upload.sent', { percent }) : busy ? t('intel.upload.checking') : t('intel.upload.sentAll')}
          </Text>
        </Stack>
      )}
      {!(error instanceof ApiError && error.code === 'BUNDLE_REJECTED') && <IntelError error={error} invalidContent={t(`intel.upload.${kind}NotValid`)} />}
      {error instanceof ApiError && error.code === 'BUNDLE_REJECTED' && (
        <Alert color="red" variant="light" role="alert" title={t('intel.upload.rejectedTitle')}>
          {t('intel.upload.rejectedText')}
        </Alert>
      )}
      {result && (
        <Stack>
          {!error && result.accepted > 0 && (
            <Alert color="green" role="status">
              {t('intel.upload.stored', { count: result.accepted })}
            </Alert>
          )}
          {result.reportId && (
            <Text>
              <AppLink to="/intel/objects/$id" params={{ id: result.reportId }}>
                {t('intel.upload.openReport')}
              </AppLink>
            </Text>
          )}
          {result.unmapped && (
            <section aria-labelledby={`${kind}-unmapped-h`}>
              <Title order={3} size="h4" id={`${kind}-unmapped-h`}>
                {t('intel.upload.unmapped', { count: result.unmapped.length })}
              </Title>
              {result.unmapped.length === 0 ? (
                <Text size="sm">{t('intel.upload.allMapped')}</Text>
              ) : (
                <List size="sm" data-testid="unmapped">
                  {result.unmapped.map((u, i) => (
                    <List.Item key={i}>
                      {u.what}: {u.reason}
                    </List.Item>
                  ))}
                </List>
              )}
            </section>
          )}
          {[...(result.notes ?? []), ...(result.problems ?? [])].length > 0 && (
            <section aria-labelledby={`${kind}-notes-h`}>
              <Title order={3} size="h4" id={`${kind}-notes-h`}>
                {t('intel.upload.notes')}
              </Title>
              <List size="sm" data-testid="import-notes">
                {[...(result.notes ?? []), ...(result.problems ?? [])].map((n, i) => (
                  <List.Item key={i}>{typeof n === 'string' ? n : `${n.what}: ${n.reason}`}</List.Item>
                ))}
              </List>
            </section>
          )}
          <StatusTable submission={result} />
        </Stack>
      )}
    </Stack>
  );
}

export function IntelUploadPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>('stix');
  return (
    <Page title={t('intel.upload.title')}>
      <IntelNav />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="stix">{t('intel.upload.tabStix')}</Tabs.Tab>
          <Tabs.Tab value="misp">{t('intel.upload.tabMisp')}</Tabs.Tab>
          <Tabs.Tab value="csaf">{t('intel.upload.tabCsaf')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="stix" pt="md">
          <FileUpload kind="stix" />
        </Tabs.Panel>
        <Tabs.Panel value="misp" pt="md">
          <FileUpload kind="misp" />
        </Tabs.Panel>
        <Tabs.Panel value="csaf" pt="md">
          <FileUpload kind="csaf" />
        </Tabs.Panel>
      </Tabs>
    </Page>
  );
}
