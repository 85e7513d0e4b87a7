import { Badge, Group } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client';
import { useLabels } from '../../components/labels';
import { SECTOR_SCHEME, type InstrumentStatus } from '#shared/countries';
import type { Concept } from '../vocabularies/api';

/** The schemes priorities and instruments are tagged from (sectors are picked on their own). */
export const TAG_SCHEMES = ['action-areas', 'workstreams', 'takeaways', 'santo-domingo-pillars', 'un-norms-2015', 'gfce-themes'] as const;

// Reference data: asked for once per language and page load.
const cache = new Map<string, Promise<unknown>>();
function cachedGet<T>(path: string): Promise<T> {
  let hit = cache.get(path);
  if (!hit) {
    hit = api.get<T>(path, { quiet401: true });
    cache.set(path, hit);
    hit.catch(() => cache.delete(path));
  }
  return hit as Promise<T>;
}

interface SchemeInfo {
  id: string;
  label: string;
}

/** The concepts of the tagging schemes in the reader's language: options for a picker, grouped by scheme, and a label for a tag. */
export function useConceptOptions() {
  const labels = useLabels();
  const [loaded, setLoaded] = useState<{ schemes: SchemeInfo[]; concepts: Map<string, Concept[]> } | null>(null);
  useEffect(() => {
    let live = true;
    void (async () => {
      const { items } = await cachedGet<{ items: SchemeInfo[] }>(`/api/v1/vocabularies${qs({ lang: labels.lang })}`);
      const ids = TAG_SCHEMES.filter((id) => items.some((s) => s.id === id));
      const answers = await Promise.all(ids.map((id) => cachedGet<{ items: Concept[] }>(`/api/v1/vocabularies/${id}/concepts${qs({ lang: labels.lang })}`)));
      if (live) setLoaded({ schemes: items.filter((s) => (ids as readonly string[]).includes(s.id)), concepts: new Map(ids.map((id, i) => [id, answers[i]!.items])) });
    })().catch(() => {
      // Without the vocabularies the tags show as they are written.
    });
    return () => {
      live = false;
    };
  }, [labels.lang]);
  return useMemo(() => {
    const byTag = new Map<string, { label: string; lang: string }>();
    const groups: { group: string; items: { value: string; label: string }[] }[] = [];
    for (const s of loaded?.schemes ?? []) {
      const items = (loaded!.concepts.get(s.id) ?? []).map((c) => {
        const label = c.notation ? `${c.notation} — ${c.prefLabel}` : c.prefLabel;
        byTag.set(`${s.id}/${c.id}`, { label, lang: c.lang });
        return { value: `${s.id}/${c.id}`, label };
      });
      if (items.length) groups.push({ group: s.label, items });
    }
    return { groups, byTag };
  }, [loaded]);
}

/** The sector code of a nis2-sectors tag. */
export const sectorCode = (tag: string) => (tag.startsWith(`${SECTOR_SCHEME}/`) ? tag.slice(SECTOR_SCHEME.length + 1) : tag);

/** Concept tags as badges, each linking to its vocabulary. */
export function ConceptBadges({ tags, byTag }: { tags: string[]; byTag: Map<string, { label: string; lang: string }> }) {
  const { t } = useTranslation();
  if (!tags.length) return null;
  return (
    <Group gap={4} aria-label={t('countryPages.concepts')} role="list">
      {tags.map((tag) => {
        const c = byTag.get(tag);
        return (
          <Badge key={tag} role="listitem" variant="outline" color="gray" tt="none" lang={c?.lang} title={tag}>
            {c?.label ?? tag}
          </Badge>
        );
      })}
    </Group>
  );
}

/** An instrument's status in words, with a colour that only repeats them. */
export function StatusBadge({ status }: { status: InstrumentStatus }) {
  const { t } = useTranslation();
  const color = status === 'in_force' ? 'green' : status === 'repealed' ? 'gray' : status === 'adopted' || status === 'amended' ? 'teal' : 'yellow';
  return (
    <Badge variant="light" color={color} tt="none" data-status={status}>
      {t(`countryPages.status.${status}`)}
    </Badge>
  );
}

/** Text folded for a search: lower case, accents removed. */
export const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
