import type { FastifyPluginAsync } from 'fastify';
import type { FeatureDemo } from '../demo/context.js';
import type { TaggedWith } from './concepts.js';
import type { Platform } from './deps.js';

/** A background job of a feature: run by the instances with `PUENTE_JOBS=on`, on its schedule or when sent. */
export interface FeatureJob {
  /** The queue's name, `<feature>.<what>` (pg-boss: letters, digits, `.`, `_`, `-`). */
  name: string;
  /** A cron schedule (UTC) when the job also runs by itself; without one it runs only when a route sends it. */
  cron?: string;
  run: (p: Platform, data: Record<string, unknown>) => Promise<void>;
}

/** What a feature's route plugins are registered with: the platform, and the feature list (for what reads across features). */
export interface FeatureRouteOptions {
  p: Platform;
  features?: readonly Feature[];
}

/**
 * What a feature folder adds to the platform, exported from its `index.ts` and listed once in
 * `features/index.ts`: the HTTP app registers its routes (app.ts), the runtime its jobs and
 * start-up work (runtime.ts), the demo its content (demo/load.ts). A new capability is a folder
 * and one line in that list; nothing else names it.
 */
export interface Feature {
  /** The folder's name. */
  name: string;
  /** Fastify plugins, registered in order with `{ p }` (and the prefix, when given). */
  routes?: { plugin: FastifyPluginAsync<FeatureRouteOptions>; prefix?: string }[];
  jobs?: FeatureJob[];
  /** Content for the demo community, run inside the demo's transaction in the order of the list. */
  demo?: FeatureDemo;
  /** Work before the instance serves (after migrations, with jobs registered), e.g. loading reference content. */
  onStart?: (p: Platform) => Promise<void>;
  /** What of this feature carries a concept (`scheme/concept`), for the concept's page; only what the actor may see. */
  tagged?: TaggedWith;
}
