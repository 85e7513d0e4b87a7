import type { Feature } from '../../platform/feature.js';
import { peopleRoutes } from './routes.js';

export const peopleFeature: Feature = { name: 'people', routes: [{ plugin: peopleRoutes }] };
