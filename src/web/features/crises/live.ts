import { useEffect, useRef } from 'react';

/**
 * The events that change a room: the server sends each only to those who may see both the room and
 * what the event is about (features/crises: subjects `crisis` and `sitrep`), and carries ids only,
 * so the room asks for itself again rather than reading the event.
 */
export const ROOM_EVENTS = [
  'crisis.level_changed',
  'crisis.member_added',
  'crisis.decision_logged',
  'crisis.action_added',
  'crisis.action_updated',
  'crisis.assistance_requested',
  'crisis.inject_released',
  'crisis.closed',
  'crisis.alert',
  'crisis.alert_acknowledged',
  'sitrep.submitted',
  'sitrep.translated',
] as const;

/** Waits this long after the last event before fetching again, so that a burst (a sitrep and its alerts) is one fetch. */
const SETTLE_MS = 800;

/** Whether a stream message is about this crisis (its payload names it). */
export function isAboutCrisis(data: string, crisisId: string): boolean {
  try {
    const e = JSON.parse(data) as { payload?: { crisisId?: unknown } };
    return e.payload?.crisisId === crisisId;
  } catch {
    return false;
  }
}

/** Calls `onChange` when an event about this room reaches the reader on the event stream. */
export function useRoomEvents(crisisId: string | undefined, onChange: () => void) {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (!crisisId || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/stream', { withCredentials: true });
    let timer: number | undefined;
    const onEvent = (m: MessageEvent) => {
      if (!isAboutCrisis(String(m.data), crisisId)) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => latest.current(), SETTLE_MS);
    };
    for (const type of ROOM_EVENTS) source.addEventListener(type, onEvent as EventListener);
    return () => {
      window.clearTimeout(timer);
      for (const type of ROOM_EVENTS) source.removeEventListener(type, onEvent as EventListener);
      source.close();
    };
  }, [crisisId]);
}
