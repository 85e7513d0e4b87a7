import type { FeatureDemo } from './context.js';
import { discussionsDemo } from '../features/discussions/demo.js';
import { contactsDemo } from '../features/contacts/demo.js';
import { organisationProfilesDemo } from '../features/organisations/demo.js';
import { checksDemo } from '../features/checks/demo.js';
import { intelDemo } from '../features/intel/demo.js';

/**
 * Demo loaders of feature folders, run in order inside the demo's transaction
 * after organisations, people, communities and notes exist. Add one line per feature.
 */
export const FEATURE_DEMOS: FeatureDemo[] = [organisationProfilesDemo, contactsDemo, discussionsDemo, checksDemo, intelDemo];
