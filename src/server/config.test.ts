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
  it('trims the base URL', () => {
    expect(loadConfig({ PUENTE_BASE_URL: 'https://puente.example.org/' }).baseUrl).toBe('https://puente.example.org');
  });
});
