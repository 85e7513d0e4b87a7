import { Box, Card, List, SimpleGrid, Stack, Table, Text, Title, Group } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { TLP_LEVELS, type Note } from '../../api/types';
import { useApi } from '../../api/useApi';
import { ButtonLink } from '../../components/AppLink';
import { TlpBadge } from '../../components/TlpBadge';

/** What exists today, and only that: the landing page promises nothing that is not built. */
const TODAY = ['foundation', 'directory', 'intel'] as const;

export function TlpTable() {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table striped withTableBorder captionSide="top" verticalSpacing="sm">
        <Table.Caption>{t('tlp.tableCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('tlp.columnLevel')}</Table.Th>
            <Table.Th scope="col">{t('tlp.columnMeaning')}</Table.Th>
            <Table.Th scope="col">{t('tlp.columnWho')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {TLP_LEVELS.map((tlp) => (
            <Table.Tr key={tlp}>
              <Table.Th scope="row">
                <TlpBadge tlp={tlp} />
              </Table.Th>
              <Table.Td>{t(`tlp.${tlp}.short`)}</Table.Td>
              <Table.Td>{t(`tlp.${tlp}.who`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** TLP:CLEAR notes are for everyone: the public part of the platform shows the latest. */
function PublicNotes() {
  const { t } = useTranslation();
  const { data } = useApi<{ items: Note[] }>('/api/v1/notes?tlp=CLEAR&limit=6', { quiet401: true });
  if (!data || data.items.length === 0) return null;
  return (
    <section aria-labelledby="public-notes-title">
      <Title order={2} id="public-notes-title" mb="xs">
        {t('landing.publicNotesTitle')}
      </Title>
      <Text mb="sm">{t('landing.publicNotesIntro')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {data.items.map((n) => (
          <Card key={n.id} withBorder padding="lg" component="article" lang={n.language}>
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Title order={3} size="h4">
                {n.title}
              </Title>
              <TlpBadge tlp={n.tlp} size="sm" />
            </Group>
            <Text size="sm" c="dimmed" mt={4}>
              {n.organisation.name}
            </Text>
            <Text mt="xs" lineClamp={4} style={{ whiteSpace: 'pre-line' }}>
              {n.body}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </section>
  );
}

export function Landing() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('app.name')} · ${t('app.tagline')}`;
  }, [t]);
  return (
    <Stack gap="xl">
      <Box className="hero" p={{ base: 'lg', md: 'xl' }}>
        <Title order={1} data-testid="landing-title">
          {t('landing.title')}
        </Title>
        <Text size="lg" mt="sm" maw={760}>
          {t('landing.intro')}
        </Text>
        <Group mt="lg">
          <ButtonLink to="/sign-in" variant="white" color="dark">
            {t('nav.signIn')}
          </ButtonLink>
          <ButtonLink to="/join" variant="outline" color="gray.0" c="white">
            {t('nav.join')}
          </ButtonLink>
          <ButtonLink to="/organisations" variant="subtle" color="gray.0" c="white">
            {t('landing.browseDirectory')}
          </ButtonLink>
        </Group>
      </Box>

      <section aria-labelledby="today-title" data-testid="landing-today">
        <Title order={2} id="today-title" mb="sm">
          {t('landing.todayTitle')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {TODAY.map((part) => (
            <Card key={part} withBorder padding="lg">
              <Title order={3} size="h4">
                {t(`landing.today.${part}.title`)}
              </Title>
              <Text mt="xs">{t(`landing.today.${part}.description`)}</Text>
            </Card>
          ))}
        </SimpleGrid>
      </section>

      <PublicNotes />

      <section aria-labelledby="tlp-title">
        <Title order={2} id="tlp-title" mb="xs">
          {t('tlp.title')}
        </Title>
        <Text mb="sm">{t('tlp.intro')}</Text>
        <TlpTable />
      </section>

      <section aria-labelledby="join-title">
        <Title order={2} id="join-title" mb="xs">
          {t('landing.joinTitle')}
        </Title>
        <List spacing="xs">
          <List.Item>{t('landing.joinStep1')}</List.Item>
          <List.Item>{t('landing.joinStep2')}</List.Item>
          <List.Item>{t('landing.joinStep3')}</List.Item>
        </List>
        <Group mt="md">
          <ButtonLink to="/join">{t('nav.join')}</ButtonLink>
          <ButtonLink to="/sign-in" variant="default">
            {t('nav.signIn')}
          </ButtonLink>
        </Group>
      </section>
    </Stack>
  );
}
