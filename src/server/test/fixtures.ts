/**
 * Data files that only tests read, vendored in ./fixtures with their sources and licences
 * (fixtures/README.md). Data the product ships itself (ATT&CK for ICS, the KEV catalogue, the
 * STIX schemas, the TLP definitions) is read from the product's copy instead.
 */
import fs from 'node:fs';
import path from 'node:path';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');

export const fixturePath = (relative: string) => path.join(FIXTURES, relative);

export const readFixture = (relative: string): any => JSON.parse(fs.readFileSync(fixturePath(relative), 'utf8'));

/** Every .json file under a fixtures folder (recursively), as absolute paths, sorted. */
export function fixtureJsonFiles(relativeDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) out.push(p);
    }
  };
  walk(fixturePath(relativeDir));
  return out.sort();
}
