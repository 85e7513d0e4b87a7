import { Alert, Button, Card, Checkbox, Code, Group, List, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { DataTable } from '../../components/DataTable';
import { TlpBadge } from '../../components/TlpBadge';
import { isTlp } from '#shared/tlp';

import type { Vulnerability, VulnerabilityPage } from './api';
import { IntelNav } from './IntelList';
import { SightingForm } from './ObjectPage';
import { useCursorList, useDebouncedQuery, LoadMore } from './paging';
import { ExternalLink, Field, IntelError, IntelNotFound } from './shared';

// The search parameters live in vulnSearch.ts, which the router reads without loading this page.
import { validateVulnSearch, type VulnSearch } from './vulnSearch';
import { puenteProps } from '#shared/puente-extension';
export { validateVulnSearch, type VulnSearch };

/** KEV "known ransomware campaign use" in words (Known / Unknown), never a colour. */
function Ransomware({ value }: { value: string | null | undefined }) {
  const { t } = useTranslation();
  if (!value) return <>—</>;
  return <>{value === 'Known' ? t('intel.vulns.ransomwareKnown') : t('intel.vulns.ransomwareUnknown')}</>;
}

export function VulnerabilitiesList() {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const search = validateVulnSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const set = (patch: Partial<VulnSearch>) => void navigate({ to: '/intel/vulnerabilities', search: validateVulnSearch({ ...search, ...patch }) as never, replace: true });
  const [q, setQ] = useDebouncedQuery(search.q, (v) => set({ q: v }));
  const list = useCursorList<Vulnerability>(`/api/v1/intel/vulnerabilities${qs({ ...search, limit: 50 })}`, JSON.stringify(search), (cursor) =>
    `/api/v1/intel/vulnerabilities${qs({ ...search, limit: 50, cursor })}`,
  );
  const { first, items } = list;
  return (
    <Page
      title={t('intel.vulns.title')}
      actions={
        <ButtonLink to="/intel/upload" variant="default">
          {t('intel.vulns.importCsaf')}
        </ButtonLink>
      }
    >
      <IntelNav />
      <Text>{t('intel.vulns.intro')}</Text>
      <form role="search" aria-label={t('intel.vulns.filters')} onSubmit={(e) => e.preventDefault()}>
        <Group align="flex-end" wrap="wrap">
          <TextInput label={t('intel.vulns.q')} description={t('intel.vulns.qHelp')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} w={300} />
          <Checkbox label={t('intel.vulns.kevOnly')} checked={search.kev === 'true'} onChange={(e) => set({ kev: e.currentTarget.checked ? 'true' : undefined })} />
          <Checkbox label={t('intel.vulns.ransomwareOnly')} checked={search.ransomware === 'true'} onChange={(e) => set({ ransomware: e.currentTarget.checked ? 'true' : undefined })} />
        </Group>
      </form>
      <IntelError error={list.error} />
      {first.error ? null : first.loading && !first.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <Text>{search.q || search.kev || search.ransomware ? t('common.noResults') : t('intel.vulns.none')}</Text>
      ) : (
        <Stack gap="sm">
          <DataTable
            caption={t('intel.vulns.caption')}
            minWidth={900}
            data-testid="vulns-table"
            columns={[
              t('intel.vulns.cve'),
              t('intel.vulns.products'),
              t('intel.vulns.kevAdded'),
              t('intel.vulns.dueDate'),
              t('intel.vulns.ransomware'),
              t('intel.vulns.advisory'),
              t('intel.vulns.affectsUs'),
            ]}
            rows={items}
            withTableBorder={false}
          >
            {(v) => (
              <Table.Tr key={v.id} data-testid="vuln-row">
                <Table.Td>
                  <AppLink to="/intel/vulnerabilities/$id" params={{ id: v.id }}>
                    {v.cve ?? v.name ?? v.id}
                  </AppLink>
                </Table.Td>
                <Table.Td>{v.affectedProducts.slice(0, 3).map(String).join(', ') || '—'}</Table.Td>
                <Table.Td>{v.kev ? labels.date(v.kev.dateAdded) : t('intel.vulns.notInKev')}</Table.Td>
                <Table.Td>{v.kev?.dueDate ? labels.date(v.kev.dueDate) : '—'}</Table.Td>
                <Table.Td>
                  <Ransomware value={v.kev?.knownRansomwareCampaignUse} />
                </Table.Td>
                <Table.Td>{v.csaf ? [v.csaf.publisher, v.csaf.trackingId].filter(Boolean).join(' · ') : '—'}</Table.Td>
                <Table.Td>
                  {t('intel.vulns.affectsCount', { count: v.affectsUs.organisations })}
                  {v.affectsUs.mine && ` (${t('intel.vulns.includingYou')})`}
                </Table.Td>
              </Table.Tr>
            )}
          </DataTable>
          <LoadMore list={list} />
        </Stack>
      )}
    </Page>
  );
}

const cweUrl = (id: string) => `https://cwe.mitre.org/data/definitions/${id.replace(/^CWE-/, '')}.html`;

/** CVSS scores (base score, severity, vector) and CWE weaknesses held for the CVE, and where else to read about it. */
function SeverityFacts({ v }: { v: VulnerabilityPage }) {
  const { t } = useTranslation();
  return (
    <Card withBorder component="section" aria-labelledby="severity-h" data-testid="vuln-severity">
      <Title order={2} size="h3" id="severity-h" mb="sm">
        {t('intel.vulns.severityTitle')}
      </Title>
      <Stack gap="sm">
        {v.cvss.length === 0 ? (
          <Text size="sm">{t('intel.vulns.noCvss')}</Text>
        ) : (
          <DataTable
            caption={t('intel.vulns.cvssCaption')}
            minWidth={640}
            data-testid="cvss-table"
            columns={[t('intel.vulns.baseScore'), t('intel.vulns.severity'), t('intel.vulns.cvssVersion'), t('intel.vulns.vector'), t('intel.vulns.products'), t('intel.vulns.scoreFrom')]}
            rows={v.cvss.map((c, i) => [c, i] as const)}
            withTableBorder={false}
          >
            {([c, i]) => (
              <Table.Tr key={i} data-testid="cvss-row">
                <Table.Td fw={700}>{c.baseScore.toFixed(1)}</Table.Td>
                <Table.Td>{t(`intel.vulns.severities.${c.severity}`, { defaultValue: c.severity })}</Table.Td>
                <Table.Td>{c.version}</Table.Td>
                <Table.Td>
                  <Code style={{ wordBreak: 'break-all' }}>{c.vector}</Code>
                </Table.Td>
                <Table.Td>{c.products.join(', ') || t('intel.vulns.allProducts')}</Table.Td>
                <Table.Td>
                  {c.source.id === v.id ? (
                    t('intel.vulns.thisRecord')
                  ) : (
                    <AppLink to="/intel/vulnerabilities/$id" params={{ id: c.source.id }}>
                      {c.source.publisher ?? t('intel.vulns.otherRecord')}
                    </AppLink>
                  )}
                </Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        )}
        <div>
          <Text size="sm" fw={600} component="h3" m={0}>
            {t('intel.vulns.cwe')}
          </Text>
          {v.cwes.length === 0 ? (
            <Text size="sm">{t('intel.vulns.noCwe')}</Text>
          ) : (
            <List size="sm" data-testid="cwe-list">
              {v.cwes.map((c) => (
                <List.Item key={c.id}>
                  <ExternalLink href={cweUrl(c.id)}>{c.id}</ExternalLink>
                  {c.name && ` — ${c.name}`}
                </List.Item>
              ))}
            </List>
          )}
        </div>
        {v.cve && (
          <div>
            <Text size="sm" fw={600} component="h3" m={0}>
              {t('intel.vulns.links')}
            </Text>
            <List size="sm" data-testid="cve-links">
              <List.Item>
                <ExternalLink href={`https://www.cve.org/CVERecord?id=${encodeURIComponent(v.cve)}`}>{t('intel.vulns.cveRecord', { cve: v.cve })}</ExternalLink>
              </List.Item>
              <List.Item>
                <ExternalLink href={`https://nvd.nist.gov/vuln/detail/${encodeURIComponent(v.cve)}`}>{t('intel.vulns.nvd', { cve: v.cve })}</ExternalLink>
              </List.Item>
            </List>
          </div>
        )}
      </Stack>
    </Card>
  );
}

interface Remediation {
  category?: string;
  details?: string;
  url?: string;
  date?: string;
  products?: string[];
}

export function VulnerabilityView() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { id } = useParams({ strict: false }) as { id: string };
  const res = useApi<VulnerabilityPage>(`/api/v1/intel/vulnerabilities/${encodeURIComponent(id)}`);
  const [reporting, setReporting] = useState(false);
  const [reported, setReported] = useState(false);
  const v = res.data && res.data.id === id ? res.data : undefined;
  if (res.error?.status === 404)
    return (
      <IntelNotFound>
        <AppLink to="/intel/vulnerabilities">{t('intel.vulns.backToList')}</AppLink>
      </IntelNotFound>
    );
  if (!v) return res.error ? <IntelError error={res.error} /> : <Loading />;
  const obj = v.object ?? {};
  const tlp = isTlp(v.tlp) ? v.tlp : null;
  const csaf = (puenteProps(obj).csaf ?? null) as { remediations?: Remediation[]; document_title?: string; aggregate_severity?: string } | null;
  const remediations = Array.isArray(csaf?.remediations) ? csaf.remediations : [];
  const description = typeof obj.description === 'string' ? obj.description : null;
  return (
    <Page
      title={v.cve ?? v.name ?? v.id}
      actions={
        <Group gap="xs">
          <ButtonLink to="/intel/objects/$id" params={{ id: v.id }} variant="default">
            {t('intel.vulns.objectPage')}
          </ButtonLink>
          {!reporting && (
            <Button onClick={() => setReporting(true)} data-testid="affects-us">
              {v.affectsUs.mine || reported ? t('intel.vulns.affectsUsAgain') : t('intel.vulns.affectsUsButton')}
            </Button>
          )}
        </Group>
      }
    >
      <IntelNav />
      <Group gap="sm">
        {tlp && <TlpBadge tlp={tlp} />}
        {v.name && v.name !== v.cve && <Text fw={600}>{v.name}</Text>}
      </Group>
      {description && <Text>{description}</Text>}
      <Text role="status">
        {t('intel.vulns.affectsCount', { count: v.affectsUs.organisations })}
        {(v.affectsUs.mine || reported) && ` (${t('intel.vulns.includingYou')})`}
      </Text>
      {reporting && (
        <SightingForm
          sightingOf={v.id}
          affectsUsDefault
          onCancel={() => setReporting(false)}
          onDone={() => {
            setReporting(false);
            setReported(true);
            res.reload();
          }}
        />
      )}
      {reported && (
        <Alert color="green" role="status">
          {t('intel.vulns.reported')}
        </Alert>
      )}
      <SeverityFacts v={v} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Card withBorder component="section" aria-labelledby="kev-h">
          <Title order={2} size="h3" id="kev-h" mb="sm">
            {t('intel.vulns.kevTitle')}
          </Title>
          {v.kev ? (
            <dl style={{ margin: 0 }}>
              <Field label={t('intel.vulns.kevAdded')}>{labels.date(v.kev.dateAdded)}</Field>
              <Field label={t('intel.vulns.dueDate')}>{v.kev.dueDate ? labels.date(v.kev.dueDate) : '—'}</Field>
              <Field label={t('intel.vulns.ransomware')}>
                <Ransomware value={v.kev.knownRansomwareCampaignUse} />
              </Field>
              {v.kev.vendorProject && <Field label={t('intel.vulns.vendor')}>{v.kev.vendorProject}</Field>}
              {v.kev.product && <Field label={t('intel.vulns.product')}>{v.kev.product}</Field>}
              {v.kev.requiredAction && <Field label={t('intel.vulns.requiredAction')}>{v.kev.requiredAction}</Field>}
            </dl>
          ) : (
            <Text size="sm">{t('intel.vulns.notInKevLong')}</Text>
          )}
        </Card>
        <Card withBorder component="section" aria-labelledby="products-h">
          <Title order={2} size="h3" id="products-h" mb="sm">
            {t('intel.vulns.products')}
          </Title>
          {v.affectedProducts.length === 0 ? (
            <Text size="sm">{t('intel.vulns.noProducts')}</Text>
          ) : (
            <List size="sm" data-testid="affected-products">
              {v.affectedProducts.map((p, i) => (
                <List.Item key={i}>{String(p)}</List.Item>
              ))}
            </List>
          )}
        </Card>
      </SimpleGrid>
      {v.sameCve.length > 0 && (
        <section aria-labelledby="same-cve-h">
          <Title order={2} id="same-cve-h" mb="xs">
            {t('intel.vulns.sameCve', { cve: v.cve ?? v.name ?? '' })}
          </Title>
          <List size="sm" mb="md">
            {v.sameCve.map((o) => (
              <List.Item key={o.id}>
                <AppLink to="/intel/vulnerabilities/$id" params={{ id: o.id }}>
                  {o.csaf
                    ? t('intel.vulns.sameCveCsaf', { publisher: o.csaf.publisher, tracking: o.csaf.trackingId })
                    : o.kev
                      ? t('intel.vulns.sameCveKev')
                      : t('intel.vulns.sameCveOther')}
                </AppLink>
                {` · TLP:${o.tlp}`}
              </List.Item>
            ))}
          </List>
        </section>
      )}
      <section aria-labelledby="csaf-h">
        <Title order={2} id="csaf-h" mb="xs">
          {t('intel.vulns.remediation')}
        </Title>
        {v.csaf && (
          <Text size="sm" mb="xs">
            {t('intel.vulns.advisoryBy', { publisher: v.csaf.publisher ?? '—', tracking: v.csaf.trackingId ?? '—' })}
            {csaf?.document_title ? ` — ${csaf.document_title}` : ''}
          </Text>
        )}
        {remediations.length === 0 ? (
          <Text size="sm">{v.csaf ? t('intel.vulns.noRemediation') : v.sameCve.some((o) => o.csaf) ? t('intel.vulns.seeAdvisory') : t('intel.vulns.noAdvisory')}</Text>
        ) : (
          <DataTable caption={t('intel.vulns.remediationCaption')} minWidth={600} columns={[t('intel.vulns.category'), t('intel.vulns.details'), t('intel.vulns.products')]} rows={remediations.map((r, i) => [r, i] as const)} withTableBorder={false}>
            {([r, i]) => (
              <Table.Tr key={i}>
                <Table.Td>{r.category ? t(`intel.vulns.remediationCategory.${r.category}`, { defaultValue: r.category }) : '—'}</Table.Td>
                <Table.Td>
                  {r.details}
                  {r.url && r.url.startsWith('https://') && (
                    <>
                      {' '}
                      <ExternalLink href={r.url}>{t('intel.vulns.moreInfo')}</ExternalLink>
                    </>
                  )}
                </Table.Td>
                <Table.Td>{(r.products ?? []).join(', ') || t('intel.vulns.allProducts')}</Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        )}
      </section>
    </Page>
  );
}
