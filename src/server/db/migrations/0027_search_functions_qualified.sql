-- The search functions name the functions and configurations they call with their schema: a
-- restore (pg_restore sets an empty search_path) re-creates the library's generated search
-- columns, which call them, and must find every name without a search path.
CREATE OR REPLACE FUNCTION puente_translatable_tsvector(lang text, source jsonb, translations jsonb, weights jsonb DEFAULT '{}')
  RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  r tsvector := ''::tsvector;
  k text;
  v jsonb;
  f text;
  val text;
BEGIN
  FOR f, val IN SELECT key, value FROM jsonb_each_text(coalesce(source, '{}'::jsonb)) LOOP
    r := r || setweight(to_tsvector(public.puente_ts_config(lang), public.puente_fold(coalesce(val, ''))), coalesce(weights->>f, 'D')::"char");
  END LOOP;
  FOR k, v IN SELECT key, value FROM jsonb_each(coalesce(translations, '{}'::jsonb)) LOOP
    FOR f, val IN SELECT key, value FROM jsonb_each_text(coalesce(v->'fields', '{}'::jsonb)) LOOP
      r := r || setweight(to_tsvector(public.puente_ts_config(k), public.puente_fold(coalesce(val, ''))), coalesce(weights->>f, 'D')::"char");
    END LOOP;
  END LOOP;
  RETURN r;
END $$;

CREATE OR REPLACE FUNCTION puente_text_tsquery(q text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT websearch_to_tsquery('english', public.puente_fold(q)) || websearch_to_tsquery('spanish', public.puente_fold(q))
            || websearch_to_tsquery('portuguese', public.puente_fold(q)) || websearch_to_tsquery('french', public.puente_fold(q))
            || websearch_to_tsquery('simple', public.puente_fold(q)) $$;

CREATE OR REPLACE FUNCTION puente_knowledge_tsvector(lang text, title text, summary text, body text, translations jsonb, with_body boolean)
  RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT public.puente_translatable_tsvector(lang, jsonb_build_object('title', title, 'summary', CASE WHEN with_body THEN summary ELSE '' END, 'body', CASE WHEN with_body THEN body ELSE '' END),
           (SELECT coalesce(jsonb_object_agg(k, jsonb_build_object('fields', jsonb_build_object('title', v->'fields'->>'title',
                     'summary', CASE WHEN with_body THEN v->'fields'->>'summary' ELSE '' END, 'body', CASE WHEN with_body THEN v->'fields'->>'body' ELSE '' END))), '{}'::jsonb)
              FROM jsonb_each(coalesce(translations, '{}'::jsonb)) AS t(k, v)),
           '{"title": "A", "summary": "B", "body": "D"}'::jsonb) $$;

CREATE OR REPLACE FUNCTION puente_headline_config(lang text) RETURNS regconfig
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (CASE split_part(lower(coalesce(lang, '')), '-', 1)
                  WHEN 'en' THEN 'public.puente_headline_en' WHEN 'es' THEN 'public.puente_headline_es' WHEN 'pt' THEN 'public.puente_headline_pt'
                  WHEN 'fr' THEN 'public.puente_headline_fr' ELSE 'public.puente_headline_simple' END)::regconfig $$;
