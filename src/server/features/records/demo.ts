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
  // What each concerns, kept beside the published text (the roadmap counts them under these).
  const concepts: Record<string, string[]> = {
    'santo-domingo-2024.md': ['takeaways/1', 'takeaways/2', 'takeaways/3', 'takeaways/6', 'takeaways/11c', 'santo-domingo-pillars/workforce', 'santo-domingo-pillars/cooperation', 'santo-domingo-pillars/ecosystems', 'santo-domingo-pillars/connectivity', 'action-areas/diplomatic'],
    'demo-tabletop-2025.md': ['takeaways/7d', 'takeaways/11b', 'takeaways/12', 'gfce-themes/b'],
  };
  for (const file of ['santo-domingo-2024.md', 'demo-tabletop-2025.md'])
    await insertRecord(trx, newId(), read(file), {
      concepts: concepts[file],
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
