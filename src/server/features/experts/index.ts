import type { Feature } from '../../platform/feature.js';
import { expertsDemo } from './demo.js';
import { expertRoutes } from './routes.js';
import { expertsTagged } from './service.js';

export const expertsFeature: Feature = {
  name: 'experts',
  routes: [{ plugin: expertRoutes }],
  demo: expertsDemo,
  tagged: expertsTagged,
};
