/**
 * A real SMTP server for tests, run as a child process:
 *   node_modules/.bin/tsx src/server/test/smtp-sink.ts
 * Listens on 127.0.0.1 on a free port, prints {"port":N} as its first stdout line,
 * accepts every message (with or without AUTH, no STARTTLS) and prints each as one
 * JSON line {"from","to","raw"}. Stops on SIGTERM/SIGINT, and with --exit-on-stdin-close
 * also when its stdin pipe closes (so it does not outlive a test runner that died).
 */
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  allowInsecureAuth: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  banner: 'puente test sink',
  size: 10 * 1024 * 1024,
  onAuth(auth, _session, cb) {
    cb(null, { user: auth.username || 'anyone' });
  },
  onData(stream, session, cb) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', (e) => cb(e));
    stream.on('end', () => {
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const to = session.envelope.rcptTo.map((r) => r.address);
      process.stdout.write(`${JSON.stringify({ from, to, raw: Buffer.concat(chunks).toString('utf8') })}\n`);
      cb();
    });
  },
});

server.on('error', (e) => {
  process.stderr.write(`smtp-sink error: ${e.message}\n`);
});

server.listen(0, '127.0.0.1', () => {
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

function stop() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.argv.includes('--exit-on-stdin-close')) {
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}
