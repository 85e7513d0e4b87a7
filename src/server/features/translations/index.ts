import type { Feature } from '../../platform/feature.js';
import { translationRoutes } from './routes.js';

export const translationsFeature: Feature = { name: 'translations', routes: [{ plugin: translationRoutes }] };
