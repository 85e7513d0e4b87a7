import { useEffect, useMemo, useState } from 'react';
import { api, qs } from '../api/client';
import type { Concept, Scheme } from '../features/vocabularies/api';

/** A concept's label as the reader sees it: in their language where the vocabulary has it, else in `lang`. */
export interface ConceptLabel {
  /** `scheme/concept` */
  tag: string;
  scheme: string;
  concept: string;
  label: string;
  lang: string;
  notation: string | null;
  schemeLabel: string;
}

// The vocabularies are reference data: asked for once per language and page load, shared by every picker.
const cache = new Map<string, Promise<unknown>>();
function cachedGet<T>(path: string): Promise<T> {
  let hit = cache.get(path);
  if (!hit) {
    hit = api.get<T>(path, { quiet401: true });
    cache.set(path, hit);
    // A failure is not kept: the next picker asks again.
    hit.catch(() => cache.delete(path));
  }
  return hit as Promise<T>;
}

interface Loaded {
  schemes: Scheme[];
  concepts: Map<string, Concept[]>;
}

/**
 * Labels of the vocabularies' concepts in the reader's language `lang`: of every scheme
 * (`'all'`), of the schemes of the tags given, or none (`null`: nothing is asked for yet).
 */
export function useConcepts(lang: string, want: 'all' | readonly string[] | null) {
  const schemesWanted = want === null ? null : want === 'all' ? 'all' : [...new Set(want.map((t) => t.split('/')[0]!))].sort().join(',');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (schemesWanted === null || schemesWanted === '') return;
    let live = true;
    setError(null);
    (async () => {
      const { items } = await cachedGet<{ items: Scheme[] }>(`/api/v1/vocabularies${qs({ lang })}`);
      const ids = schemesWanted === 'all' ? items.map((s) => s.id) : schemesWanted.split(',').filter((id) => items.some((s) => s.id === id));
      const answers = await Promise.all(ids.map((id) => cachedGet<{ items: Concept[] }>(`/api/v1/vocabularies/${encodeURIComponent(id)}/concepts${qs({ lang })}`)));
      if (live) setLoaded({ schemes: items.filter((s) => ids.includes(s.id)), concepts: new Map(ids.map((id, i) => [id, answers[i]!.items])) });
    })().catch((e: unknown) => {
      if (live) setError(e);
    });
    return () => {
      live = false;
    };
  }, [schemesWanted, lang]);
  return useMemo(() => {
    const byTag = new Map<string, ConceptLabel>();
    const groups: { group: string; items: { value: string; label: string }[] }[] = [];
    for (const s of loaded?.schemes ?? []) {
      const items: { value: string; label: string }[] = [];
      for (const c of loaded!.concepts.get(s.id) ?? []) {
        const tag = `${s.id}/${c.id}`;
        byTag.set(tag, { tag, scheme: s.id, concept: c.id, label: c.prefLabel, lang: c.lang, notation: c.notation, schemeLabel: s.label });
        items.push({ value: tag, label: c.notation ? `${c.notation} — ${c.prefLabel}` : c.prefLabel });
      }
      if (items.length) groups.push({ group: s.label, items });
    }
    return { byTag, groups, loading: schemesWanted !== null && schemesWanted !== '' && !loaded && !error, error };
  }, [loaded, error, schemesWanted]);
}
