import client from 'prom-client';

/** Prometheus metrics for GET /metrics. One registry per app so tests can build several apps. */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'puente_process_' });
  const httpDuration = new client.Histogram({
    name: 'puente_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const dbPool = new client.Gauge({ name: 'puente_db_pool_connections', help: 'Database pool connections by state', labelNames: ['state'], registers: [registry] });
  const streamClients = new client.Gauge({ name: 'puente_event_stream_clients', help: 'Open server-sent-event streams on this instance', registers: [registry] });
  const jobQueueDepth = new client.Gauge({ name: 'puente_job_queue_depth', help: 'Jobs waiting in the queue (all instances)', registers: [registry] });
  const mailOutbox = new client.Gauge({ name: 'puente_mail_outbox_unsent', help: 'Mails in the outbox not yet sent', registers: [registry] });
  return { registry, httpDuration, dbPool, streamClients, jobQueueDepth, mailOutbox };
}
export type Metrics = ReturnType<typeof createMetrics>;
