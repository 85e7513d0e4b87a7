/**
 * Search terms are literal text in every search (issue 10: two searches escaped
 * nothing): a "%" or "_" typed by a person matches that character, not anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, type Client, type TestApp } from '../test/harness.js';
import { likeContains, likeLiteral } from './sql.js';

let t: TestApp;
let secretariat: Client;

beforeAll(async () => {
  t = await createTestApp();
  const org = await makeOrganisation(t.db, { name: 'Agencia Nacional 100% Segura' });
  await makeOrganisation(t.db, { name: 'Centro Nacional de Respuesta' });
  const s = await makePerson(t.db, org, { roles: ['member', 'secretariat'], name: 'Ana_Maria Pérez' });
  await makePerson(t.db, org, { name: 'Anabel Ruiz' });
  secretariat = await login(t.app, s.email);
});
afterAll(async () => t?.close());

describe('LIKE terms', () => {
  it('escapes the wildcards and the escape character', () => {
    expect(likeLiteral('50%_a\\b')).toBe('50\\%\\_a\\\\b');
    expect(likeContains('x%')).toBe('%x\\%%');
  });

  it('organisation search: "%" finds the organisation with a percent sign only', async () => {
    const names = (await secretariat.get('/api/v1/organisations?q=%25')).json().items.map((o: { name: string }) => o.name);
    expect(names).toEqual(['Agencia Nacional 100% Segura']);
  });

  it('people search: "_" finds the name with an underscore only', async () => {
    const names = (await secretariat.get('/api/v1/people?q=_')).json().items.map((p: { name: string }) => p.name);
    expect(names).toEqual(['Ana_Maria Pérez']);
  });
});
