import { Button, Card, Group, MultiSelect, Radio, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { TOPIC_TLP_LEVELS, type TopicTlp } from '#shared/tlp';
import type { Items, Tlp } from '../../api/types';
import { useApi } from '../../api/useApi';
import { ErrorAlert } from '../../components/ErrorAlert';
import { TlpBadge } from '../../components/TlpBadge';
import { asError } from './common';
import type { Topic } from './types';

/** A topic's TLP (each level said as who in the community may read) and, at RED, the people who may. */
export function TopicTlpFields({
  community,
  description,
  tlp,
  onTlp,
  people,
  onPeople,
}: {
  community: { id: string; name: string };
  description?: string;
  tlp: TopicTlp;
  onTlp: (tlp: TopicTlp) => void;
  people: string[];
  onPeople: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  const members = useApi<Items<{ id: string; name: string; organisation: string }>>(tlp === 'RED' ? `/api/v1/communities/${community.id}/mentionable` : null);
  return (
    <>
      <Radio.Group label={t('discussions.tlp')} description={description} value={tlp} onChange={(v) => onTlp(v as TopicTlp)}>
        <Stack gap={4} mt="xs">
          {TOPIC_TLP_LEVELS.map((x) => (
            <Radio key={x} value={x} label={<span><TlpBadge tlp={x} size="sm" /> {t(`discussions.tlpAudience.${x}`, { community: community.name })}</span>} aria-label={`TLP:${x} — ${t(`discussions.tlpAudience.${x}`, { community: community.name })}`} />
          ))}
        </Stack>
      </Radio.Group>
      {tlp === 'RED' && (
        <MultiSelect label={t('discussions.redPeople')} searchable data={(members.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.name} — ${m.organisation}` }))} value={people} onChange={onPeople} />
      )}
    </>
  );
}

/** The author (or their organisation admins) change the topic's marking; once others replied, only narrower. */
export function MarkingChanger({ tp, onDone }: { tp: Topic; onDone: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [tlp, setTlp] = useState<Exclude<Tlp, 'CLEAR'>>(tp.tlp === 'CLEAR' ? 'GREEN' : (tp.tlp as Exclude<Tlp, 'CLEAR'>));
  const [people, setPeople] = useState<string[]>([]);
  const [error, setError] = useState<ApiError>();
  if (!open)
    return (
      <Button variant="default" size="xs" onClick={() => setOpen(true)}>
        {t('discussions.manage.changeMarking')}
      </Button>
    );
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await api.put(`/api/v1/topics/${tp.id}/marking`, { tlp, ...(tlp === 'RED' ? { audience: { people } } : {}) });
      setOpen(false);
      onDone();
    } catch (x) {
      setError(asError(x));
    }
  }
  return (
    <Card withBorder component="form" onSubmit={submit} aria-labelledby={`marking-${tp.id}`}>
      <Stack gap="sm">
        <Title order={3} size="h5" id={`marking-${tp.id}`}>
          {t('discussions.manage.changeMarking')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('discussions.manage.narrowOnly')}
        </Text>
        <TopicTlpFields community={{ id: tp.communityId, name: tp.communityName }} tlp={tlp} onTlp={setTlp} people={people} onPeople={setPeople} />
        <ErrorAlert error={error} />
        <Group>
          <Button type="submit">{t('discussions.manage.saveMarking')}</Button>
          <Button variant="default" onClick={() => setOpen(false)}>
            {t('discussions.manage.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
