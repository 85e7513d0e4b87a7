import type { Feature } from '../../platform/feature.js';
import { situationRoutes } from './routes.js';

/** The shared situational picture (docs/situation.md): figures over the incident reports each reader may see, read through the access policy. */
export const situationFeature: Feature = { name: 'situation', routes: [{ plugin: situationRoutes }] };
