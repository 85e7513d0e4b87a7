import type { CommitmentStatus } from '#shared/records';
import { isUiLanguage, type UiLanguage } from '../../platform/i18n.js';

/**
 * The words of the dashboard's exports (the PDF, the `all` row's label) in the four interface
 * languages; the rows' own labels come from the vocabularies. Kept beside the feature: nothing
 * else says them.
 */
export interface RoadmapStrings {
  title: string;
  /** {{date}}, {{who}} */
  madeFor: string;
  public: string;
  /** {{from}}, {{to}} */
  period: string;
  note: string;
  all: string;
  areas: string;
  takeaways: string;
  area: string;
  takeaway: string;
  records: string;
  practices: string;
  commitments: string;
  overdue: string;
  meanProgress: string;
  byStatusTitle: string;
  monthlyTitle: string;
  progressTitle: string;
  month: string;
  none: string;
  status: Record<CommitmentStatus, string>;
}

const STRINGS: Record<UiLanguage, RoadmapStrings> = {
  en: {
    title: 'Roadmap toward the EU-CELAC summit',
    madeFor: 'Made on {{date}} for {{who}}',
    public: 'the public (CLEAR content only)',
    period: 'Period: {{from}} to {{to}}',
    note: 'Every figure counts only the published activity records and good practices this reader may see, dated (records) or published (good practices) in the period, and the commitments of those records. A takeaway includes its sub-takeaways; an action area includes its takeaways. Mean progress leaves dropped commitments out.',
    all: 'All action areas and takeaways',
    areas: 'Action areas',
    takeaways: 'Takeaways',
    area: 'Action area',
    takeaway: 'Takeaway',
    records: 'Activity records',
    practices: 'Good practices',
    commitments: 'Commitments',
    overdue: 'Overdue',
    meanProgress: 'Mean progress',
    byStatusTitle: 'Commitments by status, per takeaway',
    monthlyTitle: 'Per month, all action areas',
    progressTitle: 'Mean progress of commitments at the end of each month, per action area',
    month: 'Month',
    none: '—',
    status: { planned: 'Planned', 'in progress': 'In progress', done: 'Done', delayed: 'Delayed', dropped: 'Dropped' },
  },
  es: {
    title: 'Hoja de ruta hacia la cumbre UE-CELAC',
    madeFor: 'Elaborado el {{date}} para {{who}}',
    public: 'el público (solo contenido CLEAR)',
    period: 'Periodo: de {{from}} a {{to}}',
    note: 'Cada cifra cuenta solo los registros de actividad y las buenas prácticas publicados que este lector puede ver, fechados (registros) o publicados (buenas prácticas) en el periodo, y los compromisos de esos registros. Una conclusión incluye sus subconclusiones; un área de acción, sus conclusiones. El avance medio deja fuera los compromisos abandonados.',
    all: 'Todas las áreas de acción y conclusiones',
    areas: 'Áreas de acción',
    takeaways: 'Conclusiones operativas',
    area: 'Área de acción',
    takeaway: 'Conclusión',
    records: 'Registros de actividad',
    practices: 'Buenas prácticas',
    commitments: 'Compromisos',
    overdue: 'Vencidos',
    meanProgress: 'Avance medio',
    byStatusTitle: 'Compromisos por estado, por conclusión',
    monthlyTitle: 'Por mes, todas las áreas de acción',
    progressTitle: 'Avance medio de los compromisos al final de cada mes, por área de acción',
    month: 'Mes',
    none: '—',
    status: { planned: 'Previsto', 'in progress': 'En curso', done: 'Cumplido', delayed: 'Retrasado', dropped: 'Abandonado' },
  },
  pt: {
    title: 'Roteiro rumo à cúpula UE-CELAC',
    madeFor: 'Gerado em {{date}} para {{who}}',
    public: 'o público (somente conteúdo CLEAR)',
    period: 'Período: de {{from}} a {{to}}',
    note: 'Cada número conta somente os registros de atividade e as boas práticas publicados que este leitor pode ver, datados (registros) ou publicados (boas práticas) no período, e os compromissos desses registros. Uma conclusão inclui suas subconclusões; uma área de ação, suas conclusões. O andamento médio deixa de fora os compromissos abandonados.',
    all: 'Todas as áreas de ação e conclusões',
    areas: 'Áreas de ação',
    takeaways: 'Conclusões operacionais',
    area: 'Área de ação',
    takeaway: 'Conclusão',
    records: 'Registros de atividade',
    practices: 'Boas práticas',
    commitments: 'Compromissos',
    overdue: 'Vencidos',
    meanProgress: 'Andamento médio',
    byStatusTitle: 'Compromissos por status, por conclusão',
    monthlyTitle: 'Por mês, todas as áreas de ação',
    progressTitle: 'Andamento médio dos compromissos no fim de cada mês, por área de ação',
    month: 'Mês',
    none: '—',
    status: { planned: 'Previsto', 'in progress': 'Em andamento', done: 'Cumprido', delayed: 'Atrasado', dropped: 'Abandonado' },
  },
  fr: {
    title: 'Feuille de route vers le sommet UE-CELAC',
    madeFor: 'Établi le {{date}} pour {{who}}',
    public: 'le public (contenu CLEAR uniquement)',
    period: 'Période : de {{from}} à {{to}}',
    note: 'Chaque chiffre ne compte que les comptes rendus d’activité et les bonnes pratiques publiés que ce lecteur peut voir, datés (comptes rendus) ou publiés (bonnes pratiques) dans la période, et les engagements de ces comptes rendus. Une conclusion inclut ses sous-conclusions ; un domaine d’action, ses conclusions. L’avancement moyen laisse de côté les engagements abandonnés.',
    all: 'Tous les domaines d’action et conclusions',
    areas: 'Domaines d’action',
    takeaways: 'Conclusions opérationnelles',
    area: 'Domaine d’action',
    takeaway: 'Conclusion',
    records: 'Comptes rendus d’activité',
    practices: 'Bonnes pratiques',
    commitments: 'Engagements',
    overdue: 'En retard',
    meanProgress: 'Avancement moyen',
    byStatusTitle: 'Engagements par statut, par conclusion',
    monthlyTitle: 'Par mois, tous les domaines d’action',
    progressTitle: 'Avancement moyen des engagements à la fin de chaque mois, par domaine d’action',
    month: 'Mois',
    none: '—',
    status: { planned: 'Prévu', 'in progress': 'En cours', done: 'Réalisé', delayed: 'En retard', dropped: 'Abandonné' },
  },
};

/** The first of the reader's languages the interface speaks, else English. */
export function uiLanguageOf(readerLanguages: readonly string[]): UiLanguage {
  for (const l of readerLanguages) {
    const primary = l.toLowerCase().split('-')[0];
    if (isUiLanguage(primary)) return primary;
  }
  return 'en';
}

export const roadmapStrings = (lang: UiLanguage): RoadmapStrings => STRINGS[lang];

export const fill = (s: string, vars: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '');
