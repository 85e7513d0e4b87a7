import { Card, Group, List, ScrollArea, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { Loading, Page } from '../../components/Page';
import type { AttackMatrix, AttackRef } from './api';
import { attackBrowserUrl } from './filters';
import { IntelNav } from './IntelList';
import { ExternalLink, IntelError } from './shared';

function matches(r: AttackRef, q: string) {
  if (!q) return true;
  const s = q.toLowerCase();
  return r.name.toLowerCase().includes(s) || (r.externalId ?? '').toLowerCase().includes(s);
}

function RefList({ items, testId }: { items: AttackRef[]; testId: string }) {
  const { t } = useTranslation();
  if (items.length === 0) return <Text size="sm">{t('intel.attack.noneMatch')}</Text>;
  return (
    <List size="sm" spacing={4} data-testid={testId}>
      {items.map((m) => {
        const url = m.externalId ? attackBrowserUrl(m.externalId) : null;
        return (
          <List.Item key={m.id}>
            <AppLink to="/intel/objects/$id" params={{ id: m.id }}>
              {m.externalId ? `${m.externalId} ${m.name}` : m.name}
            </AppLink>
            {url && (
              <>
                {' — '}
                <ExternalLink href={url}>{t('intel.attack.onAttack')}</ExternalLink>
              </>
            )}
          </List.Item>
        );
      })}
    </List>
  );
}

/** The ATT&CK for ICS matrix: tactics with their techniques, then mitigations and assets. */
export function AttackPage() {
  const { t } = useTranslation();
  const res = useApi<AttackMatrix>('/api/v1/intel/attack');
  const [q, setQ] = useState('');
  const m = res.data;
  const filtered = useMemo(
    () => (m ? m.tactics.map((tac) => ({ ...tac, techniques: tac.techniques.filter((x) => matches(x, q.trim())) })) : []),
    [m, q],
  );
  return (
    <Page title={t('intel.attack.title')}>
      <IntelNav />
      <Text>{t('intel.attack.intro')}</Text>
      <TextInput label={t('intel.attack.filter')} description={t('intel.attack.filterHelp')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} w={320} />
      <IntelError error={res.error} />
      {res.loading && !m ? (
        <Loading />
      ) : m && m.tactics.length === 0 ? (
        <Text>{t('intel.attack.notLoaded')}</Text>
      ) : (
        m && (
          <Stack gap="xl">
            <section aria-labelledby="tactics-h">
              <Title order={2} id="tactics-h" mb="xs">
                {t('intel.attack.tactics', { count: m.tactics.length })}
              </Title>
              <ScrollArea type="auto" offsetScrollbars>
                <Group align="flex-start" wrap="nowrap" gap="sm" pb="sm">
                  {filtered.map((tac) => (
                    <Card key={tac.id} withBorder w={230} miw={230} padding="sm" component="section" aria-labelledby={`tac-${tac.id}`} data-testid="attack-tactic">
                      <Title order={3} size="h5" id={`tac-${tac.id}`}>
                        <AppLink to="/intel/objects/$id" params={{ id: tac.id }}>
                          {tac.name}
                        </AppLink>
                      </Title>
                      <Text size="xs" c="dimmed" mb="xs">
                        {tac.externalId} · {t('intel.attack.techniqueCount', { count: tac.techniques.length })}
                      </Text>
                      <Stack gap={6}>
                        {tac.techniques.map((x) => (
                          <div key={x.id}>
                            <AppLink to="/intel/objects/$id" params={{ id: x.id }} size="sm">
                              {x.externalId ? `${x.externalId} ${x.name}` : x.name}
                            </AppLink>
                            {x.externalId && (
                              <Text size="xs">
                                <AppLink to="/intel" search={{ technique: x.externalId }} aria-label={t('intel.attack.objectsFor', { name: `${x.externalId} ${x.name}` })}>
                                  {t('intel.attack.objects')}
                                </AppLink>
                              </Text>
                            )}
                          </div>
                        ))}
                      </Stack>
                    </Card>
                  ))}
                </Group>
              </ScrollArea>
            </section>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <section aria-labelledby="mitigations-h">
                <Title order={2} id="mitigations-h" mb="xs">
                  {t('intel.attack.mitigations', { count: m.mitigations.length })}
                </Title>
                <RefList items={m.mitigations.filter((x) => matches(x, q.trim()))} testId="attack-mitigations" />
              </section>
              <section aria-labelledby="assets-h">
                <Title order={2} id="assets-h" mb="xs">
                  {t('intel.attack.assets', { count: m.assets.length })}
                </Title>
                <RefList items={m.assets.filter((x) => matches(x, q.trim()))} testId="attack-assets" />
              </section>
            </SimpleGrid>
          </Stack>
        )
      )}
    </Page>
  );
}
