import type { Feature } from '../../platform/feature.js';
import { requestsDemo } from './demo.js';
import { requestRoutes } from './routes.js';
import { requestsTagged } from './service.js';

export const requestsFeature: Feature = {
  name: 'requests',
  routes: [{ plugin: requestRoutes }],
  demo: requestsDemo,
  tagged: requestsTagged,
};
