import type { Feature } from '../../platform/feature.js';
import { outboxRoutes } from './routes.js';

export const outboxFeature: Feature = { name: 'outbox', routes: [{ plugin: outboxRoutes }] };
