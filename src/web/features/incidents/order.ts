import type { IncidentListItem } from './api';

/** Overdue reports first (the oldest deadline first), then the others as the list gives them (latest first). */
export function openFirst(items: readonly IncidentListItem[]): IncidentListItem[] {
  const overdue = items.filter((r) => r.nextDue?.overdue).sort((a, b) => a.nextDue!.dueAt.localeCompare(b.nextDue!.dueAt));
  return [...overdue, ...items.filter((r) => !r.nextDue?.overdue)];
}
