import { Select, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { asError } from './common';
import type { Mode } from './types';

export function SubscribeToggle({ path, mode, onChange }: { path: string; mode: Mode | null; onChange: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError>();
  return (
    <Stack gap={4}>
      <Select
        label={t('discussions.follow')}
        w={260}
        allowDeselect={false}
        value={mode ?? 'none'}
        data={[
          { value: 'none', label: t('discussions.followNone') },
          { value: 'immediate', label: t('discussions.followImmediate') },
          { value: 'daily', label: t('discussions.followDaily') },
        ]}
        onChange={async (v) => {
          setError(undefined);
          try {
            if (!v || v === 'none') await api.del(path);
            else await api.put(path, { mode: v });
            onChange();
          } catch (e) {
            setError(asError(e));
          }
        }}
      />
      <ErrorAlert error={error} />
    </Stack>
  );
}
