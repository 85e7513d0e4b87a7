// A small closed-loop HTTP/1.1 load generator (autocannon-like, no dependency).
//
// `connections` keep-alive TCP connections each send one request, wait for the whole response,
// then send the next, until the time is up. Requests are pre-encoded bytes written straight to
// the socket and responses are framed with a minimal parser (status line, Content-Length or
// chunked), which keeps the client's own cost low on a small machine. Only loopback targets are
// accepted, and every run stops by itself: after warm-up + duration, plus a hard deadline.
import net from 'node:net';

export interface LoadOptions {
  /** Origin, e.g. http://127.0.0.1:8080 — must be a loopback address. */
  origin: string;
  path: string;
  headers?: Record<string, string>;
  connections: number;
  /** Requests during the warm-up are sent but not measured. */
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  /** Responses completed inside the measurement window. */
  requests: number;
  /** Of those, responses with a status outside 200–299. */
  non2xx: number;
  /** Socket errors, timeouts and unparseable responses (whole run, warm-up included). */
  errors: number;
  seconds: number;
  rps: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** First non-2xx status seen, for the report. */
  firstBadStatus: number | null;
}

const CRLF2 = Buffer.from('\r\n\r\n');
const CHUNK_END = Buffer.from('\r\n0\r\n\r\n');

/** Parse one response at the start of buf: its status and total length, or null when incomplete. Throws on garbage. */
export function frameResponse(buf: Buffer): { status: number; length: number } | null {
  const headEnd = buf.indexOf(CRLF2);
  if (headEnd < 0) {
    if (buf.length > 64 * 1024) throw new Error('response head too large');
    return null;
  }
  const head = buf.toString('latin1', 0, headEnd);
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!m) throw new Error(`not an HTTP response: ${JSON.stringify(head.slice(0, 40))}`);
  const status = Number(m[1]);
  const bodyStart = headEnd + 4;
  const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (cl) {
    const length = bodyStart + Number(cl[1]);
    return buf.length >= length ? { status, length } : null;
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    // Good enough for JSON bodies: the last chunk is "0\r\n\r\n" (no trailers).
    if (buf.length - bodyStart >= 5 && buf.subarray(bodyStart, bodyStart + 5).toString('latin1') === '0\r\n\r\n') return { status, length: bodyStart + 5 };
    const end = buf.indexOf(CHUNK_END, bodyStart);
    return end < 0 ? null : { status, length: end + CHUNK_END.length };
  }
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return { status, length: bodyStart };
  throw new Error('response without Content-Length or chunked encoding');
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function assertLoopback(u: URL) {
  if (u.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
    throw new Error(`load generator only targets http://127.0.0.1 (got ${u.origin})`);
  }
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const u = new URL(o.origin);
  assertLoopback(u);
  const port = Number(u.port || 80);
  const host = u.hostname === 'localhost' ? '127.0.0.1' : u.hostname.replace(/^\[|\]$/g, '');
  const headerLines = Object.entries({ host: u.host, connection: 'keep-alive', ...(o.headers ?? {}) })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const request = Buffer.from(`GET ${o.path} HTTP/1.1\r\n${headerLines}\r\n`, 'latin1');

  const t0 = performance.now();
  const measureFrom = t0 + o.warmupMs;
  const endAt = measureFrom + o.durationMs;
  const hardDeadline = endAt + 15_000;

  // Latencies of measured responses, in ms; grown by doubling.
  let lat = new Float64Array(1 << 16);
  let n = 0;
  let non2xx = 0;
  let errors = 0;
  let firstBadStatus: number | null = null;
  const sockets = new Set<net.Socket>();

  const record = (sentAt: number, doneAt: number, status: number) => {
    if (doneAt < measureFrom || doneAt >= endAt) return;
    if (n === lat.length) {
      const bigger = new Float64Array(lat.length * 2);
      bigger.set(lat);
      lat = bigger;
    }
    lat[n++] = doneAt - sentAt;
    if (status < 200 || status > 299) {
      non2xx++;
      firstBadStatus ??= status;
    }
  };

  // One closed loop per connection; resolves when its time is up. Reconnects after errors,
  // but gives up (and lets the run end) after too many of them.
  const loop = () =>
    new Promise<void>((resolve) => {
      let buf: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      let socket: net.Socket;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        socket?.destroy();
        resolve();
      };
      const send = () => {
        if (performance.now() >= endAt) return finish();
        sentAt = performance.now();
        socket.write(request);
      };
      const connect = () => {
        buf = Buffer.alloc(0);
        socket = net.connect({ host, port, noDelay: true });
        sockets.add(socket);
        socket.setTimeout(10_000);
        socket.on('connect', send);
        socket.on('data', (chunk: Buffer) => {
          buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
          for (;;) {
            let framed: { status: number; length: number } | null;
            try {
              framed = frameResponse(buf);
            } catch {
              errors++;
              socket.destroy();
              return;
            }
            if (!framed) return;
            record(sentAt, performance.now(), framed.status);
            buf = buf.subarray(framed.length);
            send();
            if (finished) return;
          }
        });
        socket.on('timeout', () => {
          errors++;
          socket.destroy();
        });
        socket.on('error', () => {
          errors++;
        });
        socket.on('close', () => {
          sockets.delete(socket);
          if (finished) return;
          if (performance.now() >= endAt || errors > 1000) return finish();
          setTimeout(connect, errors > 10 ? 50 : 0);
        });
      };
      connect();
    });

  let hardTimer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(Array.from({ length: o.connections }, loop)),
    new Promise<void>((resolve) => {
      hardTimer = setTimeout(() => {
        errors++;
        resolve();
      }, hardDeadline - performance.now());
    }),
  ]);
  clearTimeout(hardTimer);
  for (const s of sockets) s.destroy();

  const sorted = lat.slice(0, n).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const seconds = o.durationMs / 1000;
  return {
    requests: n,
    non2xx,
    errors,
    seconds,
    rps: n / seconds,
    meanMs: n ? sum / n : NaN,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: n ? sorted[n - 1] : NaN,
    firstBadStatus,
  };
}
