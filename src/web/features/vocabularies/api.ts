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

/** A concept's page: the concept and what is tagged with it that the reader may see (GET …/concepts/{concept}/tagged). */
export interface TaggedPage {
  scheme: Scheme;
  concept: Concept;
  items: {
    /** practice, priority, instrument, … */
    kind: string;
    id: string;
    title: string;
    /** The language of `title`. */
    lang: string;
    /** Its page in the web app (may end in a #fragment). */
    path: string;
    tlp: string;
    date: string | null;
  }[];
}
