import type { Feature } from '../../platform/feature.js';
import { startRoutes } from './routes.js';

export const startFeature: Feature = { name: 'start', routes: [{ plugin: startRoutes }] };
