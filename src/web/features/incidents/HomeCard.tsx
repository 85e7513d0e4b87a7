import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { TlpBadge } from '../../components/TlpBadge';
import { useSession } from '../../session';
import { INCIDENT_STATUSES, type IncidentPage } from './api';
import { openFirst } from './order';
import { incidentsListPath } from './search';
import { IncidentLink, NextDue, SeverityBadge } from './shared';

const OPEN = INCIDENT_STATUSES.filter((s) => s !== 'closed').join(',');
const SHOWN = 5;

/** The analyst's home: the open incident reports shared with them, those with an overdue NIS2 report first. */
export function IncidentsHomeCard() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const open = useApi<IncidentPage>(incidentsListPath({ status: OPEN }, labels.lang));
  const items = openFirst(open.data?.items ?? []).slice(0, SHOWN);
  return (
    <Card withBorder padding="lg" data-testid="home-incidents">
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={3} size="h4">
          <AppLink to="/incidents" search={{ status: OPEN }}>
            {t('incidents.home.title')}
          </AppLink>
        </Title>
        {me?.organisation && (
          <ButtonLink to="/incidents/new" size="sm">
            {t('incidents.report')}
          </ButtonLink>
        )}
      </Group>
      <Text size="sm" mb="sm">
        {t('incidents.home.intro')}
      </Text>
      {open.error ? (
        <ErrorAlert error={open.error} />
      ) : items.length > 0 ? (
        <Stack gap="sm" component="ul" className="plain-list">
          {items.map((r) => (
            <li key={r.id} data-testid="home-incident">
              <Group gap="xs" wrap="wrap">
                <TlpBadge tlp={r.tlp} size="sm" />
                <SeverityBadge severity={r.impactSeverity} />
                <IncidentLink r={r} />
              </Group>
              <Text size="xs" c="dimmed">
                {r.ownerOrg.name}
                {r.countries.length > 0 && ` · ${r.countries.map(labels.country).join(', ')}`}
              </Text>
              <NextDue due={r.nextDue} />
            </li>
          ))}
        </Stack>
      ) : (
        open.data && <Text size="sm">{t('incidents.home.none')}</Text>
      )}
    </Card>
  );
}
