import { Card, SimpleGrid, Stack, Title } from '@mantine/core';
import { Suspense, type ReactNode } from 'react';
import { Loading } from './Page';

/**
 * A figure of a dashboard: its chart and the table with the same figures, side by side on a wide
 * screen (the table is what a screen reader, a phone and a printout read). The chart may be a
 * lazily loaded one: it waits behind its own Suspense, not the table.
 */
export function Figure({ title, chart, children }: { title: string; chart?: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          {title}
        </Title>
        <SimpleGrid cols={{ base: 1, lg: chart ? 2 : 1 }} spacing="lg">
          {chart && <Suspense fallback={<Loading />}>{chart}</Suspense>}
          <div>{children}</div>
        </SimpleGrid>
      </Stack>
    </Card>
  );
}
