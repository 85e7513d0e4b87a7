import type { Feature } from '../../platform/feature.js';
import { systemRoutes } from './routes.js';

export const systemFeature: Feature = { name: 'system', routes: [{ plugin: systemRoutes }] };
