import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

/** What a feature's demo loader gets: the transaction and the ids of the demo's organisations, people and communities. */
export interface DemoContext {
  trx: Transaction<DB>;
  /** Organisation ids by the keys of DEMO_ORGANISATIONS (e.g. 'br-csirt'). */
  orgIds: Map<string, string>;
  /** Person ids by e-mail (e.g. 'analyst.br@demo.puente.test'). */
  personIds: Map<string, string>;
  /** Community ids by slug (e.g. 'csirts'). */
  communityIds: Map<string, string>;
}

export type FeatureDemo = (ctx: DemoContext) => Promise<void>;
