import { fmt, type Benchmark } from '../context.js';

/** Must run after the load benchmarks: it reads the resident memory they left behind. */
export const memory: Benchmark = {
  id: 'memory',
  title: 'Memory: resident set size',
  intro: () =>
    'VmRSS from `/proc/<pid>/status` of the server\'s own node process: right after it became ready, and after every benchmark above ' +
    'ran against it (load tests and logins). The bare Fastify process is the same for both databases, hence two readings of it.',
  columns: ['Database', 'Process', 'RSS after start', 'RSS after the benchmarks'],
  async run(ctx) {
    return [
      [ctx.label, 'Puente', fmt.mib(ctx.puente.rssAtReadyKiB), fmt.mib(ctx.puente.rssKiB())],
      [ctx.label, 'bare Fastify', fmt.mib(ctx.bare.rssAtReadyKiB), fmt.mib(ctx.bare.rssKiB())],
    ];
  },
};
