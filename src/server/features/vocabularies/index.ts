import type { Feature } from '../../platform/feature.js';
import { vocabularyRoutes } from './routes.js';
import { storeShippedSchemes } from './service.js';

export const vocabulariesFeature: Feature = {
  name: 'vocabularies',
  routes: [{ plugin: vocabularyRoutes }],
  // The schemes shipped with this version, stored before the instance serves (idempotent).
  onStart: storeShippedSchemes,
};
