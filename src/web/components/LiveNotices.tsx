import { CloseButton, Paper, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session';
import { AppLink } from './AppLink';

interface Notice {
  key: number;
  title: string;
  noteId?: string;
}

interface StreamEvent {
  id: string;
  type: string;
  subjectType: string;
  subjectId: string;
  payload?: Record<string, unknown> | null;
  at: string;
}

/** Live notices fed by the server-sent event stream while signed in. */
export function LiveNotices() {
  const { t } = useTranslation();
  const { me, status } = useSession();
  const [notices, setNotices] = useState<Notice[]>([]);
  const counter = useRef(0);
  const dismiss = useCallback((key: number) => setNotices((n) => n.filter((x) => x.key !== key)), []);
  const signedInId = status === 'signedIn' && me && !me.mfaEnrolmentRequired ? me.id : null;

  useEffect(() => {
    if (!signedInId || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    const onNote = (message: MessageEvent) => {
      let event: StreamEvent;
      try {
        event = JSON.parse(message.data) as StreamEvent;
      } catch {
        return;
      }
      const payload = event.payload ?? {};
      const authorId = (payload.authorId ?? (payload.author as { id?: string } | undefined)?.id) as string | undefined;
      // Lists open in other tabs refresh, but nobody is told of their own new note.
      window.dispatchEvent(new CustomEvent('puente:note.created', { detail: event }));
      if (authorId && authorId === signedInId) return;
      const title = typeof payload.title === 'string' ? payload.title : '';
      const key = ++counter.current;
      setNotices((n) => [...n.slice(-4), { key, title, noteId: event.subjectId }]);
      window.setTimeout(() => dismiss(key), 15000);
    };
    const open = () => {
      if (source) return;
      source = new EventSource('/api/v1/stream', { withCredentials: true });
      source.addEventListener('note.created', onNote as EventListener);
    };
    // Opened once the page has painted (the frame after this render; at the latest in a second, for
    // a tab in the background, where frames wait): on a slow connection a request started before
    // the first paint is one more the page seems to wait for, and nothing is shown before it anyway.
    let timer: number | undefined;
    const frame = requestAnimationFrame(() => void (timer = window.setTimeout(open, 0)));
    const fallback = window.setTimeout(open, 1000);
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
      window.clearTimeout(fallback);
      source?.removeEventListener('note.created', onNote as EventListener);
      source?.close();
    };
  }, [signedInId, dismiss]);

  return (
    <div className="live-notices" role="status" aria-live="polite" aria-label={t('live.regionLabel')}>
      {notices.map((n) => (
        <Paper key={n.key} shadow="md" p="sm" withBorder className="live-notice" data-testid="live-notice">
          <Text size="sm" fw={600}>
            {t('live.noteCreated', { title: n.title || t('live.untitled') })}
          </Text>
          {n.noteId && (
            <AppLink to="/notes/$noteId" params={{ noteId: n.noteId }} size="sm" onClick={() => dismiss(n.key)}>
              {t('live.open')}
            </AppLink>
          )}
          <CloseButton className="live-notice-close" aria-label={t('common.dismiss')} onClick={() => dismiss(n.key)} size="sm" />
        </Paper>
      ))}
    </div>
  );
}
