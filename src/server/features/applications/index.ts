import type { Feature } from '../../platform/feature.js';
import { applicationsDemo } from './demo.js';
import { SESSION_REMINDER_CRON, SESSION_REMINDER_JOB, sendSessionReminders } from './reminders.js';
import { applicationRoutes } from './routes.js';

export const applicationsFeature: Feature = {
  name: 'applications',
  routes: [{ plugin: applicationRoutes }],
  jobs: [{ name: SESSION_REMINDER_JOB, cron: SESSION_REMINDER_CRON, run: async (p) => void (await sendSessionReminders(p)) }],
  demo: applicationsDemo,
};
