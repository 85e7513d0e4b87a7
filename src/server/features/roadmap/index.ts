import type { Feature } from '../../platform/feature.js';
import { roadmapRoutes } from './routes.js';

/** The roadmap dashboard (docs/roadmap.md): figures over the records and the library, read through their repositories. */
export const roadmapFeature: Feature = { name: 'roadmap', routes: [{ plugin: roadmapRoutes }] };
