import type { Feature } from '../../platform/feature.js';
import { tokenRoutes } from './routes.js';

export const tokensFeature: Feature = { name: 'tokens', routes: [{ plugin: tokenRoutes }] };
