import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Items } from '../../api/types';
import { useApi } from '../../api/useApi';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StatusBadge } from '../../components/StatusBadge';
import { hasRole, useSession } from '../../session';
import { asError } from './common';
import type { CommunityFull, Person } from './types';

interface JoinRequest {
  id: string;
  kind: 'organisation' | 'person';
  organisation: { id: string; name: string; country: string } | null;
  person: Person | null;
  requestedBy: { id: string; name: string; organisation: string };
  message: string;
  status: 'pending' | 'approved' | 'declined';
  decisionReason: string | null;
  createdAt: string;
}

export function JoinRequests({ community }: { community: CommunityFull }) {
  const { t } = useTranslation();
  const list = useApi<Items<JoinRequest>>(`/api/v1/communities/${community.id}/join-requests`);
  const [reason, setReason] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError>();
  const items = list.data?.items ?? [];
  if (!community.can.manage) return null;
  return (
    <section aria-labelledby="join-requests-heading">
      <Title order={2} size="h3" id="join-requests-heading" mb="sm">
        {t('discussions.joinRequests')}
      </Title>
      <ErrorAlert error={error ?? list.error} />
      {list.error ? null : items.length === 0 ? (
        <Text>{t('discussions.noJoinRequests')}</Text>
      ) : (
        <Stack>
          {items.map((r) => (
            <Card withBorder key={r.id}>
              <Text fw={500}>{r.kind === 'organisation' ? t('discussions.requestForOrg', { org: r.organisation?.name }) : t('discussions.requestForPerson', { name: r.person?.name })}</Text>
              <Text size="sm" c="dimmed">
                {t('discussions.requestedBy', { name: r.requestedBy.name, org: r.requestedBy.organisation })}
              </Text>
              {r.message && <Text size="sm">{r.message}</Text>}
              <Group mt="xs" align="flex-end">
                <TextInput label={t('discussions.reason')} value={reason[r.id] ?? ''} onChange={(e) => setReason({ ...reason, [r.id]: e.currentTarget.value })} />
                {(['approve', 'decline'] as const).map((d) => (
                  <Button
                    key={d}
                    variant={d === 'approve' ? 'filled' : 'default'}
                    onClick={async () => {
                      setError(undefined);
                      try {
                        await api.post(`/api/v1/communities/${community.id}/join-requests/${r.id}/decision`, { decision: d, ...(reason[r.id] ? { reason: reason[r.id] } : {}) });
                        list.reload();
                      } catch (e) {
                        setError(asError(e));
                      }
                    }}
                  >
                    {t(`discussions.${d}`)}
                  </Button>
                ))}
              </Group>
            </Card>
          ))}
        </Stack>
      )}
    </section>
  );
}

export function JoinButtons({ community, onChange }: { community: CommunityFull; onChange: () => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState(false);
  if (community.isMember || community.status !== 'approved') return null;
  const ask = async (kind: 'person' | 'organisation') => {
    setError(undefined);
    try {
      await api.post(`/api/v1/communities/${community.id}/join-requests`, { for: kind });
      setDone(true);
      onChange();
    } catch (e) {
      setError(asError(e));
    }
  };
  return (
    <Stack gap="xs">
      <Group>
        {community.pendingRequests.person ? (
          <StatusBadge color="yellow">{t('discussions.pendingPerson')}</StatusBadge>
        ) : (
          <Button onClick={() => ask('person')}>{t('discussions.askJoinPerson')}</Button>
        )}
        {hasRole(me, 'org_admin') &&
          (community.pendingRequests.organisation ? (
            <StatusBadge color="yellow">{t('discussions.pendingOrganisation')}</StatusBadge>
          ) : (
            <Button variant="default" onClick={() => ask('organisation')}>
              {t('discussions.askJoinOrganisation')}
            </Button>
          ))}
      </Group>
      {done && (
        <Alert color="teal" role="status">
          {t('discussions.requestSent')}
        </Alert>
      )}
      <ErrorAlert error={error} />
    </Stack>
  );
}
