import type { FeatureDemo } from '../../demo/context.js';
import { newId } from '../../platform/ids.js';
import { insertMission } from '../experts/repository.js';
import { wallTime } from '../offers/zones.js';
import { answerStaffing, demoFirstSession, demoVettedExpert, insertStaffing } from './repository.js';

/**
 * The summer school's first session staffed from the pool: the Spanish diplomat confirmed as a
 * trainer (their mission on their profile), the Chilean analyst proposed as a facilitator and
 * waiting for their answer — so both sides of staffing show in the demo.
 */
const STAFF = [
  { person: 'diplomat.es@demo.puente.test', role: 'trainer', confirmed: true },
  { person: 'analyst.cl@demo.puente.test', role: 'facilitator', confirmed: false },
] as const;

export const staffingDemo: FeatureDemo = async ({ trx, personIds }) => {
  const s = await demoFirstSession(trx, 'Summer School of Cyber Diplomacy 2027');
  if (!s || !s.author_id) return;
  for (const x of STAFF) {
    const personId = personIds.get(x.person);
    const expert = personId ? await demoVettedExpert(trx, personId) : undefined;
    if (!personId || !expert) continue;
    const id = newId();
    await insertStaffing(trx, { id, sessionId: s.session_id, offerId: s.offer_id, expertId: expert.id, role: x.role, proposedBy: s.author_id });
    if (!x.confirmed) continue;
    const missionId = newId();
    await insertMission(trx, missionId, expert.id, personId, {
      title: s.title,
      country: s.country,
      startsOn: wallTime(s.starts_at, s.time_zone).slice(0, 10),
      endsOn: wallTime(s.ends_at, s.time_zone).slice(0, 10),
      offerId: s.offer_id,
      requestId: null,
      hostOrgId: s.author_org_id !== expert.author_org_id ? s.author_org_id : null,
    });
    await answerStaffing(trx, id, { status: 'confirmed', by: personId, missionId });
  }
};
