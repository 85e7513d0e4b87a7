import type { FeatureDemo } from './context.js';

/**
 * Demo loaders of feature folders, run in order inside the demo's transaction
 * after organisations, people, communities and notes exist. Add one line per feature.
 */
export const FEATURE_DEMOS: FeatureDemo[] = [];
