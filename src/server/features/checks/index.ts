import type { Feature } from '../../platform/feature.js';
import type { Platform } from '../../platform/deps.js';
import { checksDemo } from './demo.js';
import { checkRoutes } from './routes.js';
import { CLOSE_JOB, closeDueChecks, REMINDERS_JOB, sendDueReminders } from './jobs.js';

const jobDeps = (p: Platform) => ({ db: p.db, mailer: p.mailer, baseUrl: p.config.baseUrl, box: p.box });

export const checksFeature: Feature = {
  name: 'checks',
  routes: [{ plugin: checkRoutes }],
  jobs: [
    { name: REMINDERS_JOB, cron: '*/5 * * * *', run: async (p) => void (await sendDueReminders(jobDeps(p))) },
    // Every minute: a check closes within a minute of its deadline.
    { name: CLOSE_JOB, cron: '* * * * *', run: async (p) => void (await closeDueChecks(jobDeps(p))) },
  ],
  demo: checksDemo,
};
