import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureDemo } from '../../demo/context.js';
import { newId } from '../../platform/ids.js';
import { parseRecordMarkdown } from './format.js';
import { insertRecord } from './repository.js';

const read = (file: string) => {
  const parsed = parseRecordMarkdown(fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', file), 'utf8'));
  if (!parsed.ok) throw new Error(`data/${file}: ${JSON.stringify(parsed.errors)}`);
  return parsed.record;
};

/**
 * The record of the Santo Domingo dialogue (February 2024), as the alliance published it, and a
 * fictitious exercise whose commitments are done, in progress and delayed: both CLEAR,
 * published by the secretariat.
 */
export const recordsDemo: FeatureDemo = async ({ trx, orgIds, personIds }) => {
  for (const file of ['santo-domingo-2024.md', 'demo-tabletop-2025.md'])
    await insertRecord(trx, newId(), read(file), {
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
