import type { Feature } from '../../platform/feature.js';
import { offersDemo } from './demo.js';
import { offerRoutes } from './routes.js';
import { offersTagged } from './service.js';

export const offersFeature: Feature = {
  name: 'offers',
  routes: [{ plugin: offerRoutes }],
  demo: offersDemo,
  tagged: offersTagged,
};
