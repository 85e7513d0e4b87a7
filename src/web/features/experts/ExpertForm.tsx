import { Alert, Button, Fieldset, Group, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { UI_LANGUAGES, type Audience, type Items, type Tlp } from '../../api/types';
import { useApi } from '../../api/useApi';
import { ButtonLink } from '../../components/AppLink';
import { useConcepts } from '../../components/concepts';
import { useCountryOptions } from '../../components/CountrySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TlpChoice } from '../../components/TlpChoice';
import { hasRole, useSession } from '../../session';
import { audienceFor, EMPTY_AUDIENCE, useAudienceOptions } from '../notes/MarkingFields';
import { EXPERT_TLPS, LIMITS, SKILL_SCHEME, type Expert, type ExpertInput } from './api';
import { useLanguageOptions, useSkillOptions } from './shared';

interface Form {
  personId: string;
  language: string;
  headline: string;
  biography: string;
  skills: string[];
  concepts: string[];
  languages: string[];
  countries: string[];
  tlp: Tlp;
  audience: Audience;
}

/** The marking of a profile: GREEN or narrower (experts are for members only), and whom AMBER shares it with. */
function ExpertMarking({ tlp, audience, onChange }: { tlp: Tlp; audience: Audience; onChange: (tlp: Tlp, audience: Audience) => void }) {
  const { t } = useTranslation();
  const options = useAudienceOptions();
  const known = (opts: { value: string; label: string }[], ids: string[]) => [...opts, ...ids.filter((id) => !opts.some((o) => o.value === id)).map((id) => ({ value: id, label: id }))];
  return (
    <Stack>
      <TlpChoice levels={EXPERT_TLPS} value={tlp} onChange={(v) => onChange(v, audience)} label={t('experts.form.tlp')} description={t('experts.form.tlpHelp')} />
      {(tlp === 'AMBER' || tlp === 'AMBER+STRICT') && (
        <MultiSelect
          label={t('experts.form.audienceOrganisations')}
          data={known(options.organisations, audience.organisations)}
          value={audience.organisations}
          onChange={(ids) => onChange(tlp, { ...audience, organisations: ids })}
          searchable
          clearable
          comboboxProps={{ width: 'target' }}
        />
      )}
      {tlp === 'AMBER' && (
        <MultiSelect
          label={t('experts.form.audienceCommunities')}
          data={known(options.communities, audience.communities)}
          value={audience.communities}
          onChange={(ids) => onChange(tlp, { ...audience, communities: ids })}
          searchable
          clearable
          comboboxProps={{ width: 'target' }}
        />
      )}
      {tlp === 'RED' && <Alert color="gray">{t('experts.form.redNote')}</Alert>}
    </Stack>
  );
}

function ExpertFormPage({ expert }: { expert?: Expert }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const { me } = useSession();
  const admin = hasRole(me, 'org_admin');
  const members = useApi<Items<{ id: string; name: string; status: string }>>(!expert && admin && me?.organisation ? `/api/v1/organisations/${me.organisation.id}/members` : null);
  const [form, setForm] = useState<Form>(() =>
    expert
      ? {
          personId: expert.person.id,
          language: expert.language,
          headline: expert.sourceTexts?.headline ?? expert.headline,
          biography: expert.sourceTexts?.biography ?? expert.biography,
          skills: expert.skills,
          concepts: expert.concepts,
          languages: expert.languages,
          countries: expert.countries,
          tlp: expert.tlp,
          audience: expert.audience,
        }
      : { personId: me?.id ?? '', language: labels.lang, headline: '', biography: '', skills: [], concepts: [], languages: [labels.lang], countries: [], tlp: 'GREEN', audience: EMPTY_AUDIENCE },
  );
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const skills = useSkillOptions();
  const themes = useConcepts(labels.lang, 'all');
  const themeData = useMemo(() => themes.groups.filter((g) => !g.items.some((i) => i.value.startsWith(`${SKILL_SCHEME}/`))), [themes]);
  const languages = useLanguageOptions(form.languages);
  const countries = useCountryOptions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const people = useMemo(() => {
    const list = (members.data?.items ?? []).filter((p) => p.status === 'active').map((p) => ({ value: p.id, label: p.id === me?.id ? t('experts.form.myself', { name: p.name }) : p.name }));
    return list.length ? list : me ? [{ value: me.id, label: t('experts.form.myself', { name: me.name }) }] : [];
  }, [members.data, me, t]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: ExpertInput = {
      language: form.language,
      headline: form.headline,
      biography: form.biography,
      skills: form.skills,
      concepts: form.concepts,
      languages: form.languages,
      countries: form.countries,
      tlp: form.tlp,
      audience: audienceFor(form.tlp, form.audience),
    };
    try {
      const saved = expert
        ? await api.patch<Expert>(`/api/v1/experts/${expert.id}`, body)
        : await api.post<Expert>('/api/v1/experts', { ...body, ...(form.personId && form.personId !== me?.id ? { personId: form.personId } : {}) });
      await navigate({ to: '/experts/$expertId', params: { expertId: saved.id } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={expert ? t('experts.form.editTitle', { name: expert.person.name }) : t('experts.form.newTitle')}>
      {!expert && <Text>{t('experts.form.intro')}</Text>}
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="expert-form">
        <Stack>
          {!expert && (
            <Select
              label={t('experts.form.person')}
              description={admin ? t('experts.form.personHelpAdmin') : t('experts.form.personHelp')}
              data={people}
              value={form.personId}
              onChange={(v) => v && set('personId', v)}
              allowDeselect={false}
              searchable={admin}
              disabled={!admin}
              required
            />
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('experts.form.language')}
              description={t('experts.form.languageHelp')}
              data={[...UI_LANGUAGES, ...((UI_LANGUAGES as readonly string[]).includes(form.language) ? [] : [form.language])].map((l) => ({ value: l, label: labels.language(l) }))}
              value={form.language}
              onChange={(v) => v && set('language', v)}
              allowDeselect={false}
              required
            />
          </SimpleGrid>
          <TextInput label={t('experts.form.headline')} description={t('experts.form.headlineHelp')} value={form.headline} onChange={(e) => set('headline', e.currentTarget.value)} required maxLength={LIMITS.headline} lang={form.language} />
          <Textarea label={t('experts.form.biography')} value={form.biography} onChange={(e) => set('biography', e.currentTarget.value)} maxLength={LIMITS.biography} autosize minRows={4} lang={form.language} />
          <Fieldset legend={t('experts.form.expertise')} variant="unstyled">
            <Stack>
              <MultiSelect
                label={t('experts.form.skills')}
                description={t('experts.form.skillsHelp')}
                data={skills.options}
                value={form.skills}
                onChange={(v) => set('skills', v)}
                searchable
                clearable
                maxValues={LIMITS.skills}
                nothingFoundMessage={skills.loading ? t('common.loading') : undefined}
                comboboxProps={{ width: 'target' }}
              />
              <MultiSelect
                label={t('experts.form.concepts')}
                description={t('experts.form.conceptsHelp')}
                data={themeData}
                value={form.concepts}
                onChange={(v) => set('concepts', v)}
                searchable
                clearable
                nothingFoundMessage={themes.loading ? t('common.loading') : undefined}
                comboboxProps={{ width: 'target' }}
              />
              <MultiSelect label={t('experts.form.languages')} data={languages} value={form.languages} onChange={(v) => set('languages', v)} searchable clearable comboboxProps={{ width: 'target' }} />
              <MultiSelect label={t('experts.form.countries')} description={t('experts.form.countriesHelp')} data={countries} value={form.countries} onChange={(v) => set('countries', v)} searchable clearable comboboxProps={{ width: 'target' }} />
            </Stack>
          </Fieldset>
          <Fieldset legend={t('experts.form.marking')} variant="unstyled">
            <ExpertMarking tlp={form.tlp} audience={form.audience} onChange={(tlp, audience) => setForm((f) => ({ ...f, tlp, audience }))} />
          </Fieldset>
          {!expert && <Alert color="gray">{t('experts.form.vettingNote')}</Alert>}
          <ErrorAlert error={error} />
          <Group>
            <Button type="submit" loading={busy} disabled={!form.headline.trim()}>
              {expert ? t('common.save') : t('experts.form.submit')}
            </Button>
            {expert ? (
              <ButtonLink to="/experts/$expertId" params={{ expertId: expert.id }} variant="default">
                {t('common.cancel')}
              </ButtonLink>
            ) : (
              <ButtonLink to="/experts" variant="default">
                {t('common.cancel')}
              </ButtonLink>
            )}
          </Group>
        </Stack>
      </form>
    </Page>
  );
}

/** Offer an expert: yourself, or (an organisation admin) a colleague. */
export function ExpertNewPage() {
  return <ExpertFormPage />;
}

/** Change a profile in use. */
export function ExpertEditPage() {
  const { expertId } = useParams({ strict: false }) as { expertId: string };
  const res = useApi<Expert>(`/api/v1/experts/${expertId}`);
  const [key, setKey] = useState<string | null>(null);
  useEffect(() => setKey(res.data ? `${res.data.id}:${res.data.updatedAt}` : null), [res.data]);
  if (res.error) return <ErrorAlert error={res.error} />;
  if (!res.data || !key) return <Loading />;
  return <ExpertFormPage key={key} expert={res.data} />;
}
