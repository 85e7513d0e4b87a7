import type { Feature } from '../../platform/feature.js';
import { organisationProfilesDemo } from './demo.js';
import { organisationRoutes } from './routes.js';

export const organisationsFeature: Feature = { name: 'organisations', routes: [{ plugin: organisationRoutes }], demo: organisationProfilesDemo };
