// Conversions that need no database, timed in the bench process: STIX validation of the ATT&CK
// for ICS bundle and the KEV catalogue to STIX. The unit tests of validate.ts and kev.ts only
// check what these produce; tests never time anything (docs/development.md).
import fs from 'node:fs';
import { ATTACK_ICS_FILE, KEV_FILE } from '../../src/server/features/intel/exchange.js';
import { validateObject } from '../../src/server/features/intel/stix/validate.js';
import { kevToStix } from '../../src/server/features/intel/vulnerabilities/kev.js';
import { fmt, type Benchmark, type Row } from '../context.js';

/** Timed passes after the first one (which compiles the schemas). */
const ROUNDS = Number(process.env.BENCH_CONVERSION_ROUNDS ?? 5);
const NO_DATABASE = '— (no database; bench process)';

// The figures do not depend on the database: measured with the first database of the run only.
let measured = false;

function timings(run: () => void): { first: number; times: number[] } {
  let t = performance.now();
  run();
  const first = performance.now() - t;
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  return { first, times: times.sort((a, b) => a - b) };
}

function row(what: string, objects: number, { first, times }: { first: number; times: number[] }): Row {
  const best = times[0]!;
  return [NO_DATABASE, what, fmt.int(objects), fmt.ms(first), fmt.ms(best), fmt.ms(times[Math.floor(times.length / 2)]!), ((best * 1000) / objects).toFixed(1), fmt.int((objects / best) * 1000)];
}

export const conversions: Benchmark = {
  id: 'conversions',
  title: 'STIX validation and KEV conversion (in process, no database)',
  intro: () =>
    `Timed in the benchmark process itself, once per run (with the first database; neither touches it), on the data Puente ships in \`src/server/features/intel/reference/\`. ` +
    `Each runs once cold (“first pass”: it includes compiling the JSON schemas, which both do on first use), then ${ROUNDS} more times (best and median of those); times in ms.\n\n` +
    '- **`validateObject`** — every object of the ATT&CK for ICS bundle, one after the other: the OASIS STIX 2.1 schemas plus the extra rules, as every ingest runs them.\n' +
    '- **`kevToStix`** — the whole KEV catalogue: schema check of the catalogue, then one STIX vulnerability per entry plus the CISA identity (objects = those produced). ' +
    'The catalogue is parsed from its JSON text before each pass; parsing is not timed.',
  columns: ['Database', 'What', 'objects', 'first pass ms', 'best ms', 'median ms', 'µs/object (best)', 'objects/s (best)'],
  async run() {
    if (measured) return [];
    measured = true;
    const attack = (JSON.parse(fs.readFileSync(ATTACK_ICS_FILE, 'utf8')) as { objects: Record<string, unknown>[] }).objects;
    let problems = 0;
    const validation = timings(() => {
      problems = 0;
      for (const o of attack) problems += validateObject(o).length;
    });
    const rows: Row[] = [row(`\`validateObject\`, ATT&CK for ICS bundle${problems ? ` (${problems} problems!)` : ''}`, attack.length, validation)];

    const kevText = fs.readFileSync(KEV_FILE, 'utf8');
    let produced = 0;
    const inputs: unknown[] = [];
    // Parsed ahead: each pass gets a catalogue of its own, and parsing stays out of the time.
    for (let i = 0; i <= ROUNDS; i++) inputs.push(JSON.parse(kevText));
    const kev = timings(() => {
      produced = kevToStix(inputs.pop()).length;
    });
    rows.push(row('`kevToStix`, full KEV catalogue', produced, kev));
    return rows;
  },
};
