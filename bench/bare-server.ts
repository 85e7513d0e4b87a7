// The baseline for the HTTP benchmarks: a minimal Fastify app with one GET route, started the
// same way as Puente (`node --import tsx`, loopback, logger off below warn).
import Fastify from 'fastify';

const port = Number(process.env.BARE_PORT ?? 0);
const app = Fastify({ logger: { level: 'warn' } });
app.get('/', async () => ({ ok: true }));

await app.listen({ port, host: '127.0.0.1' });

const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
