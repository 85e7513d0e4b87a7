import type { Feature } from '../../platform/feature.js';
import { incidentsDemo } from './demo.js';
import { REPORT_REMINDER_CRON, REPORT_REMINDER_JOB, sendReportReminders } from './reminders.js';
import { incidentRoutes } from './routes.js';

export const incidentsFeature: Feature = {
  name: 'incidents',
  routes: [{ plugin: incidentRoutes }],
  demo: incidentsDemo,
  jobs: [{ name: REPORT_REMINDER_JOB, cron: REPORT_REMINDER_CRON, run: async (p) => void (await sendReportReminders({ db: p.db, mailer: p.mailer, baseUrl: p.config.baseUrl })) }],
};
