import { Alert, Button, Card, Checkbox, Group, List, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, qs } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import { useDebounced } from '../../components/useDebounced';
import { TLPS, type Tlp } from '../../api/types';

const isTlp = (v: string): v is Tlp => (TLPS as string[]).includes(v);
import type { Vulnerability, VulnerabilityPage } from './api';
import { IntelNav } from './IntelList';
import { SightingForm } from './ObjectPage';
import { ExternalLink, IntelError } from './shared';

export type VulnSearch = { q?: string; kev?: string; ransomware?: string };

export function validateVulnSearch(raw: Record<string, unknown>): VulnSearch {
  const out: VulnSearch = {};
  const q = raw.q === undefined || raw.q === null ? '' : String(raw.q).trim();
  if (q) out.q = q.slice(0, 200);
  if (String(raw.kev) === 'true') out.kev = 'true';
  if (String(raw.ransomware) === 'true') out.ransomware = 'true';
  return out;
}

/** KEV "known ransomware campaign use" in words (Known / Unknown), never a colour. */
function Ransomware({ value }: { value: string | null | undefined }) {
  const { t } = useTranslation();
  if (!value) return <>—</>;
  return <>{value === 'Known' ? t('intel.vulns.ransomwareKnown') : t('intel.vulns.ransomwareUnknown')}</>;
}

interface VulnList {
  items: Vulnerability[];
  nextCursor: string | null;
}

export function VulnerabilitiesList() {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const search = validateVulnSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const set = (patch: Partial<VulnSearch>) => void navigate({ to: '/intel/vulnerabilities', search: validateVulnSearch({ ...search, ...patch }) as never, replace: true });
  const [q, setQ] = useState(search.q ?? '');
  const dq = useDebounced(q, 300);
  useEffect(() => {
    if ((search.q ?? '') !== dq.trim()) set({ q: dq.trim() || undefined });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dq]);
  const key = JSON.stringify(search);
  const first = useApi<VulnList>(`/api/v1/intel/vulnerabilities${qs({ ...search, limit: 50 })}`);
  const [more, setMore] = useState<VulnList | null>(null);
  const [busy, setBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  useEffect(() => setMore(null), [key]);
  const items = useMemo(() => [...(first.data?.items ?? []), ...(more?.items ?? [])], [first.data, more]);
  const next = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!next) return;
    setBusy(true);
    setMoreError(null);
    try {
      const page = await api.get<VulnList>(`/api/v1/intel/vulnerabilities${qs({ ...search, limit: 50, cursor: next })}`);
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (e) {
      setMoreError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK_ERROR', String(e)));
    } finally {
      setBusy(false);
    }
  };
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
      <IntelError error={first.error ?? moreError} />
      {first.loading && !first.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <Text>{search.q || search.kev || search.ransomware ? t('common.noResults') : t('intel.vulns.none')}</Text>
      ) : (
        <Stack gap="sm">
          <Table.ScrollContainer minWidth={900}>
            <Table striped data-testid="vulns-table">
              <Table.Caption>{t('intel.vulns.caption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('intel.vulns.cve')}</Table.Th>
                  <Table.Th scope="col">{t('intel.vulns.products')}</Table.Th>
                  <Table.Th scope="col">{t('intel.vulns.kevAdded')}</Table.Th>
                  <Table.Th scope="col">{t('intel.vulns.dueDate')}</Table.Th>
                  <Table.Th scope="col">{t('intel.vulns.ransomware')}</Table.Th>
                  <Table.Th scope="col">{t('intel.vulns.advisory')}</Table.Th>
                  <Table.Th scope="col">{t('intel.vulns.affectsUs')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((v) => (
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
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {next && (
            <Group>
              <Button variant="default" onClick={() => void loadMore()} loading={busy}>
                {t('intel.list.more')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Page>
  );
}

interface Remediation {
  category?: string;
  details?: string;
  url?: string;
  date?: string;
  products?: string[];
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Text component="dt" fw={600} size="sm">
        {label}
      </Text>
      <Text component="dd" size="sm" ml={0} mb="xs">
        {children}
      </Text>
    </>
  );
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
      <Page title={t('intel.object.notFound')}>
        <Text>{t('intel.object.notFoundText')}</Text>
        <AppLink to="/intel/vulnerabilities">{t('intel.vulns.backToList')}</AppLink>
      </Page>
    );
  if (!v) return res.error ? <IntelError error={res.error} /> : <Loading />;
  const obj = v.object ?? {};
  const tlp = isTlp(v.tlp) ? v.tlp : null;
  const csaf = (obj.x_puente_csaf ?? null) as { remediations?: Remediation[]; document_title?: string; aggregate_severity?: string } | null;
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
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Card withBorder component="section" aria-labelledby="kev-h">
          <Title order={2} size="h3" id="kev-h" mb="sm">
            {t('intel.vulns.kevTitle')}
          </Title>
          {v.kev ? (
            <dl style={{ margin: 0 }}>
              <Fact label={t('intel.vulns.kevAdded')}>{labels.date(v.kev.dateAdded)}</Fact>
              <Fact label={t('intel.vulns.dueDate')}>{v.kev.dueDate ? labels.date(v.kev.dueDate) : '—'}</Fact>
              <Fact label={t('intel.vulns.ransomware')}>
                <Ransomware value={v.kev.knownRansomwareCampaignUse} />
              </Fact>
              {v.kev.vendorProject && <Fact label={t('intel.vulns.vendor')}>{v.kev.vendorProject}</Fact>}
              {v.kev.product && <Fact label={t('intel.vulns.product')}>{v.kev.product}</Fact>}
              {v.kev.requiredAction && <Fact label={t('intel.vulns.requiredAction')}>{v.kev.requiredAction}</Fact>}
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
          <Table.ScrollContainer minWidth={600}>
            <Table striped>
              <Table.Caption>{t('intel.vulns.remediationCaption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('intel.vulns.category')}</Table.Th>
                  <Table.Th scope="col">{t('intel.vulns.details')}</Table.Th>
                  <Table.Th scope="col">{t('intel.vulns.products')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {remediations.map((r, i) => (
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
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
    </Page>
  );
}
