/** The session's days at the venue ("2027-06-21"), to compare with the experts' availability windows. */
const dayOf = (local: string) => local.slice(0, 10);

/** Whether one of the expert's availability windows covers every day of the session. */
export function availableFor(expert: { available: readonly { from: string; to: string }[] }, session: { localStart: string; localEnd: string }): boolean {
  const from = dayOf(session.localStart);
  const to = dayOf(session.localEnd);
  return expert.available.some((w) => w.from <= from && w.to >= to);
}
