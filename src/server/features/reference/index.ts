import type { Feature } from '../../platform/feature.js';
import { referenceRoutes } from './routes.js';

export const referenceFeature: Feature = { name: 'reference', routes: [{ plugin: referenceRoutes }] };
