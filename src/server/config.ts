import path from 'node:path';
import { parseCidr } from './platform/outbound.js';

/**
 * Every setting Puente reads, from the environment, in one place.
 * docs/configuration.md documents each of them; keep the two in step.
 */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; when set the embedded database is not used. */
  databaseUrl: string | null;
  baseUrl: string;
  demo: boolean;
  demoPassword: string | null;
  smtpUrl: string | null;
  /** SMTP connections kept open and used in parallel for delivery. */
  smtpConnections: number;
  mailFrom: string;
  /** Undelivered mail bodies are purged after this many hours (PUENTE_MAIL_BODY_RETENTION_HOURS); a credential's own expiry when sooner. */
  mailBodyRetentionHours: number;
  /** Outbox rows (recipient, subject, status; no body) are deleted after this many days (PUENTE_OUTBOX_RETENTION_DAYS). */
  outboxRetentionDays: number;
  /** Without SMTP, print mail to standard output (PUENTE_MAIL_LOG; on by default for the demo without SMTP). */
  mailLog: boolean;
  /** From PUENTE_SECRET; when null the service generates one and stores it in the database. */
  secret: string | null;
  logLevel: string;
  /**
   * Which X-Forwarded-* hops to believe: false, true (all), a number of hops, or
   * a list of proxy addresses/CIDRs. Believing every hop lets clients forge their IP.
   */
  trustProxy: boolean | number | string[];
  corsOrigins: string[];
  bodyLimitBytes: number;
  /** Largest discussion attachment, in bytes (PUENTE_ATTACHMENT_MAX_BYTES). */
  attachmentMaxBytes: number;
  /** Largest STIX bundle sent as a JSON request body to POST /api/v1/intel/bundles or TAXII (PUENTE_INTEL_BUNDLE_MAX_BYTES). */
  intelBundleMaxBytes: number;
  /** Largest bundle file uploaded (streamed) to POST /api/v1/intel/uploads (PUENTE_INTEL_UPLOAD_MAX_BYTES). */
  intelUploadMaxBytes: number;
  /** Most objects in one JSON bundle request (PUENTE_INTEL_MAX_OBJECTS). */
  intelMaxObjectsPerBundle: number;
  /** A value shared by more objects than this (among those a viewer may see) is marked too wide and not expanded (PUENTE_CORRELATION_CAP). */
  intelCorrelationCap: number;
  /** Most objects in one export (PUENTE_INTEL_EXPORT_MAX). */
  intelExportMaxObjects: number;
  /** Load ATT&CK for ICS and the KEV catalogue shipped with Puente on first start (PUENTE_INTEL_REFERENCE). */
  intelReference: boolean;
  /** Largest TAXII page (PUENTE_TAXII_MAX_PAGE). */
  taxiiMaxPage: number;
  /** TAXII requests are counted apart from the REST API (PUENTE_RATE_LIMIT_TAXII). */
  rateLimit: { apiPerMinute: number; loginPerMinute: number; taxiiPerMinute: number };
  /** Networks outbound requests (TAXII subscriptions) may reach although not public (PUENTE_OUTBOUND_ALLOWED_NETWORKS), as CIDR text. */
  outboundAllowedNetworks: string[];
  /** When set, GET /metrics needs `Authorization: Bearer <token>`; when null, only loopback clients get it (PUENTE_METRICS_TOKEN). */
  metricsToken: string | null;
  session: { idleMinutes: number; absoluteHours: number };
  dbPoolSize: number;
  jobs: boolean;
  webDir: string;
}

export class ConfigError extends Error {}

function bool(name: string, value: string | undefined, dflt: boolean): boolean {
  if (value === undefined || value === '') return dflt;
  const v = value.trim().toLowerCase();
  if (['1', 'on', 'true', 'yes'].includes(v)) return true;
  if (['0', 'off', 'false', 'no'].includes(v)) return false;
  throw new ConfigError(`${name} must be on or off (got "${value}")`);
}

function int(name: string, value: string | undefined, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value === '') return dflt;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer between ${min} and ${max} (got "${value}")`);
  return n;
}

function trustProxy(value: string | undefined): Config['trustProxy'] {
  const v = value?.trim() ?? '';
  if (v === '') return false;
  if (/^\d+$/.test(v)) return Number(v);
  if (/^(on|off|true|false|yes|no|1|0)$/i.test(v)) return bool('PUENTE_TRUST_PROXY', v, false);
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.every((s) => /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(s) || ['loopback', 'linklocal', 'uniquelocal'].includes(s))) return list;
  throw new ConfigError(`PUENTE_TRUST_PROXY must be on, off, a number of proxy hops, or a list of proxy addresses (got "${value}")`);
}

function cidrList(name: string, value: string | undefined): string[] {
  const list = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((c) => !parseCidr(c));
  if (bad.length) throw new ConfigError(`${name} must be a comma-separated list of CIDRs such as 10.0.0.0/8,fd00::/8 (not valid: "${bad.join('", "')}")`);
  return list;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const databaseUrl = env.PUENTE_DATABASE_URL?.trim() || null;
  const port = int('PUENTE_PORT', env.PUENTE_PORT, 8080, 0, 65535);
  // Embedded mode is for evaluation and small nodes: listen on loopback unless told otherwise.
  const host = env.PUENTE_HOST?.trim() || (databaseUrl ? '0.0.0.0' : '127.0.0.1');
  const baseUrl = (env.PUENTE_BASE_URL?.trim() || `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    new URL(baseUrl);
  } catch {
    throw new ConfigError(`PUENTE_BASE_URL must be an absolute URL (got "${baseUrl}")`);
  }
  const smtpUrl = env.PUENTE_SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('PUENTE_SMTP_URL must start with smtp:// or smtps://');
  const secret = env.PUENTE_SECRET?.trim() || null;
  if (secret && secret.length < 32) throw new ConfigError('PUENTE_SECRET must be at least 32 characters');
  const metricsToken = env.PUENTE_METRICS_TOKEN?.trim() || null;
  // Sent by Prometheus in a header: printable ASCII without spaces, and long enough not to be guessed.
  if (metricsToken && !/^[\x21-\x7e]{16,512}$/.test(metricsToken))
    throw new ConfigError('PUENTE_METRICS_TOKEN must be 16 to 512 printable characters without spaces');
  return {
    port,
    host,
    dataDir: path.resolve(cwd, env.PUENTE_DATA_DIR?.trim() || './data'),
    databaseUrl,
    baseUrl,
    // The demo is for the embedded evaluation set-up; on PostgreSQL it must be asked for.
    demo: bool('PUENTE_DEMO', env.PUENTE_DEMO, !databaseUrl),
    demoPassword: env.PUENTE_DEMO_PASSWORD || null,
    smtpUrl,
    smtpConnections: int('PUENTE_SMTP_CONNECTIONS', env.PUENTE_SMTP_CONNECTIONS, 5, 1, 100),
    mailFrom: env.PUENTE_MAIL_FROM?.trim() || `Puente <no-reply@${new URL(baseUrl).hostname}>`,
    mailBodyRetentionHours: int('PUENTE_MAIL_BODY_RETENTION_HOURS', env.PUENTE_MAIL_BODY_RETENTION_HOURS, 72, 1, 24 * 365),
    outboxRetentionDays: int('PUENTE_OUTBOX_RETENTION_DAYS', env.PUENTE_OUTBOX_RETENTION_DAYS, 30, 1, 3650),
    // A demo without a relay: its invitations and resets are printed where whoever started it can follow them.
    mailLog: bool('PUENTE_MAIL_LOG', env.PUENTE_MAIL_LOG, !smtpUrl && bool('PUENTE_DEMO', env.PUENTE_DEMO, !databaseUrl)),
    secret,
    logLevel: env.PUENTE_LOG_LEVEL?.trim() || 'info',
    trustProxy: trustProxy(env.PUENTE_TRUST_PROXY),
    corsOrigins: (env.PUENTE_CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    bodyLimitBytes: int('PUENTE_BODY_LIMIT', env.PUENTE_BODY_LIMIT, 1024 * 1024, 1024),
    attachmentMaxBytes: int('PUENTE_ATTACHMENT_MAX_BYTES', env.PUENTE_ATTACHMENT_MAX_BYTES, 10 * 1024 * 1024, 1, 1024 * 1024 * 1024),
    intelBundleMaxBytes: int('PUENTE_INTEL_BUNDLE_MAX_BYTES', env.PUENTE_INTEL_BUNDLE_MAX_BYTES, 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    intelUploadMaxBytes: int('PUENTE_INTEL_UPLOAD_MAX_BYTES', env.PUENTE_INTEL_UPLOAD_MAX_BYTES, 100 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
    intelMaxObjectsPerBundle: int('PUENTE_INTEL_MAX_OBJECTS', env.PUENTE_INTEL_MAX_OBJECTS, 100_000, 1),
    intelCorrelationCap: int('PUENTE_CORRELATION_CAP', env.PUENTE_CORRELATION_CAP, 50, 1, 100_000),
    intelExportMaxObjects: int('PUENTE_INTEL_EXPORT_MAX', env.PUENTE_INTEL_EXPORT_MAX, 200_000, 1),
    intelReference: bool('PUENTE_INTEL_REFERENCE', env.PUENTE_INTEL_REFERENCE, true),
    taxiiMaxPage: int('PUENTE_TAXII_MAX_PAGE', env.PUENTE_TAXII_MAX_PAGE, 1000, 1, 100_000),
    rateLimit: {
      apiPerMinute: int('PUENTE_RATE_LIMIT_API', env.PUENTE_RATE_LIMIT_API, 600, 1),
      loginPerMinute: int('PUENTE_RATE_LIMIT_LOGIN', env.PUENTE_RATE_LIMIT_LOGIN, 10, 1),
      taxiiPerMinute: int('PUENTE_RATE_LIMIT_TAXII', env.PUENTE_RATE_LIMIT_TAXII, 3000, 1),
    },
    outboundAllowedNetworks: cidrList('PUENTE_OUTBOUND_ALLOWED_NETWORKS', env.PUENTE_OUTBOUND_ALLOWED_NETWORKS),
    metricsToken,
    session: {
      idleMinutes: int('PUENTE_SESSION_IDLE_MINUTES', env.PUENTE_SESSION_IDLE_MINUTES, 120, 1),
      absoluteHours: int('PUENTE_SESSION_ABSOLUTE_HOURS', env.PUENTE_SESSION_ABSOLUTE_HOURS, 12, 1),
    },
    dbPoolSize: int('PUENTE_DB_POOL_SIZE', env.PUENTE_DB_POOL_SIZE, 10, 1, 200),
    jobs: bool('PUENTE_JOBS', env.PUENTE_JOBS, true),
    webDir: path.resolve(cwd, env.PUENTE_WEB_DIR?.trim() || './dist/web'),
  };
}
