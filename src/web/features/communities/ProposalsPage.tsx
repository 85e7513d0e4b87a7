import { Alert, Button, Card, Group, Radio, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Items } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { hasRole, useSession } from '../../session';
import { asError, useWhen } from './common';

interface Proposal {
  id: string;
  slug: string;
  name: string;
  description: string;
  visibility: 'public' | 'members';
  status: 'proposed' | 'approved' | 'rejected';
  reason: string;
  proposedBy: { id: string | null; name: string };
  organisation: { id: string | null; name: string; country: string };
  decisionReason: string | null;
  createdAt: string;
}

// ---------- proposals ----------

export function ProposalsPage() {
  const { t } = useTranslation();
  const when = useWhen();
  const { me } = useSession();
  const secretariat = hasRole(me, 'secretariat');
  const list = useApi<Items<Proposal>>(`/api/v1/communities/proposals${secretariat ? '' : ''}`);
  const [form, setForm] = useState({ slug: '', name: '', description: '', visibility: 'public', reason: '' });
  const [error, setError] = useState<ApiError>();
  const [sent, setSent] = useState(false);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  async function propose(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await api.post('/api/v1/communities/proposals', form);
      setSent(true);
      setForm({ slug: '', name: '', description: '', visibility: 'public', reason: '' });
      list.reload();
    } catch (x) {
      setError(asError(x));
    }
  }
  async function decide(id: string, decision: 'approve' | 'reject') {
    setError(undefined);
    try {
      await api.post(`/api/v1/communities/${id}/decision`, { decision, ...(reasons[id] ? { reason: reasons[id] } : {}) });
      list.reload();
    } catch (x) {
      setError(asError(x));
    }
  }
  return (
    <Page title={secretariat ? t('discussions.proposalsQueue') : t('discussions.proposalsTitle')}>
      <ErrorAlert error={error ?? list.error} />
      <section aria-labelledby="proposals-list">
        <Title order={2} size="h3" id="proposals-list" mb="sm">
          {secretariat ? t('discussions.waiting') : t('discussions.yourProposals')}
        </Title>
        {list.error ? null : (list.data?.items ?? []).length === 0 ? (
          <Text>{t('discussions.noProposals')}</Text>
        ) : (
          <Stack>
            {(list.data?.items ?? []).map((p) => (
              <Card withBorder key={p.id} component="article" aria-labelledby={`proposal-${p.id}`}>
                <Group justify="space-between">
                  <Title order={3} size="h4" id={`proposal-${p.id}`}>
                    {p.name}
                  </Title>
                  <StatusBadge color={p.status === 'approved' ? 'teal' : p.status === 'rejected' ? 'red' : 'yellow'}>{t(`discussions.status.${p.status}`)}</StatusBadge>
                </Group>
                <Text size="sm" c="dimmed">
                  {t('discussions.proposedBy', { name: p.proposedBy.name, org: p.organisation.name, when: when(p.createdAt) })}
                </Text>
                {p.description && <Text size="sm">{p.description}</Text>}
                {p.reason && <Text size="sm">{t('discussions.why', { reason: p.reason })}</Text>}
                <Text size="sm">{t(`discussions.visibility.${p.visibility}`)}</Text>
                {p.decisionReason && <Text size="sm">{t('discussions.decisionReason', { reason: p.decisionReason })}</Text>}
                {secretariat && p.status === 'proposed' && (
                  <Group mt="xs" align="flex-end">
                    <TextInput label={t('discussions.reasonRequired')} value={reasons[p.id] ?? ''} onChange={(e) => setReasons({ ...reasons, [p.id]: e.currentTarget.value })} />
                    <Button onClick={() => decide(p.id, 'approve')}>{t('discussions.approve')}</Button>
                    <Button variant="default" disabled={!(reasons[p.id] ?? '').trim()} onClick={() => decide(p.id, 'reject')}>
                      {t('discussions.reject')}
                    </Button>
                  </Group>
                )}
                {p.status === 'approved' && (
                  <AppLink to="/communities/$communityId" params={{ communityId: p.id }}>
                    {t('discussions.openCommunity')}
                  </AppLink>
                )}
              </Card>
            ))}
          </Stack>
        )}
      </section>
      {hasRole(me, 'org_admin') && (
        <Card withBorder component="form" onSubmit={propose} aria-labelledby="propose-heading">
          <Stack>
            <Title order={2} size="h3" id="propose-heading">
              {t('discussions.propose')}
            </Title>
            <TextInput label={t('discussions.proposalName')} required minLength={2} maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} />
            <TextInput
              label={t('discussions.proposalSlug')}
              description={t('discussions.proposalSlugHelp')}
              required
              pattern="^[a-z0-9][a-z0-9\-]{1,62}$"
              value={form.slug}
              onChange={(e) => setForm({ ...form, slug: e.currentTarget.value })}
            />
            <Textarea label={t('discussions.proposalDescription')} autosize minRows={3} value={form.description} onChange={(e) => setForm({ ...form, description: e.currentTarget.value })} />
            <Radio.Group label={t('discussions.descriptionVisibility')} value={form.visibility} onChange={(v) => setForm({ ...form, visibility: v })}>
              <Group mt="xs">
                <Radio value="public" label={t('discussions.visibility.public')} />
                <Radio value="members" label={t('discussions.visibility.members')} />
              </Group>
            </Radio.Group>
            <Textarea label={t('discussions.proposalReason')} autosize minRows={2} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.currentTarget.value })} />
            {sent && (
              <Alert color="teal" role="status">
                {t('discussions.proposalSent')}
              </Alert>
            )}
            <Group>
              <Button type="submit">{t('discussions.sendProposal')}</Button>
            </Group>
          </Stack>
        </Card>
      )}
      <ButtonLink to="/communities" variant="subtle">
        {t('discussions.backToCommunities')}
      </ButtonLink>
    </Page>
  );
}
