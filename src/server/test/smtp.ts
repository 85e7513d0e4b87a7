/**
 * A real SMTP server for tests: src/server/test/smtp-sink.ts as a child process;
 * messages arrive as JSON lines on its stdout.
 */
import path from 'node:path';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface SunkMail {
  from: string;
  to: string[];
  raw: string;
}

/**
 * The SMTP sink as a child process; messages arrive as JSON lines on its stdout.
 * `arrivals` holds when each was accepted (performance.now()); `keep: false`
 * records only that (the benchmark of 5,000 mails has no use for their text).
 */
export async function startSink(o: { keep?: boolean } = {}): Promise<{ port: number; mails: SunkMail[]; arrivals: number[]; stop(): Promise<void> }> {
  const proc: ChildProcessWithoutNullStreams = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/server/test/smtp-sink.ts', '--exit-on-stdin-close'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (c) => (stderr += c));
  const mails: SunkMail[] = [];
  const arrivals: number[] = [];
  const lines = readline.createInterface({ input: proc.stdout });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`smtp sink did not start: ${stderr}`)), 20_000);
    proc.once('exit', (code) => reject(new Error(`smtp sink exited with ${code}: ${stderr}`)));
    lines.once('line', (l) => {
      clearTimeout(timer);
      resolve(JSON.parse(l).port);
      // One JSON line per accepted message (printed just before the sink answers 250).
      lines.on('line', (m) => {
        arrivals.push(performance.now());
        if (o.keep !== false) mails.push(JSON.parse(m));
      });
    });
  });
  return {
    port,
    mails,
    arrivals,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Poll until fn returns a value (bounded); no fixed sleeps. */
export async function waitFor<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
