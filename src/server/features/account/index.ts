import type { Feature } from '../../platform/feature.js';
import { accountRoutes } from './routes.js';

export const accountFeature: Feature = { name: 'account', routes: [{ plugin: accountRoutes }] };
