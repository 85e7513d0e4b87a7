import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CRISIS_LEVELS, CRISIS_ROLES } from '#shared/incidents';
import { CRISIS_ACTION_STATUSES, CRISIS_ALERT_KINDS, CRISIS_MEMBER_SOURCES } from '#shared/crises';
import { AppError } from '../../platform/errors.js';
import { afterActionMarkdown, nextDue, requireLevel } from './service.js';

const MIGRATION = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../db/migrations/0036_crises.sql'), 'utf8');
/** The values a CHECK (column IN (…)) of the migration allows. */
const allowed = (column: string) =>
  [...MIGRATION.matchAll(new RegExp(`CHECK \\(${column} IN \\(([^)]*)\\)\\)`, 'g'))].map((m) => [...m[1]!.matchAll(/'([^']+)'/g)].map((x) => x[1]));

describe('crisis levels and the sitrep cadence', () => {
  it('refuses a level outside the scale with its own code', () => {
    expect(requireLevel('serious')).toBe('serious');
    for (const bad of ['severe', 'SERIOUS', '', null, 3]) {
      const e = (() => {
        try {
          requireLevel(bad);
        } catch (x) {
          return x;
        }
      })();
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('INVALID_CRISIS_LEVEL');
      expect((e as AppError).status).toBe(400);
    }
  });

  it('sets the next report by the level: none at normal, then 24, 12 and 6 hours', () => {
    const from = new Date('2026-03-01T00:00:00Z');
    expect(nextDue('normal', from)).toBeNull();
    expect(nextDue('elevated', from)?.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(nextDue('serious', from)?.toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(nextDue('crisis', from)?.toISOString()).toBe('2026-03-01T06:00:00.000Z');
  });

  it('the migration allows exactly the shared lists', () => {
    for (const l of allowed('level')) expect(l).toEqual([...CRISIS_LEVELS]);
    expect(allowed('role')).toEqual([[...CRISIS_ROLES]]);
    expect(allowed('source')).toEqual([[...CRISIS_MEMBER_SOURCES]]);
    expect(allowed('kind')).toEqual([[...CRISIS_ALERT_KINDS]]);
    expect(allowed('status')).toEqual([['open', 'closed'], [...CRISIS_ACTION_STATUSES]]);
  });
});

describe('the after-action report', () => {
  const report = { exercise: true, note: '', declaredAt: '2031-03-01T09:00:00Z', closedAt: '2031-03-02T09:00:00Z', timeline: [{ at: '2031-03-01T09:00:00Z', kind: 'level', text: 'serious' }], decisions: [], actions: [], sitreps: { count: 2, worstImpact: 'red', languages: ['es', 'pt'] } };
  it('writes its headings and labels in the given language, EXERCISE included', () => {
    const expected = {
      en: ['# EXERCISE — After-action report: X', '## Timeline', '- 2031-03-01T09:00:00Z — level: serious', '## Decisions', '- none', '## Situation reports'],
      es: ['# EJERCICIO — Informe posterior a la acción: X', '## Cronología', '- 2031-03-01T09:00:00Z — nivel: grave', '## Decisiones', '- ninguno', '## Informes de situación'],
      pt: ['# EXERCÍCIO — Relatório pós-ação: X', '## Linha do tempo', '## Decisões', '- nenhum', '## Relatórios de situação'],
      fr: ['# EXERCICE — Rapport après action : X', '## Chronologie', '## Décisions', '- aucun', '## Rapports de situation'],
    } as const;
    for (const [lang, lines] of Object.entries(expected)) {
      const md = afterActionMarkdown(lang as keyof typeof expected, 'X', report);
      for (const l of lines) expect(md.split('\n'), `${lang}: ${l}`).toContain(l);
    }
  });
});
