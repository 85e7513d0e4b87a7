import { Alert, Button, Card, Group, MultiSelect, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, qs } from '../../api/client';
import type { Items } from '../../api/types';
import { useApi } from '../../api/useApi';
import { ErrorAlert } from '../../components/ErrorAlert';
import { asError, ServerHtml } from './common';

/** The end of a post form: its errors (the request's, then one a file) and the submit button. */
export function PostFormEnd({ error, fileErrors, busy, submit }: { error: ApiError | undefined; fileErrors: string[]; busy: boolean; submit: string }) {
  return (
    <>
      <ErrorAlert error={error} />
      {fileErrors.map((m) => (
        <Alert key={m} color="red" role="alert">
          {m}
        </Alert>
      ))}
      <Group>
        <Button type="submit" loading={busy}>
          {submit}
        </Button>
      </Group>
    </>
  );
}

// ---------- the Markdown editor with preview, mentions, TLP, files ----------

export interface EditorValue {
  body: string;
  mentions: string[];
  files: File[];
}

export function MarkdownEditor({ communityId, value, onChange, label }: { communityId: string; value: EditorValue; onChange: (v: EditorValue) => void; label: string }) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<string | null>(null);
  const [previewError, setPreviewError] = useState<ApiError>();
  const [search, setSearch] = useState('');
  const members = useApi<Items<{ id: string; name: string; organisation: string }>>(`/api/v1/communities/${communityId}/mentionable${qs({ q: search })}`);
  const [known, setKnown] = useState<Map<string, string>>(new Map());
  const options = [
    ...(members.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.name} — ${m.organisation}` })),
    ...value.mentions.filter((id) => !(members.data?.items ?? []).some((m) => m.id === id)).map((id) => ({ value: id, label: known.get(id) ?? id })),
  ];
  return (
    <Stack gap="sm">
      <Textarea label={label} description={t('discussions.markdownHelp')} autosize minRows={5} maxRows={20} required value={value.body} onChange={(e) => onChange({ ...value, body: e.currentTarget.value })} />
      <Group>
        <Button
          variant="default"
          size="xs"
          onClick={async () => {
            setPreviewError(undefined);
            try {
              setPreview((await api.post<{ html: string }>('/api/v1/discussions/preview', { markdown: value.body })).html);
            } catch (e) {
              setPreviewError(asError(e));
            }
          }}
        >
          {t('discussions.preview')}
        </Button>
      </Group>
      <ErrorAlert error={previewError} />
      {preview !== null && (
        <Card withBorder aria-label={t('discussions.previewLabel')} role="region">
          <ServerHtml html={preview} />
        </Card>
      )}
      <MultiSelect
        label={t('discussions.mentions')}
        description={t('discussions.mentionsHelp')}
        searchable
        searchValue={search}
        onSearchChange={setSearch}
        data={options}
        value={value.mentions}
        onChange={(ids) => {
          const names = new Map(known);
          for (const m of members.data?.items ?? []) names.set(m.id, m.name);
          setKnown(names);
          // Put "@Name" into the text for each newly picked person.
          const added = ids.filter((id) => !value.mentions.includes(id)).map((id) => `@${names.get(id) ?? ''}`);
          onChange({ ...value, mentions: ids, body: added.length ? `${value.body}${value.body && !value.body.endsWith(' ') ? ' ' : ''}${added.join(' ')} ` : value.body });
        }}
        nothingFoundMessage={t('discussions.noMembersFound')}
      />
      <div>
        <label htmlFor={`files-${label}`}>
          <Text size="sm" fw={500}>
            {t('discussions.files')}
          </Text>
        </label>
        <Text size="xs" c="dimmed" id={`files-help-${label}`}>
          {t('discussions.filesHelp')}
        </Text>
        <input
          id={`files-${label}`}
          type="file"
          multiple
          aria-describedby={`files-help-${label}`}
          accept=".pdf,.png,.jpg,.jpeg,.webp,.gif,.txt,.csv,.json,.docx,.xlsx,.pptx,.odt"
          onChange={(e) => onChange({ ...value, files: Array.from(e.currentTarget.files ?? []) })}
        />
      </div>
    </Stack>
  );
}
