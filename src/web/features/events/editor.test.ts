import { describe, expect, it } from 'vitest';
import type { EventDetail, RegistrationRow } from './api';
import {
  emptyEventForm,
  eventBody,
  eventFormOf,
  eventProblems,
  fileNameOf,
  minutesBody,
  minutesProblems,
  newQuestionId,
  participantsCsv,
  registrationsCsv,
  sessionBody,
  sessionFormOf,
  sessionProblems,
  toCsv,
  waitlistPositions,
  type EventForm,
} from './editor';
import { validateEventEditSearch, validateRegistrationsSearch } from './search';

const fields = (ps: { field: string; problem: string }[]) => ps.map((p) => `${p.field}:${p.problem}`);

const valid: EventForm = {
  ...emptyEventForm('es', 'America/Santo_Domingo'),
  title: 'Reunión anual',
  startsAt: '2027-04-13T09:00',
  endsAt: '2027-04-14T14:00',
};

describe('the event form', () => {
  it('reads times on the event’s own clock and sends them as moments with their offset', () => {
    expect(eventProblems(valid)).toEqual([]);
    const body = eventBody(valid, { tlp: 'GREEN', pap: 'GREEN', audience: { organisations: [], communities: [], people: [] } });
    // Santo Domingo is UTC−4 all year.
    expect(body).toMatchObject({ startsAt: '2027-04-13T13:00:00.000Z', endsAt: '2027-04-14T18:00:00.000Z', timeZone: 'America/Santo_Domingo', capacity: null, onlineUrl: null, questions: [] });
    // The same wall-clock time in Madrid is another moment (summer time, UTC+2).
    expect(eventBody({ ...valid, timeZone: 'Europe/Madrid' }, { tlp: 'GREEN', pap: 'GREEN', audience: {} }).startsAt).toBe('2027-04-13T07:00:00.000Z');
  });

  it('says what the server would refuse, field by field', () => {
    expect(fields(eventProblems({ ...valid, title: '  ', endsAt: '2027-04-13T08:00' }))).toEqual(['title:required', 'endsAt:endBeforeStart']);
    expect(fields(eventProblems({ ...valid, startsAt: '', endsAt: 'tomorrow' }))).toEqual(['startsAt:required', 'endsAt:invalidTime']);
    expect(fields(eventProblems({ ...valid, timeZone: 'Mars/Olympus_Mons' }))).toContain('timeZone:required');
    expect(fields(eventProblems({ ...valid, online: true, onlineUrl: 'http://meet.example' }))).toEqual(['onlineUrl:https']);
    // A link is checked only when the event is online.
    expect(eventProblems({ ...valid, online: false, onlineUrl: 'http://meet.example' })).toEqual([]);
    expect(fields(eventProblems({ ...valid, capacity: 0, retentionDays: 4000 }))).toEqual(['capacity:range', 'retentionDays:range']);
    expect(fields(eventProblems({ ...valid, title: 'x'.repeat(301) }))).toEqual(['title:tooLong']);
    expect(
      fields(
        eventProblems({
          ...valid,
          questions: [
            { id: 'q1', label: '', type: 'text', required: false, options: '' },
            { id: 'q2', label: 'Menu', type: 'choice', required: true, options: ' \n ' },
          ],
        }),
      ),
    ).toEqual(['questions.0.label:required', 'questions.1.options:noOptions']);
  });

  it('keeps question ids (answers are keyed by them) and gives new ones that are free', () => {
    expect(newQuestionId([])).toBe('q1');
    expect(newQuestionId([{ id: 'q2' }, { id: 'visa' }])).toBe('q3');
    expect(newQuestionId([{ id: 'q1' }, { id: 'q2' }, { id: 'q3' }].filter((q) => q.id !== 'q2'))).toBe('q4');
    const body = eventBody({ ...valid, questions: [{ id: 'menu', label: ' Menu ', type: 'choice', required: true, options: 'Fish\n\nMeat\nFish' }] }, { tlp: 'GREEN', pap: 'GREEN', audience: {} });
    expect(body.questions).toEqual([{ id: 'menu', label: 'Menu', type: 'choice', required: true, options: ['Fish', 'Meat'] }]);
  });

  it('reads a saved event back in the language and on the clock it was written in', () => {
    const saved = {
      kind: 'webinar',
      language: 'es',
      title: 'Shown title',
      description: '',
      agenda: '',
      sourceTexts: { title: 'Título', description: 'Descripción', agenda: '' },
      place: 'Santo Domingo',
      country: 'DO',
      online: true,
      onlineUrl: 'https://meet.example/x',
      timeZone: 'America/Santo_Domingo',
      startsAt: '2027-04-13T13:00:00.000Z',
      endsAt: '2027-04-14T18:00:00.000Z',
      concepts: ['gfce-themes/b'],
      registrationOpen: true,
      registration: { open: false, moderated: true, capacity: 40, confirmed: 0, pending: 0, waitlisted: 0 },
      retentionDays: 30,
      questions: [{ id: 'visa', label: 'Visa?', type: 'yes-no', required: true }],
    } as unknown as EventDetail;
    const f = eventFormOf(saved);
    expect(f).toMatchObject({ title: 'Título', description: 'Descripción', startsAt: '2027-04-13T09:00', endsAt: '2027-04-14T14:00', registrationOpen: true, moderated: true, capacity: 40, retentionDays: 30 });
    expect(f.questions).toEqual([{ id: 'visa', label: 'Visa?', type: 'yes-no', required: true, options: '' }]);
    expect(eventBody(f, { tlp: 'GREEN', pap: 'GREEN', audience: {} }).startsAt).toBe(saved.startsAt);
  });
});

describe('the timetable', () => {
  const event = { startsAt: '2027-04-13T13:00:00.000Z', endsAt: '2027-04-14T18:00:00.000Z', timeZone: 'America/Santo_Domingo', language: 'es' };
  const session = { title: 'Apertura', titles: { en: 'Opening' }, startsAt: '2027-04-13T09:00', endsAt: '2027-04-13T10:30', room: 'Sala A', speakers: 'Ana\n\n Luis ', interpretation: ['en'], status: 'scheduled' as const };

  it('takes sessions that end after they start, within the event, on its clock', () => {
    expect(sessionProblems(session, event)).toEqual([]);
    expect(fields(sessionProblems({ ...session, endsAt: '2027-04-13T09:00' }, event))).toEqual(['endsAt:endBeforeStart']);
    // 08:00 in Santo Domingo is before the event's 09:00.
    expect(fields(sessionProblems({ ...session, startsAt: '2027-04-13T08:00' }, event))).toEqual(['startsAt:outsideEvent']);
    expect(fields(sessionProblems({ ...session, startsAt: '2027-04-14T13:00', endsAt: '2027-04-14T15:00' }, event))).toEqual(['endsAt:outsideEvent']);
    expect(fields(sessionProblems({ ...session, title: ' ', speakers: Array.from({ length: 21 }, (_, i) => `S${i}`).join('\n') }, event))).toEqual(['title:required', 'speakers:tooMany']);
  });

  it('sends the session as moments, its speakers one a line, its translated titles (an empty one removes it)', () => {
    expect(sessionBody({ ...session, titles: { en: ' Opening ', fr: '' } }, event.timeZone)).toEqual({
      title: 'Apertura',
      titleTranslations: { en: 'Opening', fr: '' },
      startsAt: '2027-04-13T13:00:00.000Z',
      endsAt: '2027-04-13T14:30:00.000Z',
      room: 'Sala A',
      speakers: [{ name: 'Ana' }, { name: 'Luis' }],
      interpretation: ['en'],
      status: 'scheduled',
    });
  });

  it('edits a saved session in the event’s language, the other languages beside it', () => {
    const saved = { id: 's', title: 'Opening', titleLanguage: 'en', startsAt: '2027-04-13T13:00:00.000Z', endsAt: '2027-04-13T14:30:00.000Z', room: '', speakers: [{ name: 'Ana', personId: null }], interpretation: [], status: 'scheduled' as const, titles: { es: 'Apertura', en: 'Opening' } };
    expect(sessionFormOf(saved, event)).toMatchObject({ title: 'Apertura', titles: { en: 'Opening' }, startsAt: '2027-04-13T09:00', endsAt: '2027-04-13T10:30', speakers: 'Ana' });
  });
});

describe('the minutes', () => {
  const owner = '01a24f30-9e61-7571-a830-01bef75c27aa';
  it('are checked as the record format checks them, against the organiser’s own fields', () => {
    expect(minutesProblems({ minutes: 'Agreed.\n\n### Next\n\nMore.', commitments: [{ text: 'Do it', ownerOrgId: owner, due: '2027-12-31' }] })).toEqual([]);
    expect(fields(minutesProblems({ minutes: '   ', commitments: [] }))).toEqual(['minutes:required']);
    expect(fields(minutesProblems({ minutes: 'Intro\n## Decisions', commitments: [] }))).toEqual(['minutes:heading']);
    expect(fields(minutesProblems({ minutes: 'Fine.', commitments: [{ text: 'Two\nlines', ownerOrgId: null, due: '2027-02-30' }] }))).toEqual(['commitments.0.text:oneLine', 'commitments.0.due:date', 'commitments.0.ownerOrgId:required']);
    expect(fields(minutesProblems({ minutes: 'Fine.', commitments: Array.from({ length: 51 }, () => ({ text: 'x', ownerOrgId: owner, due: '' })) }))).toEqual(['commitments:tooMany']);
  });

  it('are sent trimmed, a commitment without a due date without one', () => {
    expect(minutesBody({ minutes: '\r\n Agreed. \r\n', commitments: [{ text: ' Do it ', ownerOrgId: owner, due: '' }] })).toEqual({ minutes: 'Agreed.', commitments: [{ text: 'Do it', ownerOrgId: owner }] });
  });
});

describe('exports', () => {
  it('write CSV that spreadsheets open as text: quoted where needed, formulas defused', () => {
    expect(toCsv([['a', 'b,c', 'd"e'], ['line\nbreak', null, 3], ['=HYPERLINK("x")', '+1', ' padded']])).toBe('a,"b,c","d""e"\r\n"line\nbreak",,3\r\n"\'=HYPERLINK(""x"")",\'+1," padded"\r\n');
    // Numbers are numbers, not text to defuse.
    expect(toCsv([[-1]])).toBe('-1\r\n');
  });

  const row = (id: string, ticket: number, status: RegistrationRow['status'], extra: Partial<RegistrationRow> = {}): RegistrationRow => ({
    id,
    person: { id: `p${id}`, name: `Person ${id}` },
    organisation: { id: 'o', name: 'CSIRT', country: 'CL' },
    status,
    ticket,
    consentToList: false,
    answers: {},
    delegation: null,
    registeredAt: '2027-01-01T00:00:00.000Z',
    ...extra,
  });

  it('are named after the event, in letters a file system takes', () => {
    expect(fileNameOf('Reunión anual: UE/ALC 2027', 'participants')).toBe('Reunion-anual-UEALC-2027-participants.csv');
    expect(fileNameOf('«»', 'registrations')).toBe('event-registrations.csv');
  });

  it('number the waitlist in order of arrival', () => {
    const rows = [row('a', 5, 'waitlisted'), row('b', 1, 'confirmed'), row('c', 3, 'waitlisted'), row('d', 4, 'withdrawn')];
    expect([...waitlistPositions(rows).entries()]).toEqual([
      ['c', 1],
      ['a', 2],
    ]);
  });

  it('give the organisers every registration with its answers; the public list only what it shows', () => {
    const rows = [row('b', 2, 'waitlisted', { answers: { visa: true, diet: 'none' } }), row('a', 1, 'confirmed', { consentToList: true, delegation: 'd1' })];
    const csv = registrationsCsv(
      rows,
      [
        { id: 'visa', label: 'Visa?', type: 'yes-no' },
        { id: 'diet', label: 'Diet', type: 'text' },
      ],
      { headers: ['#', 'Status', 'Line', 'Name', 'Organisation', 'Country', 'Listed', 'Delegation', 'At'], status: (s) => s.toUpperCase(), yes: 'yes', no: 'no', country: (c) => `[${c}]`, dateTime: () => 'when' },
      () => '[ES]',
    );
    expect(csv.split('\r\n')).toEqual(['#,Status,Line,Name,Organisation,Country,Listed,Delegation,At,Visa?,Diet', '1,CONFIRMED,,Person a,CSIRT,[CL],yes,[ES],when,,', '2,WAITLISTED,1,Person b,CSIRT,[CL],no,,when,yes,none', '']);
    const list = participantsCsv([{ name: 'Ana', organisation: { id: 'o', name: 'MAEC', country: 'ES' }, delegation: 'ES', headOfDelegation: true }], { headers: ['Name', 'Organisation', 'Country', 'Delegation', 'Head'], yes: 'yes', no: 'no', country: (c) => c });
    expect(list).toBe('Name,Organisation,Country,Delegation,Head\r\nAna,MAEC,ES,ES,yes\r\n');
  });
});

describe('the organiser’s addresses', () => {
  it('keep only tabs and statuses the pages know', () => {
    expect(validateEventEditSearch({ tab: 'timetable' })).toEqual({ tab: 'timetable' });
    expect(validateEventEditSearch({ tab: 'details' })).toEqual({});
    expect(validateEventEditSearch({ tab: '<script>' })).toEqual({});
    expect(validateRegistrationsSearch({ status: 'waitlisted' })).toEqual({ status: 'waitlisted' });
    expect(validateRegistrationsSearch({ status: 'everything' })).toEqual({});
  });
});
