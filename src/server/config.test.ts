import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({}, '/srv/puente');
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: '/srv/puente/data', databaseUrl: null, baseUrl: 'http://localhost:8080', demo: true, smtpUrl: null, secret: null });
  });
  it('listens on all interfaces with PostgreSQL unless told otherwise', () => {
    expect(loadConfig({ PUENTE_DATABASE_URL: 'postgres://u@h/db' }).host).toBe('0.0.0.0');
    expect(loadConfig({ PUENTE_DATABASE_URL: 'postgres://u@h/db', PUENTE_HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });
  it('reads on/off switches and refuses nonsense with a clear message', () => {
    expect(loadConfig({ PUENTE_DEMO: 'off' }).demo).toBe(false);
    expect(() => loadConfig({ PUENTE_DEMO: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUENTE_PORT: 'eighty' })).toThrow(/PUENTE_PORT/);
    expect(() => loadConfig({ PUENTE_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => loadConfig({ PUENTE_SMTP_URL: 'http://mail' })).toThrow(/smtp/);
    expect(() => loadConfig({ PUENTE_BASE_URL: 'not a url' })).toThrow(/absolute URL/);
  });
  it('reads the outbound allowance as CIDRs and names the setting when one is malformed', () => {
    expect(loadConfig({}).outboundAllowedNetworks).toEqual([]);
    expect(loadConfig({ PUENTE_OUTBOUND_ALLOWED_NETWORKS: ' 10.0.0.0/8, 127.0.0.1/32 ,fd00::/8' }).outboundAllowedNetworks).toEqual(['10.0.0.0/8', '127.0.0.1/32', 'fd00::/8']);
    for (const bad of ['10.0.0.0/33', 'intranet', '10.0.0.0/8,300.1.1.1/32', '10.0.0/8'])
      expect(() => loadConfig({ PUENTE_OUTBOUND_ALLOWED_NETWORKS: bad }), bad).toThrow(ConfigError);
    expect(() => loadConfig({ PUENTE_OUTBOUND_ALLOWED_NETWORKS: 'intranet' })).toThrow(/PUENTE_OUTBOUND_ALLOWED_NETWORKS.*intranet/);
  });
  it('has a TAXII rate limit of its own and an optional metrics token', () => {
    expect(loadConfig({}).rateLimit).toMatchObject({ apiPerMinute: 600, taxiiPerMinute: 3000 });
    expect(loadConfig({ PUENTE_RATE_LIMIT_TAXII: '10000' }).rateLimit.taxiiPerMinute).toBe(10000);
    expect(() => loadConfig({ PUENTE_RATE_LIMIT_TAXII: '0' })).toThrow(/PUENTE_RATE_LIMIT_TAXII/);
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ PUENTE_METRICS_TOKEN: 'scrape-me-0123456789' }).metricsToken).toBe('scrape-me-0123456789');
    expect(() => loadConfig({ PUENTE_METRICS_TOKEN: 'short' })).toThrow(/PUENTE_METRICS_TOKEN/);
  });
  it('trims the base URL', () => {
    expect(loadConfig({ PUENTE_BASE_URL: 'https://puente.example.org/' }).baseUrl).toBe('https://puente.example.org');
  });
});
