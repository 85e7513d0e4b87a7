/** A small server-sent-events client over fetch, for tests of GET /api/v1/stream. */
export interface SseEvent {
  id: number | null;
  event: string;
  data: { id: number; type: string; subjectType: string | null; subjectId: string | null; payload: Record<string, unknown>; at: string } | null;
}

const WAIT_MS = 10_000;

export class SseClient {
  readonly events: SseEvent[] = [];
  /** The `retry:` preamble arrived: the server has subscribed this client. */
  ready = false;
  ended = false;
  private done: Promise<void> = Promise.resolve();

  private constructor(
    readonly status: number,
    private readonly controller: AbortController,
  ) {}

  static async open(base: string, headers: Record<string, string>): Promise<SseClient> {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/v1/stream`, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    const c = new SseClient(res.status, controller);
    if (res.status !== 200 || !res.body) {
      c.ended = true;
      await res.body?.cancel().catch(() => {});
      return c;
    }
    c.done = c.read(res.body);
    await c.until(() => c.ready, 'stream preamble');
    return c;
  }

  private async read(body: ReadableStream<Uint8Array>) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          this.parse(block);
        }
      }
    } catch {
      /* aborted */
    } finally {
      this.ended = true;
    }
  }

  private parse(block: string) {
    let id: number | null = null;
    let event = 'message';
    const data: string[] = [];
    let any = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const j = line.indexOf(':');
      const field = j < 0 ? line : line.slice(0, j);
      const value = j < 0 ? '' : line.slice(j + 1).replace(/^ /, '');
      if (field === 'retry') this.ready = true;
      else if (field === 'id') (id = Number(value)), (any = true);
      else if (field === 'event') (event = value), (any = true);
      else if (field === 'data') data.push(value), (any = true);
    }
    if (any) this.events.push({ id, event, data: data.length ? JSON.parse(data.join('\n')) : null });
  }

  /** Poll until the condition holds, or fail after WAIT_MS. */
  async until(cond: () => boolean, what: string) {
    const deadline = Date.now() + WAIT_MS;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; saw ${JSON.stringify(this.events.map((e) => [e.id, e.event, e.data?.subjectId]))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  waitForSubject(subjectId: string, type = 'note.created') {
    return this.until(() => this.events.some((e) => e.event === type && e.data?.subjectId === subjectId), `${type} ${subjectId}`);
  }

  subjects(type = 'note.created') {
    return this.events.filter((e) => e.event === type).map((e) => e.data!.subjectId);
  }

  async close() {
    this.controller.abort();
    await this.done;
  }
}
