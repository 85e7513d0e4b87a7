import type { Feature } from '../../platform/feature.js';
import { intelDemo } from './demo.js';
import { ensureReferenceContent } from './exchange.js';
import { intelExchangeRoutes, intelSubscriptionRoutes } from './exchange-routes.js';
import { intelRoutes } from './routes.js';
import { POLL_CRON, POLL_JOB, pollDueSubscriptions } from './subscriptions.js';
import { taxiiRoutes } from './taxii/routes.js';

export const intelFeature: Feature = {
  name: 'intel',
  routes: [{ plugin: intelRoutes }, { plugin: taxiiRoutes, prefix: '/taxii2' }, { plugin: intelExchangeRoutes }, { plugin: intelSubscriptionRoutes }],
  jobs: [{ name: POLL_JOB, cron: POLL_CRON, run: async (p) => void (await pollDueSubscriptions(p)) }],
  demo: intelDemo,
  // TLP marking definitions, ATT&CK for ICS and the KEV snapshot: CLEAR reference content, loaded once per database.
  onStart: async (p) => {
    if (p.config.intelReference) await ensureReferenceContent(p);
  },
};
