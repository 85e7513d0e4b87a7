import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert';
import { Page } from './Page';

/**
 * What an editor shows in place of its form: why there is nothing to edit (the server's error —
 * not found reads the same as not visible, so nothing hidden is confirmed), or a plain note that
 * the item is someone else's; and the way back.
 */
export function CannotEdit({ title, error, notYours, back }: { title: string; error?: unknown; notYours?: string; back: ReactNode }) {
  return (
    <Page title={title}>
      {notYours ? <Alert color="gray">{notYours}</Alert> : <ErrorAlert error={error} />}
      {back}
    </Page>
  );
}

/** Focus the first field marked wrong (Mantine marks it aria-invalid once rendered), so a keyboard or screen-reader user lands on it. */
export const focusFirstInvalid = (root: HTMLElement | null) => requestAnimationFrame(() => root?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
