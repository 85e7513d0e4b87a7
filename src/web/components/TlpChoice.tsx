import { Radio, Stack, Text, type MantineSpacing } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Tlp } from '../api/types';
import { TlpBadge } from './TlpBadge';

/**
 * The TLP level as radio buttons (badge plus its meaning in words), then who may see it at the
 * chosen level. Used by the marking pickers (notes, intelligence); the audience fields stay theirs.
 */
export function TlpChoice({
  levels,
  value,
  onChange,
  label,
  description,
  gap = 'xs',
}: {
  levels: readonly Tlp[];
  value: Tlp;
  onChange: (tlp: Tlp) => void;
  label: string;
  description: string;
  /** Space between the radio buttons. */
  gap?: MantineSpacing;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Radio.Group label={label} description={description} value={value} onChange={(v) => onChange(v as Tlp)} required>
        <Stack gap={gap} mt="xs">
          {levels.map((tlp) => (
            <Radio
              key={tlp}
              value={tlp}
              label={
                <span>
                  <TlpBadge tlp={tlp} size="sm" /> {t(`tlp.${tlp}.short`)}
                </span>
              }
              aria-label={`TLP:${tlp} — ${t(`tlp.${tlp}.short`)}`}
            />
          ))}
        </Stack>
      </Radio.Group>
      <Text size="sm" c="dimmed">
        {t(`tlp.${value}.who`)}
      </Text>
    </>
  );
}
