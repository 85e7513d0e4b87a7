import { describe, expect, it } from 'vitest';
import { nextParam, safeNext } from './nextPath';

describe('safeNext (the sign-in page’s ?next=)', () => {
  it('follows a path on this site, with its search and hash', () => {
    expect(safeNext('/notes')).toBe('/notes');
    expect(safeNext('/contacts?q=CERT&country=CL')).toBe('/contacts?q=CERT&country=CL');
    expect(safeNext('/communities/0190-a/topics/0190-b#reply')).toBe('/communities/0190-a/topics/0190-b#reply');
    expect(safeNext('/intel?q=%2F%2Fevil')).toBe('/intel?q=%2F%2Fevil');
  });

  it('never leads off the site', () => {
    for (const bad of [
      '//evil.example',
      '//evil.example/notes',
      '/\\evil.example',
      '/\\/evil.example',
      '\\\\evil.example',
      'https://evil.example/',
      'http://evil.example',
      'HTTPS://evil.example',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'evil.example',
      'notes',
      ' /notes',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/ /evil.example',
      '/%0a/evil',
      '',
    ]) {
      const out = safeNext(bad);
      expect(out.startsWith('/') && !out.startsWith('//') && !out.includes('\\'), JSON.stringify(bad)).toBe(true);
      expect(new URL(out, 'https://puente.example').origin, JSON.stringify(bad)).toBe('https://puente.example');
    }
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('javascript:alert(1)')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('/\t/evil.example')).toBe('/');
  });

  it('refuses what is not a string, too long, or the sign-in page itself', () => {
    for (const bad of [undefined, null, 42, {}, ['/notes']]) expect(safeNext(bad)).toBe('/');
    expect(safeNext(`/${'a'.repeat(5000)}`)).toBe('/');
    expect(safeNext('/sign-in')).toBe('/');
    expect(safeNext('/sign-in?next=%2Fnotes')).toBe('/');
  });

  it('nextParam leaves out the home page', () => {
    expect(nextParam('/')).toEqual({});
    expect(nextParam('/notes?tlp=RED')).toEqual({ next: '/notes?tlp=RED' });
    expect(nextParam('//evil.example')).toEqual({});
  });
});
