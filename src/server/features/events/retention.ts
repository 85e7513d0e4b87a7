import { change, type Platform } from '../../platform/deps.js';
import { eventsPastRetention, purgeAnswers } from './repository.js';

/**
 * The retention period of an event's registration form: once it has passed after the event's
 * end, the personal answers of its registrations are emptied (the registrations themselves stay,
 * for the participant count and the calendars). Each event in its own transaction, audited with
 * counts only. Returns the number of registrations purged.
 */
export async function purgeExpiredAnswers(p: Platform, now = new Date()): Promise<number> {
  let purged = 0;
  for (const id of await eventsPastRetention(p.db, now))
    purged += await change(p, async (c) => {
      const n = await purgeAnswers(c.trx, id, now);
      await c.audit({ action: 'event.answers_purged', actorId: null, targetType: 'event', targetId: id, details: { registrations: n } });
      return n;
    });
  return purged;
}
