import { Anchor, Button, Checkbox, Group, NumberInput, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApi } from '../../api/useApi';
import { useCountryOptions } from '../../components/CountrySelect';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import type { Delegation, EventDetail } from './api';

/** Country delegations: quotas (the organisers), delegates and the head (the country's focal points), letters of invitation. */
export function Delegations({ e }: { e: EventDetail }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const countries = useCountryOptions();
  const list = useApi<{ items: Delegation[]; can: { setQuota: boolean } }>(`/api/v1/events/${e.id}/delegations`);
  const [error, setError] = useState<unknown>(null);
  const [country, setCountry] = useState<string | null>(null);
  const [quota, setQuota] = useState<number | string>(2);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      list.reload();
    } catch (x) {
      setError(x);
    }
  };
  if (!list.data || (!list.data.items.length && !list.data.can.setQuota)) return list.error ? <ErrorAlert error={list.error} /> : null;
  return (
    <Stack gap="sm" component="section" aria-labelledby="delegations-title">
      <Title order={2} id="delegations-title">
        {t('events.delegations.title')}
      </Title>
      {error ? <ErrorAlert error={error} /> : null}
      <DataTable caption={t('events.delegations.caption', { count: list.data.items.length })} columns={[t('events.columns.country'), t('events.delegations.quota'), t('events.delegations.delegates'), t('events.delegations.head')]} rows={list.data.items} empty={t('events.delegations.none')} minWidth={640}>
        {(d) => (
          <Table.Tr key={d.country} data-testid="delegation-row">
            <Table.Td>{labels.country(d.country)}</Table.Td>
            <Table.Td>{t('events.delegations.named', { count: d.quota, named: d.delegateCount })}</Table.Td>
            <Table.Td>
              {d.delegates ? (
                <Stack gap={4}>
                  {d.delegates.map((x) => (
                    <Group key={x.registrationId} gap="xs" wrap="wrap">
                      <Text size="sm">
                        {x.person.name} · {x.organisation.name}
                      </Text>
                      <Anchor size="sm" href={`/api/v1/events/${e.id}/delegations/${d.country}/letters/${x.registrationId}.pdf?lang=${labels.lang}`} download aria-label={`${t('events.delegations.letter')}: ${x.person.name}`}>
                        {t('events.delegations.letter')}
                      </Anchor>
                      {d.can.nominate && !x.head && (
                        <Button size="compact-xs" variant="subtle" onClick={() => void run(() => api.put(`/api/v1/events/${e.id}/delegations/${d.country}/head`, { registrationId: x.registrationId }))} aria-label={`${t('events.delegations.makeHead')}: ${x.person.name}`}>
                          {t('events.delegations.makeHead')}
                        </Button>
                      )}
                      {d.can.nominate && (
                        <Button size="compact-xs" variant="subtle" color="red" onClick={() => void run(() => api.del(`/api/v1/events/${e.id}/delegations/${d.country}/delegates/${x.registrationId}`))} aria-label={t('events.delegations.removeFor', { name: x.person.name })}>
                          {t('events.delegations.remove')}
                        </Button>
                      )}
                    </Group>
                  ))}
                  {d.can.nominate && d.delegateCount < d.quota && <Nominate eventId={e.id} country={d.country} onDone={() => list.reload()} onError={setError} />}
                </Stack>
              ) : (
                d.delegateCount
              )}
            </Table.Td>
            <Table.Td>{d.head ?? '—'}</Table.Td>
          </Table.Tr>
        )}
      </DataTable>
      {list.data.can.setQuota && (
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select label={t('events.columns.country')} data={countries} value={country} onChange={setCountry} searchable w={240} maw="100%" />
          <NumberInput label={t('events.delegations.quota')} min={0} max={1000} value={quota} onChange={setQuota} w={140} />
          <Button disabled={!country} onClick={() => void run(() => api.put(`/api/v1/events/${e.id}/delegations/${country}`, { quota: Number(quota) }))}>
            {t('events.delegations.setQuota')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function Nominate({ eventId, country, onDone, onError }: { eventId: string; country: string; onDone: () => void; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const people = useApi<{ items: { id: string; name: string; organisation: { name: string } }[] }>(`/api/v1/events/${eventId}/delegations/${country}/candidates`);
  const [person, setPerson] = useState<string | null>(null);
  const [head, setHead] = useState(false);
  return (
    <Group align="flex-end" gap="xs" wrap="wrap">
      <Select
        label={t('events.delegations.nominate')}
        data={(people.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${p.organisation.name}` }))}
        value={person}
        onChange={setPerson}
        searchable
        w={300}
        maw="100%"
      />
      <Checkbox label={t('events.delegations.asHead')} checked={head} onChange={(x) => setHead(x.currentTarget.checked)} />
      <Button
        size="xs"
        disabled={!person}
        onClick={() =>
          void api.post(`/api/v1/events/${eventId}/delegations/${country}/delegates`, { personId: person, head }).then(
            () => {
              setPerson(null);
              onDone();
            },
            onError,
          )
        }
      >
        {t('events.delegations.add')}
      </Button>
    </Group>
  );
}
