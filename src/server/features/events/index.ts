import type { Feature } from '../../platform/feature.js';
import { eventsDemo } from './demo.js';
import { purgeExpiredAnswers } from './retention.js';
import { eventRoutes } from './routes.js';
import { eventsTagged, RETENTION_CRON, RETENTION_JOB } from './service.js';

export const eventsFeature: Feature = {
  name: 'events',
  routes: [{ plugin: eventRoutes }],
  jobs: [{ name: RETENTION_JOB, cron: RETENTION_CRON, run: async (p) => void (await purgeExpiredAnswers(p)) }],
  demo: eventsDemo,
  tagged: eventsTagged,
};
