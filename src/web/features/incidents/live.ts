import { useEffect, useRef } from 'react';

/**
 * The events of one report that change what its page shows (server: features/incidents/service.ts
 * `announce`). The stream sends each only to those who may see the report (platform/events.ts).
 */
const REPORT_EVENTS = [
  'incident.updated',
  'incident.status_changed',
  'incident.handed_over',
  'incident.linked',
  'incident.unlinked',
  'incident.report_submitted',
  'incident.report_requested',
  'incident.update_added',
] as const;

/** Waits this long after the last event before reading the report again, so that a burst is one fetch. */
const SETTLE_MS = 1000;

/**
 * Calls `onChange` when another handler changes the report `id` (its clocks, status, timeline), so
 * that people working on one incident at once see each other's moves without reloading.
 */
export function useReportEvents(id: string | null, onChange: () => void) {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (!id || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/stream', { withCredentials: true });
    let timer: number | undefined;
    const onEvent = (message: MessageEvent) => {
      try {
        if ((JSON.parse(message.data) as { subjectId?: string }).subjectId !== id) return;
      } catch {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(() => latest.current(), SETTLE_MS);
    };
    for (const type of REPORT_EVENTS) source.addEventListener(type, onEvent as EventListener);
    return () => {
      window.clearTimeout(timer);
      for (const type of REPORT_EVENTS) source.removeEventListener(type, onEvent as EventListener);
      source.close();
    };
  }, [id]);
}
