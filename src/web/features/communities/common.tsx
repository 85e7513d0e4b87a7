import { Typography } from '@mantine/core';
import { ApiError } from '../../api/client';
import { useLabels } from '../../components/labels';

export const asError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'NETWORK_ERROR', String(e)));
/** Date and time in the person's time zone, labelled (components/time.ts). */
export function useWhen() {
  const labels = useLabels();
  return (iso: string | null) => labels.dateTime(iso);
}

/** Sanitised on the server (markdown-it without HTML + sanitize-html allow-list): safe to insert. */
export function ServerHtml({ html }: { html: string }) {
  return (
    <Typography>
      <div className="discussion-body" dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}
