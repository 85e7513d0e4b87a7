import { Badge, Button, Group } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CARDS_MEDIA_QUERY } from './DataTable';

/**
 * A list's filters: in a row on a wide screen; on a phone (below 48em, where they would stack
 * into a screen of their own before the first result) folded behind a button that says how many
 * are in use. Folded filters are not rendered at all, so a phone's first view costs only the list.
 */
export function FilterPanel({ active, children }: { active: number; children: ReactNode }) {
  const { t } = useTranslation();
  const phone = useMediaQuery(CARDS_MEDIA_QUERY, false, { getInitialValueInEffect: false });
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!phone) return <>{children}</>;
  return (
    <div className="filter-panel">
      <Group gap="xs">
        <Button variant="default" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)} data-testid="filter-panel-toggle">
          {open ? t('common.filtersHide') : t('common.filtersShow')}
        </Button>
        {active > 0 && (
          <Badge variant="light" tt="none">
            {t('common.filtersActive', { count: active })}
          </Badge>
        )}
      </Group>
      <div id={id} hidden={!open}>
        {open && children}
      </div>
    </div>
  );
}
