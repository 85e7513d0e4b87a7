import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { winAnsi } from '../../platform/pdf.js';
import { uiLanguageOf } from './strings.js';
import { addMonths, roadmapWindow } from './window.js';

const now = new Date('2026-03-15T23:30:00Z');

describe('the roadmap window', () => {
  it('defaults to the last 24 months, this one included (UTC)', () => {
    const w = roadmapWindow({}, now);
    expect(w).toMatchObject({ from: '2024-04', to: '2026-03', start: '2024-04-01', end: '2026-04-01' });
    expect(w.months).toHaveLength(24);
    expect(w.monthEnds[0]).toBe('2024-05-01');
  });

  it('takes either end alone, across years', () => {
    expect(roadmapWindow({ to: '2025-01' }, now)).toMatchObject({ from: '2023-02', to: '2025-01' });
    expect(roadmapWindow({ from: '2025-11' }, now).months).toEqual(['2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
    expect(roadmapWindow({ from: '2025-12', to: '2025-12' }, now)).toMatchObject({ months: ['2025-12'], start: '2025-12-01', end: '2026-01-01', monthEnds: ['2026-01-01'] });
    expect(addMonths('2024-01', -1)).toBe('2023-12');
  });

  it('refuses what is not a window: 400 VALIDATION_FAILED', () => {
    for (const q of [{ from: '2025-13' }, { to: '2025-1' }, { from: '2026-01', to: '2025-12' }, { from: '2000-01', to: '2010-01' }, { from: '0999-01' }]) {
      const e = (() => {
        try {
          roadmapWindow(q, now);
        } catch (x) {
          return x;
        }
      })();
      expect(e, JSON.stringify(q)).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('VALIDATION_FAILED');
    }
    expect(roadmapWindow({ from: '2000-01', to: '2009-12' }, now).months).toHaveLength(120);
  });
});

describe('the words of the exports', () => {
  it('speak the first interface language of the reader, else English', () => {
    expect(uiLanguageOf(['de', 'pt-BR', 'es'])).toBe('pt');
    expect(uiLanguageOf(['de'])).toBe('en');
    expect(uiLanguageOf([])).toBe('en');
  });

  it('write what Helvetica (WinAnsi) can show, and the nearest Latin letters for the rest', () => {
    expect(winAnsi('Área de ação — “œuvre” € ñ ç')).toBe('Área de ação — “œuvre” € ñ ç');
    expect(winAnsi('Łódź Čeština')).toBe('Lódz Ceština');
    expect(winAnsi('東京')).toBe('??');
  });
});
