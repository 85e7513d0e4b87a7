import { percentile } from '../load.js';
import { fmt, type Benchmark } from '../context.js';

const UNTIMED = 3;

/** Sequential POST /api/v1/auth/login: dominated by argon2id verification. */
export const loginCost: Benchmark = {
  id: 'login',
  title: 'Login cost: `POST /api/v1/auth/login` (argon2id)',
  intro: (s) =>
    `${s.logins} sequential sign-ins of one demo account (after ${UNTIMED} untimed ones), one at a time over a keep-alive connection, ` +
    'timed from sending the request to the end of the response. Each creates a session and an audit entry. ' +
    'The login rate limit (10/min per IP by default) was raised with `PUENTE_RATE_LIMIT_LOGIN=100000` for this.',
  columns: ['Database', 'Logins', 'median ms', 'p95 ms', 'mean ms', 'min ms', 'max ms'],
  async run(ctx) {
    for (let i = 0; i < UNTIMED; i++) await ctx.login();
    const times: number[] = [];
    for (let i = 0; i < ctx.settings.logins; i++) {
      const t0 = performance.now();
      await ctx.login();
      times.push(performance.now() - t0);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    return [[ctx.label, times.length, fmt.ms(percentile(sorted, 50)), fmt.ms(percentile(sorted, 95)), fmt.ms(mean), fmt.ms(sorted[0]), fmt.ms(sorted[sorted.length - 1])]];
  },
};
