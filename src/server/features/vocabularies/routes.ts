import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { errors } from '../../platform/schemas.js';
import { LanguageParam } from '../../platform/translations.js';
import type { Feature } from '../../platform/feature.js';
import { conceptPage, listConcepts, listVocabularies } from './service.js';

const tags = ['vocabularies'];
const Texts = Type.Record(Type.String(), Type.String(), { description: 'Text by BCP 47 language tag' });
const Scheme = Type.Object({
  id: Type.String(),
  uri: Type.String({ description: 'The scheme’s stable URI (skos:ConceptScheme)' }),
  label: Type.String({ description: 'The label in the reader’s language (`?lang=`, then the account’s, then the browser’s), else English' }),
  lang: Type.String({ description: 'The language of `label`' }),
  labels: Texts,
  source: Type.Record(Type.String(), Type.String(), { description: 'Where the scheme comes from: title, publisher, and where known url, identifier, date, note' }),
  concepts: Type.Integer({ description: 'Concepts in use' }),
});
const Concept = Type.Object({
  id: Type.String(),
  uri: Type.String(),
  notation: Type.Union([Type.String(), Type.Null()]),
  prefLabel: Type.String(),
  lang: Type.String({ description: 'The language of `prefLabel`' }),
  prefLabels: Texts,
  altLabels: Type.Record(Type.String(), Type.Array(Type.String())),
  definition: Type.Union([Type.Object({ text: Type.String(), lang: Type.String() }), Type.Null()], { description: 'In the reader’s language when it exists in it, else the language it was written in (`lang`)' }),
  broader: Type.Union([Type.String(), Type.Null()]),
  narrower: Type.Array(Type.String()),
  related: Type.Array(Type.String({ description: 'scheme/concept' })),
});
const SchemeId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', maxLength: 63 });

/** The concept schemes records are tagged with (SKOS-like), public like all reference data. */
export const vocabularyRoutes: FastifyPluginAsyncTypebox<{ p: Platform; features?: readonly Feature[] }> = async (app, { p, features = [] }) => {
  app.get(
    '/api/v1/vocabularies',
    { schema: { tags, summary: 'The concept schemes: the charter’s action areas, workstreams and takeaways, the Santo Domingo pillars, the UN norms, the GFCE themes, NIS2 sectors, organisation and content types', querystring: Type.Object({ lang: Type.Optional(LanguageParam) }, { additionalProperties: false }), response: { 200: Type.Object({ items: Type.Array(Scheme) }), ...errors(400) } } },
    async (req) => listVocabularies(p, actorOf(req)),
  );
  app.get(
    '/api/v1/vocabularies/:scheme/concepts',
    {
      schema: {
        tags,
        summary: 'A scheme’s concepts with their labels in every language, broader, narrower and related concepts; `q` searches every label, accents folded',
        params: Type.Object({ scheme: SchemeId }),
        querystring: Type.Object({ q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), lang: Type.Optional(LanguageParam) }, { additionalProperties: false }),
        response: { 200: Type.Object({ scheme: Scheme, items: Type.Array(Concept) }), ...errors(400, 404) },
      },
    },
    async (req) => listConcepts(p, actorOf(req), req.params.scheme, req.query.q),
  );
  app.get(
    '/api/v1/vocabularies/:scheme/concepts/:concept/tagged',
    {
      schema: {
        tags,
        summary: 'A concept with what is tagged with it across the platform (library items, country priorities and instruments, …), only what this reader may see',
        params: Type.Object({ scheme: SchemeId, concept: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,62}$', maxLength: 63 }) }),
        querystring: Type.Object({ lang: Type.Optional(LanguageParam), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            scheme: Scheme,
            concept: Concept,
            items: Type.Array(
              Type.Object({
                kind: Type.String({ description: 'practice, priority, instrument, …' }),
                id: Type.String(),
                title: Type.String(),
                lang: Type.String({ description: 'The language of `title`' }),
                path: Type.String({ description: 'Its page in the web app' }),
                tlp: Type.String(),
                date: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errors(400, 404),
        },
      },
    },
    async (req) => conceptPage(p, actorOf(req), features, req.params.scheme, req.params.concept, req.query.limit ?? 50),
  );
};
