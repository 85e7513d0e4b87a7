import type { Feature } from '../../platform/feature.js';
import { discussionsDemo } from './demo.js';
import { sendDiscussionDigests } from './notify.js';
import { discussionRoutes } from './routes.js';

export const discussionsFeature: Feature = {
  name: 'discussions',
  routes: [{ plugin: discussionRoutes }],
  // Early morning UTC: the day's digest reaches Europe in the morning and Latin America before it wakes.
  jobs: [{ name: 'discussions.digest', cron: '0 6 * * *', run: async (p) => void (await sendDiscussionDigests({ db: p.db, mailer: p.mailer, baseUrl: p.config.baseUrl })) }],
  demo: discussionsDemo,
};
