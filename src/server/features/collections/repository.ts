import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Every read of reading lists starts here, through the access policy. */
export function visibleLists(db: Db, viewer: Viewer) {
  return db
    .selectFrom('reading_lists as l')
    .innerJoin('organisations as o', 'o.id', 'l.author_org_id')
    .innerJoin('people as a', 'a.id', 'l.author_id')
    .selectAll('l')
    .select(['o.name as org_name', 'a.name as author_name'])
    .where(visibleSql(viewer, 'l'));
}

export type ListRow = Awaited<ReturnType<ReturnType<typeof visibleLists>['executeTakeFirstOrThrow']>>;

/** Lists the viewer may see, their organisation's first, then newest; `item` narrows to lists holding it. */
export function listPage(db: Db, viewer: Viewer, f: { item?: string; mine?: boolean; limit: number }) {
  return visibleLists(db, viewer)
    .$if(!!f.item, (b) => b.where(sql<SqlBool>`l.items @> ARRAY[${f.item!}]::uuid[]`))
    .$if(!!f.mine && !!viewer.organisationId, (b) => b.where('l.author_org_id', '=', viewer.organisationId!))
    .orderBy('l.updated_at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(f.limit)
    .execute();
}

export function oneList(db: Db, viewer: Viewer, id: string) {
  return visibleLists(db, viewer).where('l.id', '=', id).executeTakeFirst();
}
