import type { Feature } from '../../platform/feature.js';
import { authRoutes } from './routes.js';
import { handlePasswordResetJob, RESET_JOB, RESET_SWEEP_CRON } from './reset.js';
import { pruneLoginThrottle } from './throttle.js';

export const authFeature: Feature = {
  name: 'auth',
  routes: [{ plugin: authRoutes }],
  // Reset requests are answered at once and mailed by this job (sent by the route, swept every minute).
  jobs: [
    { name: RESET_JOB, cron: RESET_SWEEP_CRON, run: handlePasswordResetJob },
    // Hourly, beside the platform's clean-up: sign-in throttles past their window.
    { name: 'auth.prune_throttles', cron: '17 * * * *', run: async (p) => pruneLoginThrottle(p.db) },
  ],
};
