// The demo's crises tell the done-when story: the ongoing ransomware crisis against energy operators
// in CO, CL and DO at level serious, with sitreps in three languages, decisions, actions and
// acknowledgements, and a finished table-top exercise with its evaluation — each seen only by its room.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/load.js';
import { createTestApp, login, TEST_PASSWORD, type TestApp } from '../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await loadDemo(t.db, TEST_PASSWORD);
});
afterAll(async () => t?.close());

const as = (email: string) => login(t.app, `${email}@demo.puente.test`);

describe('the demo’s crisis rooms', () => {
  it('show the ongoing crisis to its room, with sitreps in three languages, and the exercise labelled and evaluated', async () => {
    const admin = await as('admin');
    const res = await admin.get('/api/v1/crises?lang=en');
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json().items;
    const live = list.find((c: { exercise: boolean }) => !c.exercise);
    expect(live).toMatchObject({ title: 'Ransomware against energy operators', level: 'serious', status: 'open', countries: ['CO', 'CL', 'DO'], myRole: 'coordinator' });
    expect(live.nextSitrep.overdue).toBe(false);
    const room = (await admin.get(`/api/v1/crises/${live.id}`)).json();
    expect(room.sitreps.map((s: { translation: { source: string } }) => s.translation.source)).toEqual(['es', 'es', 'pt', 'en']);
    expect(room.decisions).toHaveLength(2);
    expect(room.actions.some((a: { overdue: boolean }) => a.overdue)).toBe(true);
    expect(room.acknowledgements.filter((a: { acknowledgedAt: string | null }) => a.acknowledgedAt === null)).toHaveLength(1);
    const dominican = await as('analyst.do');
    expect((await dominican.get('/api/v1/crises/alerts?pending=true')).json().items).toHaveLength(1);
    expect((await (await as('analyst.br')).get(`/api/v1/crises/${live.id}`)).statusCode).toBe(200);
    for (const outsider of ['diplomat.es', 'researcher.mx']) expect((await (await as(outsider)).get(`/api/v1/crises/${live.id}`)).statusCode, outsider).toBe(404);

    const ee = await as('analyst.ee');
    const exercise = (await ee.get('/api/v1/crises?exercise=true')).json().items[0];
    expect(exercise).toMatchObject({ exercise: true, status: 'closed' });
    const done = (await ee.get(`/api/v1/crises/${exercise.id}`)).json();
    expect(done.injects.every((i: { releasedAt: string | null }) => i.releasedAt)).toBe(true);
    expect(done.evaluations).toMatchObject({ count: 2, averages: { objectives: 4.5 } });
    expect(done.afterAction.exercise).toBe(true);
    expect(done.can.publishLesson).toBe(true);
    // The exercise never shows among real crises.
    expect((await admin.get('/api/v1/crises?exercise=false')).json().items.every((c: { exercise: boolean }) => !c.exercise)).toBe(true);
  });
});
