import { Badge, type BadgeProps } from '@mantine/core';
import type { ReactNode } from 'react';

/** Text colours dark enough (≥ 4.5:1) on Mantine's light badge background. */
const TEXT: Record<string, string> = {
  green: '#1e6b2e',
  teal: '#0b5e46',
  blue: '#174a87',
  red: '#a61e1e',
  gray: '#343a40',
  yellow: '#6b4e00',
};

/**
 * A badge whose words are never cut off: where its column is narrower than the words (a phone,
 * a long translation such as "Operacional 24/7"), it wraps onto a second line instead of ending
 * in "…" (the puente-badge classes in styles.css).
 */
export function StatusBadge({ color = 'gray', children, ...rest }: { color?: keyof typeof TEXT | string; children: ReactNode } & Omit<BadgeProps, 'color' | 'variant'>) {
  return (
    <Badge variant="light" color={color} c={TEXT[color] ?? TEXT.gray} classNames={{ root: 'puente-badge', label: 'puente-badge-label' }} {...rest}>
      {children}
    </Badge>
  );
}
