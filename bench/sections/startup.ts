import { fmt, type Benchmark } from '../context.js';

/** Cold start: reported from the two server starts the orchestrator makes on each store. */
export const coldStart: Benchmark = {
  id: 'startup',
  title: 'Cold start: spawn to `/readyz` 200',
  intro: () =>
    'Time from spawning `node --max-old-space-size=768 --import tsx src/server/main.ts` (the same as `node_modules/.bin/tsx src/server/main.ts` minus the extra ' +
    'node process the `tsx` CLI puts in front) until `GET /readyz` first answers 200, polled every 25 ms; `/readyz` only answers once ' +
    'migrations ran and the demo community is loaded. The first start is on an empty store — for PGlite a new data directory ' +
    '(initdb of the embedded cluster + migrations + demo load), for PostgreSQL an empty database in a running cluster (migrations + demo load); ' +
    'the later starts reuse that store (the last one is the server every other benchmark measures). Each start is one sample. RSS is VmRSS of the server process at that moment. TypeScript is compiled on the fly by tsx in every start.',
  columns: ['Database', 'Start', 'spawn → ready', 'RSS at ready'],
  async run(ctx) {
    return ctx.starts.map((s) => [ctx.label, s.label, fmt.s(s.readyMs), fmt.mib(s.rssAtReadyKiB)]);
  },
};
