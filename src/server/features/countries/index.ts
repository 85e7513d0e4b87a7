import type { Feature } from '../../platform/feature.js';
import { countriesDemo } from './demo.js';
import { countryRoutes } from './routes.js';
import { taggedCountryItems } from './service.js';

export const countriesFeature: Feature = { name: 'countries', routes: [{ plugin: countryRoutes }], demo: countriesDemo, tagged: taggedCountryItems };
