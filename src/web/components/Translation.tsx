import { Alert, Anchor, Badge, Button, Checkbox, Group, Paper, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { UI_LANGUAGES, type TranslationInfo } from '../api/types';
import { ErrorAlert } from './ErrorAlert';
import { useLabels } from './labels';

/**
 * Which language a content record is shown in, and its other versions: "not yet
 * translated into Portuguese — shown in Spanish", a machine-made or outdated version
 * said to be so, and the languages to switch to.
 */
export function TranslationNotice({ info, onPick }: { info: TranslationInfo; onPick: (language: string) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const others = info.versions.filter((v) => v.language !== info.shown);
  return (
    <Stack gap={4} data-testid="translation-notice">
      {info.fallback && (
        <Alert color="gray" p="xs">
          {t('translation.notTranslated', { wanted: labels.language(labels.lang), shown: labels.language(info.shown) })}
        </Alert>
      )}
      {(info.machine || info.outdated) && (
        <Group gap="xs">
          {info.machine && (
            <Badge color="gray" variant="outline">
              {t('translation.machine')}
            </Badge>
          )}
          {info.outdated && <Text size="sm">{t('translation.outdated')}</Text>}
        </Group>
      )}
      {others.length > 0 && (
        <Text size="sm">
          {t('translation.otherVersions')}{' '}
          {others.map((v, i) => (
            <span key={v.language}>
              {i > 0 && ' · '}
              <Anchor component="button" type="button" size="sm" lang={v.language} onClick={() => onPick(v.language)}>
                {labels.language(v.language)}
              </Anchor>
              {v.source ? ` (${t('translation.original')})` : v.machine ? ` (${t('translation.machine')})` : v.outdated ? ` (${t('translation.outdatedShort')})` : ''}
            </span>
          ))}
        </Text>
      )}
    </Stack>
  );
}

export interface TranslatableField {
  name: string;
  label: string;
  multiline?: boolean;
}

/**
 * Add or replace a record's version in another language, or remove one. `current`
 * gives the fields of an existing version to start from.
 */
export function TranslationEditor({
  info,
  fields,
  load,
  save,
  remove,
  onDone,
}: {
  info: TranslationInfo;
  fields: TranslatableField[];
  load: (language: string) => Promise<Record<string, string> | null>;
  save: (language: string, values: Record<string, string>, machine: boolean) => Promise<void>;
  remove: (language: string) => Promise<void>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const choices = UI_LANGUAGES.filter((l) => l !== info.source.split('-')[0]).map((l) => ({ value: l, label: labels.language(l) }));
  const [language, setLanguage] = useState<string | null>(choices[0]?.value ?? null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [machine, setMachine] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const existing = info.versions.find((v) => !v.source && language && v.language.split('-')[0] === language);
  const pick = async (l: string | null) => {
    setLanguage(l);
    setError(null);
    if (!l) return;
    const found = info.versions.find((v) => !v.source && v.language.split('-')[0] === l);
    setValues(found ? ((await load(found.language)) ?? {}) : {});
    setMachine(found?.machine ?? false);
  };
  useEffect(() => {
    // Start from the first language's existing version, if any.
    void pick(choices[0]?.value ?? null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the editor opens
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!language) return;
    setBusy(true);
    setError(null);
    try {
      await save(language, values, machine);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const drop = async () => {
    if (!existing) return;
    setBusy(true);
    setError(null);
    try {
      await remove(existing.language);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h4">
            {t('translation.editTitle', { source: labels.language(info.source) })}
          </Title>
          <ErrorAlert error={error} />
          <Select label={t('translation.language')} data={choices} value={language} allowDeselect={false} onChange={(l) => void pick(l)} />
          {fields.map((f) =>
            f.multiline ? (
              <Textarea key={f.name} label={f.label} lang={language ?? undefined} autosize minRows={6} value={values[f.name] ?? ''} onChange={(e) => setValues({ ...values, [f.name]: e.currentTarget.value })} />
            ) : (
              <TextInput key={f.name} label={f.label} lang={language ?? undefined} value={values[f.name] ?? ''} onChange={(e) => setValues({ ...values, [f.name]: e.currentTarget.value })} />
            ),
          )}
          <Checkbox label={t('translation.machineMade')} checked={machine} onChange={(e) => setMachine(e.currentTarget.checked)} />
          <Group>
            <Button type="submit" loading={busy}>
              {existing ? t('translation.replace') : t('translation.add')}
            </Button>
            {existing && (
              <Button variant="outline" color="red.9" onClick={() => void drop()} disabled={busy}>
                {t('translation.remove')}
              </Button>
            )}
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
