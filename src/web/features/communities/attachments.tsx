import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError, getCsrfToken, qs } from '../../api/client';
import { asError } from './common';
import type { Attachment } from './types';

export function AttachmentList({ items }: { items: Attachment[] }) {
  const { t } = useTranslation();
  if (!items.length) return null;
  return (
    <Stack gap={2} aria-label={t('discussions.attachments')} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {items.map((a) => (
        <li key={a.id}>
          <a href={`/api/v1/attachments/${a.id}`} download={a.fileName}>
            {a.fileName}
          </a>{' '}
          <Text span size="xs" c="dimmed">
            ({t('discussions.size', { kb: Math.max(1, Math.round(a.sizeBytes / 1024)) })})
          </Text>
        </li>
      ))}
    </Stack>
  );
}

// ---------- uploads ----------

async function uploadFile(topicId: string, file: File, replyId?: string): Promise<void> {
  const res = await fetch(`/api/v1/topics/${topicId}/attachments${qs({ name: file.name, replyId })}`, {
    method: 'POST',
    headers: { 'Content-Type': file.type || 'application/octet-stream', 'X-CSRF-Token': getCsrfToken() ?? '', Accept: 'application/json' },
    body: file,
    credentials: 'same-origin',
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: unknown } };
    throw new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? res.statusText, body.error?.details);
  }
}

/** Uploads files one after the other to a topic (or one of its replies); answers what went wrong, one message a file. */
export function useUploadFiles() {
  const { t } = useTranslation();
  const describe = (file: File, e: ApiError) => {
    if (e.status === 413) {
      const limit = (e.details as { limitBytes?: number } | undefined)?.limitBytes;
      return t('discussions.fileTooBig', { name: file.name, mb: limit ? (limit / 1048576).toFixed(1) : '?' });
    }
    if (e.status === 415) return t('discussions.fileTypeRefused', { name: file.name });
    return t('discussions.fileFailed', { name: file.name, message: e.message });
  };
  return async (topicId: string, files: File[], replyId?: string): Promise<string[]> => {
    const errs: string[] = [];
    for (const f of files) await uploadFile(topicId, f, replyId).catch((x: unknown) => errs.push(describe(f, asError(x))));
    return errs;
  };
}
