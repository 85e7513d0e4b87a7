import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureDemo } from '../../demo/context.js';
import { newId } from '../../platform/ids.js';
import { parseRecordMarkdown } from './format.js';
import { insertRecord } from './repository.js';

/** The record of the Santo Domingo dialogue (February 2024), as the alliance published it: CLEAR, published by the secretariat. */
export const recordsDemo: FeatureDemo = async ({ trx, orgIds, personIds }) => {
  const text = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'data/santo-domingo-2024.md'), 'utf8');
  const parsed = parseRecordMarkdown(text);
  if (!parsed.ok) throw new Error(`data/santo-domingo-2024.md: ${JSON.stringify(parsed.errors)}`);
  await insertRecord(trx, newId(), parsed.record, {
    status: 'published',
    tlp: 'CLEAR',
    pap: 'CLEAR',
    authorId: personIds.get('admin@demo.puente.test')!,
    authorOrgId: orgIds.get('secretariat')!,
    audience_organisations: [],
    audience_communities: [],
    audience_people: [],
  });
};
