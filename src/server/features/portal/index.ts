import type { Feature } from '../../platform/feature.js';
import { portalRoutes } from './routes.js';

export const portalFeature: Feature = { name: 'portal', routes: [{ plugin: portalRoutes }] };
