import type { Feature } from '../../platform/feature.js';
import { communityRoutes } from './routes.js';

export const communitiesFeature: Feature = { name: 'communities', routes: [{ plugin: communityRoutes }] };
