import type { Feature } from '../../platform/feature.js';
import { recordsDemo } from './demo.js';
import { recordRoutes } from './routes.js';

export const recordsFeature: Feature = { name: 'records', routes: [{ plugin: recordRoutes }], demo: recordsDemo };
