import { Alert, Button, FileInput, Group, Menu, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COUNTRY_KINDS, ORGANISATION_KINDS } from '#shared/contacts';
import { ApiError, getCsrfToken, qs } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Page } from '../../components/Page';
import { AppLink } from '../../components/AppLink';
import type { DirectorySearch } from './search';
import { DataTable } from '../../components/DataTable';
import { LazyMenu } from '../../components/LazyMenu';

/** The directory's "Export" menu: links to the exports with the current filters (no page). */
export function ExportMenu({ search }: { search: DirectorySearch }) {
  const { t } = useTranslation();
  const { page: _page, ...filters } = search;
  const query = qs(filters);
  return (
    <LazyMenu
      position="bottom-end"
      withinPortal
      target={
        <Button variant="default" data-testid="export-menu">
          {t('contacts.exchange.export')}
        </Button>
      }
    >
      <Menu.Label>{t('contacts.exchange.exportHelp')}</Menu.Label>
      <Menu.Item component="a" href={`/api/v1/contacts/export.vcf${query}`} download>
        {t('contacts.exchange.vcard')}
      </Menu.Item>
      <Menu.Item component="a" href={`/api/v1/contacts/export.csv${query}`} download>
        {t('contacts.exchange.csv')}
      </Menu.Item>
      <Menu.Item component="a" href={`/api/v1/contacts/export.json${query}`} download>
        {t('contacts.exchange.json')}
      </Menu.Item>
    </LazyMenu>
  );
}

/** "Copy as vCard" and "Download vCard" on the contact card. */
export function VcardActions({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null);
  const copy = async () => {
    try {
      const res = await fetch(`/api/v1/contacts/${contactId}/vcard.vcf`, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(String(res.status));
      await navigator.clipboard.writeText(await res.text());
      setCopied('ok');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <>
      <Button variant="default" onClick={() => void copy()} data-testid="copy-vcard">
        {t('contacts.exchange.copyVcard')}
      </Button>
      <Button variant="default" component="a" href={`/api/v1/contacts/${contactId}/vcard.vcf`} download>
        {t('contacts.exchange.downloadVcard')}
      </Button>
      <span role="status" aria-live="polite">
        {copied === 'ok' && <Text size="sm">{t('contacts.exchange.copied')}</Text>}
        {copied === 'failed' && (
          <Text size="sm" c="red">
            {t('contacts.exchange.copyFailed')}
          </Text>
        )}
      </span>
    </>
  );
}

interface RowError {
  field: string;
  code: string;
  message: string;
}
interface ImportRow {
  row: number;
  status: 'ok' | 'error';
  action: 'create' | 'update' | 'unchanged' | null;
  errors: RowError[];
  warnings: string[];
  contact: { organisationName: string; country: string; fullName: string; kinds: string[]; emails?: string[] };
}
interface ImportResult {
  rows: ImportRow[];
  total: number;
  errors: number;
  create: number;
  update: number;
  unchanged: number;
}
type Format = 'csv' | 'vcard' | 'json' | 'first' | 'csirts-network';
const ACCEPT: Record<Format, string> = { csv: '.csv,text/csv', vcard: '.vcf,.vcard,text/vcard', json: '.json,application/json', first: '.json,application/json', 'csirts-network': '.json,application/json' };
const KINDS = [...ORGANISATION_KINDS, ...COUNTRY_KINDS];

async function upload(what: 'preview' | 'commit', file: File, format: Format, kind: string | null): Promise<ImportResult> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': format === 'csv' ? 'text/csv' : format === 'vcard' ? 'text/vcard' : 'application/json' };
  const csrf = getCsrfToken();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const kindParam = format === 'vcard' && kind ? `&kind=${encodeURIComponent(kind)}` : '';
  const res = await fetch(`/api/v1/contacts/import/${what}?format=${format}${kindParam}`, { method: 'POST', headers, body: file, credentials: 'same-origin' });
  const data = await res.json().catch(() => undefined);
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText, e?.details);
  }
  return data as ImportResult;
}

/** Import page: pick a file, see every row checked, and commit only when every row is fine. */
export function ContactImportPage() {
  const { t } = useTranslation();
  const [format, setFormat] = useState<Format>('csv');
  const [kind, setKind] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [done, setDone] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (what: 'preview' | 'commit') => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await upload(what, file, format, kind);
      if (what === 'preview') setPreview(r);
      else {
        setDone(r);
        setPreview(null);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const pick = (f: File | null) => {
    setFile(f);
    setPreview(null);
    setDone(null);
  };
  const actionLabel = (a: ImportRow['action']) => (a ? t(`contacts.exchange.action.${a}`) : '');
  return (
    <Page title={t('contacts.exchange.importTitle')}>
      <Stack>
        <Text>{t('contacts.exchange.importIntro')}</Text>
        <Group align="flex-end" wrap="wrap">
          <Select
            label={t('contacts.exchange.format')}
            data={[
              { value: 'csv', label: t('contacts.exchange.formatCsv') },
              { value: 'vcard', label: t('contacts.exchange.formatVcard') },
              { value: 'json', label: t('contacts.exchange.formatJson') },
              { value: 'first', label: t('contacts.exchange.formatFirst') },
              { value: 'csirts-network', label: t('contacts.exchange.formatCsirts') },
            ]}
            value={format}
            onChange={(v) => {
              setFormat((v as Format) ?? 'csv');
              setPreview(null);
            }}
            allowDeselect={false}
          />
          {format === 'vcard' && (
            <Select
              label={t('contacts.exchange.vcardKind')}
              description={t('contacts.exchange.vcardKindHelp')}
              data={KINDS.map((k) => ({ value: k, label: t(`contacts.kinds.${k}`) }))}
              value={kind}
              onChange={(v) => {
                setKind(v);
                setPreview(null);
              }}
              clearable
            />
          )}
          <FileInput label={t('contacts.exchange.file')} accept={ACCEPT[format]} value={file} onChange={pick} clearable data-testid="import-file" />
          <Button onClick={() => void run('preview')} disabled={!file} loading={busy && !preview} data-testid="import-check">
            {t('contacts.exchange.check')}
          </Button>
        </Group>
        {error instanceof ApiError && (error.code === 'CSV_MALFORMED' || error.code === 'VCARD_MALFORMED' || error.code === 'IMPORT_INVALID') ? (
          <Alert color="red" variant="light" title={t('contacts.exchange.fileError')} role="alert">
            {error.message}
          </Alert>
        ) : (
          <ErrorAlert error={error} />
        )}
        {done && (
          <Alert color="green" role="status">
            {t('contacts.exchange.imported', { create: done.create, update: done.update, unchanged: done.unchanged })}
          </Alert>
        )}
        {preview && (
          <>
            <Text role="status">
              {t('contacts.exchange.summary', { count: preview.total, errors: preview.errors, create: preview.create, update: preview.update, unchanged: preview.unchanged })}
            </Text>
            <DataTable
              minWidth={700}
              withTableBorder={false}
              caption={t('contacts.exchange.previewCaption')}
              columns={[t('contacts.exchange.row'), t('contacts.fullName'), t('contacts.exchange.organisation'), t('contacts.exchange.kinds'), t('contacts.exchange.result')]}
              rows={preview.rows}
            >
              {(r) => (
                <Table.Tr key={r.row}>
                  <Table.Td>{r.row}</Table.Td>
                  <Table.Td>{r.contact.fullName}</Table.Td>
                  <Table.Td>
                    {r.contact.organisationName} ({r.contact.country})
                  </Table.Td>
                  <Table.Td>{r.contact.kinds.join(', ')}</Table.Td>
                  <Table.Td>
                    {r.status === 'ok' ? (
                      <Text size="sm" fw={600}>
                        {actionLabel(r.action)}
                      </Text>
                    ) : (
                      <Stack gap={2}>
                        <Text size="sm" fw={600} c="red">
                          {t('contacts.exchange.error')}
                        </Text>
                        {r.errors.map((e, i) => (
                          <Text key={i} size="sm">
                            {e.field}: {e.message} ({e.code})
                          </Text>
                        ))}
                      </Stack>
                    )}
                    {r.warnings.map((w, i) => (
                      <Text key={`w${i}`} size="sm" c="dimmed">
                        {w}
                      </Text>
                    ))}
                  </Table.Td>
                </Table.Tr>
              )}
            </DataTable>
            <Group>
              <Button onClick={() => void run('commit')} disabled={preview.errors > 0 || busy} loading={busy} data-testid="import-commit">
                {t('contacts.exchange.commit', { count: preview.total })}
              </Button>
              {preview.errors > 0 && <Text size="sm">{t('contacts.exchange.fixFirst')}</Text>}
            </Group>
          </>
        )}
        <AppLink to="/contacts">{t('contacts.backToList')}</AppLink>
      </Stack>
    </Page>
  );
}
