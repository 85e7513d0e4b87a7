import type { Feature } from '../../platform/feature.js';
import { capacityRoutes } from './routes.js';

/** The capacity-building dashboard and reports (docs/capacity.md): figures over offers, requests and applications, read through their features' repositories. */
export const capacityFeature: Feature = { name: 'capacity', routes: [{ plugin: capacityRoutes }] };
