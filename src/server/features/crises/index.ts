import type { Feature } from '../../platform/feature.js';
import { crisesDemo } from './demo.js';
import { crisisRoutes } from './routes.js';
import { releaseDueInjects, remindDueSitreps } from './service.js';

/** Checked often: at level crisis a report is due every six hours, and a reminder an hour late is no reminder. */
export const SITREP_REMINDER_JOB = 'crises.sitrep_reminders';
export const SITREP_REMINDER_CRON = '*/10 * * * *';

/** An exercise's scenario runs on its planned times: an inject planned for 10:00 reaches the room within the minute. */
export const INJECT_RELEASE_JOB = 'crises.inject_release';
export const INJECT_RELEASE_CRON = '* * * * *';

export const crisesFeature: Feature = {
  name: 'crises',
  routes: [{ plugin: crisisRoutes }],
  jobs: [
    { name: SITREP_REMINDER_JOB, cron: SITREP_REMINDER_CRON, run: async (p) => void (await remindDueSitreps(p)) },
    { name: INJECT_RELEASE_JOB, cron: INJECT_RELEASE_CRON, run: async (p) => void (await releaseDueInjects(p)) },
  ],
  demo: crisesDemo,
};
