/** The vocabularies API's answers (GET /api/v1/vocabularies, …/{scheme}/concepts). */
export interface Scheme {
  id: string;
  uri: string;
  label: string;
  lang: string;
  labels: Record<string, string>;
  source: { title: string; publisher: string; url?: string; identifier?: string; date?: string; note?: string };
  concepts: number;
}

export interface Concept {
  id: string;
  uri: string;
  notation: string | null;
  prefLabel: string;
  lang: string;
  prefLabels: Record<string, string>;
  altLabels: Record<string, string[]>;
  definition: { text: string; lang: string } | null;
  broader: string | null;
  narrower: string[];
  related: string[];
}
