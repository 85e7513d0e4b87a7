import type { Feature } from '../../platform/feature.js';
import { staffingDemo } from './demo.js';
import { staffingRoutes } from './routes.js';

/** Providers staff their offers' sessions from the expert pool (docs/offers.md#staffing). */
export const staffingFeature: Feature = {
  name: 'staffing',
  routes: [{ plugin: staffingRoutes }],
  demo: staffingDemo,
};
