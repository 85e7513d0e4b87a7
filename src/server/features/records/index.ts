import type { Feature } from '../../platform/feature.js';
import { recordsDemo } from './demo.js';
import { COMMITMENT_REMINDER_CRON, COMMITMENT_REMINDER_JOB, sendCommitmentReminders } from './reminders.js';
import { recordRoutes } from './routes.js';
import { recordsTagged } from './service.js';

export const recordsFeature: Feature = {
  name: 'records',
  routes: [{ plugin: recordRoutes }],
  jobs: [{ name: COMMITMENT_REMINDER_JOB, cron: COMMITMENT_REMINDER_CRON, run: async (p) => void (await sendCommitmentReminders({ db: p.db, mailer: p.mailer, baseUrl: p.config.baseUrl })) }],
  demo: recordsDemo,
  tagged: recordsTagged,
};
