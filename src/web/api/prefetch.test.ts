import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fetchEarly, takeEarly } from './prefetch';

// The browser's fetch is the boundary here: what is counted is how often the page's data is asked for.
let calls: string[] = [];
beforeEach(() => {
  calls = [];
  vi.stubGlobal('fetch', async (path: string) => {
    calls.push(path);
    return new Response(JSON.stringify({ path }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the first page’s data, asked for early', () => {
  it('is asked for once and handed out once', async () => {
    fetchEarly('/api/v1/contacts?page=1&pageSize=25');
    fetchEarly('/api/v1/contacts?page=1&pageSize=25');
    expect(calls).toEqual(['/api/v1/contacts?page=1&pageSize=25']);
    await expect(takeEarly('/api/v1/contacts?page=1&pageSize=25')).resolves.toEqual({ path: '/api/v1/contacts?page=1&pageSize=25' });
    expect(takeEarly('/api/v1/contacts?page=1&pageSize=25')).toBeUndefined();
  });

  it('is never handed out for another path', () => {
    fetchEarly('/api/v1/intel/objects?limit=50');
    expect(takeEarly('/api/v1/intel/objects?limit=25')).toBeUndefined();
  });

  it('is not used once stale: the page asks afresh', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    fetchEarly('/api/v1/notes');
    vi.setSystemTime(Date.now() + 11_000);
    expect(takeEarly('/api/v1/notes')).toBeUndefined();
  });
});
