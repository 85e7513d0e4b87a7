import type { Feature } from '../../platform/feature.js';
import { streamRoutes } from './routes.js';

export const streamFeature: Feature = { name: 'stream', routes: [{ plugin: streamRoutes }] };
