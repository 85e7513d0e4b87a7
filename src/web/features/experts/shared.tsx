import { Badge, Group, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { UI_LANGUAGES } from '../../api/types';
import { useConcepts } from '../../components/concepts';
import { useLabels } from '../../components/labels';
import { StatusBadge } from '../../components/StatusBadge';
import { SKILL_SCHEME, type ExpertStatus } from './api';

/** Working languages offered in the pickers: the platform's four, then the other languages of the alliance's members. */
export const WORKING_LANGUAGES = [...UI_LANGUAGES, 'de', 'it', 'nl', 'et', 'lv', 'lt', 'pl', 'cs', 'sk', 'hu', 'ro', 'bg', 'el', 'fi', 'sv', 'da', 'hr', 'sl', 'ga', 'mt', 'ht', 'pap', 'srn'];

/** The ECSF role profiles as options, in the reader's language. */
export function useSkillOptions() {
  const { lang } = useLabels();
  const concepts = useConcepts(lang, [`${SKILL_SCHEME}/x`]);
  return useMemo(
    () => ({ options: concepts.groups.flatMap((g) => g.items), label: (tag: string) => concepts.byTag.get(tag)?.label ?? tag.split('/')[1]!, loading: concepts.loading }),
    [concepts],
  );
}

/** Options for the working languages: their names in the reader's language, the ones already chosen kept. */
export function useLanguageOptions(chosen: readonly string[] = []) {
  const labels = useLabels();
  return useMemo(
    () => [...new Set([...WORKING_LANGUAGES, ...chosen])].map((l) => ({ value: l, label: labels.language(l) })).sort((a, b) => a.label.localeCompare(b.label, labels.lang)),
    [labels, chosen],
  );
}

const STATUS_COLOUR: Record<ExpertStatus, string> = { proposed: 'yellow', vetted: 'green', withdrawn: 'gray' };

export function ExpertStatusBadge({ status }: { status: ExpertStatus }) {
  const { t } = useTranslation();
  return <StatusBadge color={STATUS_COLOUR[status]}>{t(`experts.status.${status}`)}</StatusBadge>;
}

/** Concept tags as badges with their labels (any scheme: skills, themes). */
export function ConceptBadges({ tags, label }: { tags: readonly string[]; label: string }) {
  const { lang } = useLabels();
  const concepts = useConcepts(lang, tags.length ? tags : null);
  if (!tags.length) return null;
  return (
    <Group gap={6} wrap="wrap" role="list" aria-label={label}>
      {tags.map((tag) => (
        <Badge key={tag} variant="light" tt="none" role="listitem" styles={{ label: { whiteSpace: 'normal' } }} h="auto" mih={22}>
          {concepts.byTag.get(tag)?.label ?? tag}
        </Badge>
      ))}
    </Group>
  );
}

/** The mean of the evaluated missions, "4.5 / 5 (3 missions)", or that there are none yet. */
export function MissionScore({ missions }: { missions: { count: number; meanEvaluation: number | null } }) {
  const { t, i18n } = useTranslation();
  if (!missions.count) return <Text size="sm">{t('experts.noMissions')}</Text>;
  return (
    <Text size="sm">
      {missions.meanEvaluation === null
        ? t('experts.missionsCount', { count: missions.count })
        : t('experts.missionsScore', { count: missions.count, score: new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(missions.meanEvaluation) })}
    </Text>
  );
}
