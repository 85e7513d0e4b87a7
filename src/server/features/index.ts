import type { Feature } from '../platform/feature.js';
import { accountFeature } from './account/index.js';
import { applicationsFeature } from './applications/index.js';
import { auditFeature } from './audit/index.js';
import { authFeature } from './auth/index.js';
import { capacityFeature } from './capacity/index.js';
import { checksFeature } from './checks/index.js';
import { collectionsFeature } from './collections/index.js';
import { communitiesFeature } from './communities/index.js';
import { contactsFeature } from './contacts/index.js';
import { countriesFeature } from './countries/index.js';
import { crisesFeature } from './crises/index.js';
import { discussionsFeature } from './discussions/index.js';
import { eventsFeature } from './events/index.js';
import { expertsFeature } from './experts/index.js';
import { incidentsFeature } from './incidents/index.js';
import { intelFeature } from './intel/index.js';
import { knowledgeFeature } from './knowledge/index.js';
import { notesFeature } from './notes/index.js';
import { offersFeature } from './offers/index.js';
import { organisationsFeature } from './organisations/index.js';
import { outboxFeature } from './outbox/index.js';
import { peopleFeature } from './people/index.js';
import { portalFeature } from './portal/index.js';
import { recordsFeature } from './records/index.js';
import { referenceFeature } from './reference/index.js';
import { requestsFeature } from './requests/index.js';
import { roadmapFeature } from './roadmap/index.js';
import { situationFeature } from './situation/index.js';
import { staffingFeature } from './staffing/index.js';
import { startFeature } from './start/index.js';
import { streamFeature } from './stream/index.js';
import { systemFeature } from './system/index.js';
import { tokensFeature } from './tokens/index.js';
import { translationsFeature } from './translations/index.js';
import { vocabulariesFeature } from './vocabularies/index.js';

/**
 * Every feature of the platform, once (platform/feature.ts). The order is that of route
 * registration and of the demo content, which loads in the order it was written in
 * (organisation profiles, contacts, discussions, checks, intel): a feature's demo may use
 * what an earlier one created.
 */
export const FEATURES: readonly Feature[] = [
  systemFeature,
  authFeature,
  accountFeature,
  tokensFeature,
  referenceFeature,
  vocabulariesFeature,
  organisationsFeature,
  peopleFeature,
  communitiesFeature,
  notesFeature,
  contactsFeature,
  discussionsFeature,
  checksFeature,
  intelFeature,
  recordsFeature,
  knowledgeFeature,
  offersFeature,
  collectionsFeature,
  countriesFeature,
  auditFeature,
  outboxFeature,
  streamFeature,
  startFeature,
  portalFeature,
  translationsFeature,
  roadmapFeature,
  expertsFeature,
  staffingFeature,
  requestsFeature,
  eventsFeature,
  applicationsFeature,
  capacityFeature,
  incidentsFeature,
  situationFeature,
  crisesFeature,
];
