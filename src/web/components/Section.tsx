import { Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled part of an item's page (a level-2 heading, so the page outline reads well in a screen reader), with an optional line of help. */
export function Section({ title, help, children, testId }: { title: string; help?: string; children: ReactNode; testId?: string }) {
  return (
    <section data-testid={testId}>
      <Title order={2} size="h3" mb={help ? 4 : 'xs'}>
        {title}
      </Title>
      {help && (
        <Text size="sm" c="dimmed" mb="xs">
          {help}
        </Text>
      )}
      {children}
    </section>
  );
}

/** One line of facts: the label in the reader's language (with its colon, as each language writes it), then the value. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Text size="sm">
      <strong>{label}</strong> {children}
    </Text>
  );
}
