import type { Feature } from '../../platform/feature.js';
import { readingListRoutes } from './routes.js';

/** Reading lists ("collections") of the good-practice library. */
export const collectionsFeature: Feature = { name: 'collections', routes: [{ plugin: readingListRoutes }] };
