import type { Feature } from '../../platform/feature.js';
import { coverageRoutes } from './coverage.js';
import { contactsDemo } from './demo.js';
import { REMINDER_CRON, REMINDER_JOB, sendStaleReminders } from './reminders.js';
import { contactRoutes } from './routes.js';

export const contactsFeature: Feature = {
  name: 'contacts',
  routes: [{ plugin: contactRoutes }, { plugin: coverageRoutes }],
  jobs: [{ name: REMINDER_JOB, cron: REMINDER_CRON, run: async (p) => void (await sendStaleReminders({ db: p.db, mailer: p.mailer, baseUrl: p.config.baseUrl })) }],
  demo: contactsDemo,
};
