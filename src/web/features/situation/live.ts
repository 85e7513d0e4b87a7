import { useEffect, useRef } from 'react';

/**
 * The incident events that change a figure of the picture: a report added, changed, moved on,
 * handed over (its marking may widen or narrow) or linked to intel. The stream sends each only to
 * those the report's marking lets see it (platform/events.ts), so an event that reaches this page
 * is one whose report the reader may count.
 */
export const INCIDENT_EVENTS = ['incident.created', 'incident.updated', 'incident.status_changed', 'incident.handed_over', 'incident.linked', 'incident.unlinked', 'incident.report_submitted'] as const;

/** Waits this long after the last event before fetching again, so that a burst (an import) is one fetch. */
const SETTLE_MS = 1500;

/**
 * Calls `onChange` when an incident event reaches this reader on the event stream (signed in
 * only: the stream is for members). The page then asks for its figures again; the event itself
 * carries nothing the page counts.
 */
export function useIncidentEvents(enabled: boolean, onChange: () => void) {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/stream', { withCredentials: true });
    let timer: number | undefined;
    const onEvent = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => latest.current(), SETTLE_MS);
    };
    for (const type of INCIDENT_EVENTS) source.addEventListener(type, onEvent);
    return () => {
      window.clearTimeout(timer);
      for (const type of INCIDENT_EVENTS) source.removeEventListener(type, onEvent);
      source.close();
    };
  }, [enabled]);
}
