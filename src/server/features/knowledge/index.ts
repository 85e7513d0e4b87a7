import type { Feature } from '../../platform/feature.js';
import { knowledgeDemo } from './demo.js';
import { knowledgeRoutes } from './routes.js';
import { knowledgeTagged } from './service.js';

export const knowledgeFeature: Feature = {
  name: 'knowledge',
  routes: [{ plugin: knowledgeRoutes }],
  demo: knowledgeDemo,
  tagged: knowledgeTagged,
};
