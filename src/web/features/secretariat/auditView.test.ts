import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatten, LANGUAGES, loadCatalogue, WEB_DIR } from '../../locales/catalogues.test-helpers';
import { actionGroups, actionKey, AUDIT_ACTIONS, detailFields, familyOf, humanise, MAIL_PURPOSES } from './auditView';

const SERVER = path.resolve(WEB_DIR, '../server');

function serverFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return serverFiles(p);
    return /\.ts$/.test(f) && !/\.test\.ts$/.test(f) && !/test-helpers/.test(f) && !p.includes(`${path.sep}test${path.sep}`) ? [p] : [];
  });
}

describe('the audit log in words', () => {
  it('knows every action the server records (platform/audit.ts)', () => {
    const src = readFileSync(path.join(SERVER, 'platform/audit.ts'), 'utf8');
    const type = /export type AuditAction =([\s\S]*?);/.exec(src)![1]!;
    const codes = [...type.matchAll(/'([a-z_.]+)'/g)].map((m) => m[1]);
    expect([...AUDIT_ACTIONS].sort()).toEqual([...codes].sort());
  });

  it('knows every purpose of mail the server sends', () => {
    const purposes = new Set<string>();
    for (const f of serverFiles(SERVER)) for (const m of readFileSync(f, 'utf8').matchAll(/purpose: '([a-z_]+)'/g)) purposes.add(m[1]!);
    // The communication-check mail takes its purpose from its kind (checks/mail.ts buildMail).
    purposes.add('communication_check').add('communication_check_reminder');
    expect([...MAIL_PURPOSES].sort()).toEqual([...purposes].sort());
  });

  for (const lang of LANGUAGES) {
    it(`${lang} names every action, its family and every mail purpose`, () => {
      const flat = flatten(loadCatalogue(lang));
      const missing = [
        ...AUDIT_ACTIONS.map(actionKey),
        ...[...new Set(AUDIT_ACTIONS.map(familyOf))].map((f) => `audit.families.${f}`),
        ...MAIL_PURPOSES.map((p) => `outbox.purposes.${p}`),
      ].filter((k) => !flat.has(k));
      expect(missing).toEqual([]);
    });
  }

  it('turns a code into its catalogue key, and its family', () => {
    expect(actionKey('organisation.approved')).toBe('audit.actions.organisation.approved');
    expect(actionKey('communication_check.launched')).toBe('audit.actions.communication_check.launched');
    expect(familyOf('focal_point.added')).toBe('focal_point');
    expect(actionGroups(['auth.login', 'mfa.enabled', 'auth.logout'])).toEqual([
      { family: 'auth', codes: ['auth.login', 'auth.logout'] },
      { family: 'mfa', codes: ['mfa.enabled'] },
    ]);
  });

  it('says a code it does not know in words rather than as a code', () => {
    expect(humanise('ageDays')).toBe('Age days');
    expect(humanise('join_requested_existing_account')).toBe('Join requested existing account');
    expect(humanise('reasonGiven')).toBe('Reason given');
  });

  it('lays out details as fields: nested objects as paths, ids and lists recognised', () => {
    const org = '0190d5a3-7f00-7000-8000-000000000001';
    expect(
      detailFields({
        from: { tlp: 'AMBER', audience: { organisations: [org], communities: [], people: [] } },
        reasonGiven: false,
        rows: 3,
        roles: ['member', 'org_admin'],
        organisation: org,
        reason: null,
      }),
    ).toEqual([
      { path: ['from', 'tlp'], value: { kind: 'text', text: 'AMBER' } },
      { path: ['from', 'audience', 'organisations'], value: { kind: 'ids', ids: [org] } },
      { path: ['from', 'audience', 'communities'], value: { kind: 'list', items: [] } },
      { path: ['from', 'audience', 'people'], value: { kind: 'list', items: [] } },
      { path: ['reasonGiven'], value: { kind: 'boolean', value: false } },
      { path: ['rows'], value: { kind: 'number', value: 3 } },
      { path: ['roles'], value: { kind: 'list', items: ['member', 'org_admin'] } },
      { path: ['organisation'], value: { kind: 'id', id: org } },
      { path: ['reason'], value: { kind: 'none' } },
    ]);
    expect(detailFields({})).toEqual([]);
    expect(detailFields(null)).toEqual([]);
    expect(detailFields({ list: [{ a: 1 }] })).toEqual([{ path: ['list'], value: { kind: 'text', text: '[{"a":1}]' } }]);
  });
});
