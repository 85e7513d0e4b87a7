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

export function StatusBadge({ color = 'gray', children, ...rest }: { color?: keyof typeof TEXT | string; children: ReactNode } & Omit<BadgeProps, 'color' | 'variant'>) {
  return (
    <Badge variant="light" color={color} c={TEXT[color] ?? TEXT.gray} style={{ overflow: 'visible' }} {...rest}>
      {children}
    </Badge>
  );
}
