import { Alert, Button, Checkbox, Fieldset, Group, MultiSelect, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { UI_LANGUAGES, type Items, type Organisation } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { useConcepts } from '../../components/concepts';
import { useCountryOptions } from '../../components/CountrySelect';
import { CannotEdit, focusFirstInvalid } from '../../components/EditorGate';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { useSession } from '../../session';
import { audienceFor, EMPTY_AUDIENCE, MarkingFields, type Marking } from '../notes/MarkingFields';
import { COLLABORATION_TYPES, LIMITS, OFFER_FORMATS, OFFER_TYPES, PARTNER_ROLES, TARGET_AUDIENCES, TEXT_FIELDS, type Offer, type OfferFormat, type OfferType, type PartnerRole, type TextField } from './api';
import { useOfferLabels } from './shared';

interface PartnerRow {
  /** A member organisation, or '' for one outside the alliance (named). */
  organisationId: string;
  name: string;
  iatiRef: string;
  iatiType: string;
  role: PartnerRole;
}

interface Form extends Record<TextField, string> {
  type: OfferType;
  language: string;
  format: OfferFormat;
  concepts: string[];
  audiences: string[];
  languages: string[];
  countries: string[];
  requiresEndorsement: boolean;
  collaborationType: string | null;
  aidType: string;
  flowType: string;
  providerRef: string;
  partners: PartnerRow[];
}

const EMPTY_TEXTS = Object.fromEntries(TEXT_FIELDS.map((f) => [f, ''])) as Record<TextField, string>;

function formOf(o: Offer): Form {
  const texts = o.sourceTexts ?? (Object.fromEntries(TEXT_FIELDS.map((f) => [f, o[f]])) as Record<TextField, string>);
  return {
    ...texts,
    type: o.type,
    language: o.translation.source,
    format: o.format,
    concepts: o.concepts,
    audiences: o.audiences,
    languages: o.languages,
    countries: o.countries,
    requiresEndorsement: o.requiresEndorsement,
    collaborationType: o.collaborationType,
    aidType: o.aidType ?? '',
    flowType: o.flowType ?? '',
    providerRef: o.providerRef ?? '',
    partners: o.partners.map((p) => ({ organisationId: p.organisation?.id ?? '', name: p.organisation ? '' : p.name, iatiRef: p.iatiRef ?? '', iatiType: p.iatiType ?? '', role: p.role })),
  };
}

type Problems = Partial<Record<keyof Form | `partner${number}`, string>>;

/** What the server would refuse, said before sending (service.ts LIMITS and its checks). */
function useProblems(f: Form): Problems {
  const { t } = useTranslation();
  const out: Problems = {};
  if (!f.title.trim()) out.title = t('offers.editor.titleNeeded');
  for (const k of TEXT_FIELDS) if (f[k].length > LIMITS[k]) out[k] = t('offers.editor.tooLong', { max: LIMITS[k], used: f[k].length });
  if (f.aidType && !/^[A-H][0-9]{2}$/.test(f.aidType)) out.aidType = t('offers.editor.aidTypeInvalid');
  if (f.flowType && !/^[0-9]{2}$/.test(f.flowType)) out.flowType = t('offers.editor.flowTypeInvalid');
  if (f.providerRef && !/^[A-Za-z0-9][A-Za-z0-9._/-]{2,99}$/.test(f.providerRef)) out.providerRef = t('offers.editor.refInvalid');
  if (f.concepts.length > LIMITS.concepts) out.concepts = t('offers.editor.tooMany', { max: LIMITS.concepts });
  if (f.countries.length > LIMITS.countries) out.countries = t('offers.editor.tooMany', { max: LIMITS.countries });
  if (f.partners.length > LIMITS.partners) out.partners = t('offers.editor.tooMany', { max: LIMITS.partners });
  const seen = new Set<string>();
  f.partners.forEach((p, i) => {
    const who = p.organisationId || p.name.trim().toLowerCase();
    if (!p.organisationId && p.name.trim().length < 2) out[`partner${i}`] = t('offers.editor.partnerNameNeeded');
    else if (p.iatiRef && !/^[A-Za-z0-9][A-Za-z0-9._/-]{2,99}$/.test(p.iatiRef)) out[`partner${i}`] = t('offers.editor.refInvalid');
    else if (p.iatiType && !/^[0-9]{2}$/.test(p.iatiType)) out[`partner${i}`] = t('offers.editor.orgTypeInvalid');
    else if (seen.has(`${p.role}|${who}`)) out[`partner${i}`] = t('offers.editor.partnerTwice');
    seen.add(`${p.role}|${who}`);
  });
  return out;
}

/** Write a new offer (`/offers/new`) or change one (`/offers/$id/edit`); sessions are added on the offer's page. */
export function OfferEditor() {
  const { t } = useTranslation();
  const labels = useLabels();
  const l = useOfferLabels();
  const navigate = useNavigate();
  const { me } = useSession();
  const { id } = useParams({ strict: false }) as { id?: string };
  const existing = useApi<Offer>(id ? `/api/v1/offers/${encodeURIComponent(id)}` : null);
  const offer = existing.data;
  const [form, setForm] = useState<Form>({
    ...EMPTY_TEXTS,
    type: 'training-course',
    language: labels.lang,
    format: 'online',
    concepts: [],
    audiences: [],
    languages: [labels.lang],
    countries: [],
    requiresEndorsement: false,
    collaborationType: null,
    aidType: '',
    flowType: '',
    providerRef: '',
    partners: [],
  });
  // Most offers are for everyone to see (the public catalogue): CLEAR by default.
  const [marking, setMarking] = useState<Marking>({ tlp: 'CLEAR', pap: 'CLEAR', audience: EMPTY_AUDIENCE });
  const [ready, setReady] = useState(!id);
  useEffect(() => {
    if (!offer || ready) return;
    setForm(formOf(offer));
    setMarking({ tlp: offer.tlp, pap: offer.pap, audience: offer.audience ?? EMPTY_AUDIENCE });
    setReady(true);
  }, [offer, ready]);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problems = useProblems(form);
  const shown: Problems = checked ? problems : {};
  const formRef = useRef<HTMLFormElement>(null);
  const concepts = useConcepts(labels.lang, 'all');
  const orgs = useApi<Items<Organisation>>('/api/v1/organisations');
  const orgOptions = useMemo(
    () => (orgs.data?.items ?? []).filter((o) => o.status === 'approved').map((o) => ({ value: o.id, label: `${o.name} (${labels.country(o.country)})` })),
    [orgs.data, labels],
  );
  const countryGroups = useCountryOptions();
  const countryData = useMemo(() => {
    const states = countryGroups.map((g) => ({ group: g.group, items: g.items.filter((c) => /^[A-Z]{2}$/.test(c.value)) })).filter((g) => g.items.length > 0);
    const known = states.flatMap((g) => g.items.map((i) => i.value));
    return [...states, ...form.countries.filter((c) => !known.includes(c)).map((c) => ({ value: c, label: labels.country(c) }))];
  }, [countryGroups, form.countries, labels]);
  const conceptData = useMemo(() => {
    const all = concepts.groups.flatMap((g) => g.items.map((i) => i.value));
    return [...concepts.groups, ...form.concepts.filter((c) => !all.includes(c)).map((c) => ({ value: c, label: c }))];
  }, [concepts.groups, form.concepts]);
  const languageData = useMemo(() => [...new Set([...UI_LANGUAGES, ...form.languages])].map((x) => ({ value: x, label: labels.language(x) })), [form.languages, labels]);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const setPartner = (i: number, patch: Partial<PartnerRow>) => setForm((f) => ({ ...f, partners: f.partners.map((p, j) => (j === i ? { ...p, ...patch } : p)) }));

  if (id && existing.loading && !offer) return <Loading />;
  if (id && (existing.error || !offer))
    return (
      <CannotEdit title={t('offers.notFoundTitle')} error={existing.error} back={<AppLink to="/offers">{t('offers.backToCatalogue')}</AppLink>} />
    );
  if (offer && !offer.can.edit)
    return (
      <CannotEdit
        title={t('offers.editor.editTitle')}
        notYours={t('offers.editor.notYours')}
        back={
          <AppLink to="/offers/$id" params={{ id: offer.slug }}>
            {t('offers.editor.backToOffer')}
          </AppLink>
        }
      />
    );
  if (!ready) return <Loading />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    setError(null);
    if (Object.keys(problems).length) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setBusy(true);
    const body = {
      ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, f === 'title' ? form.title.trim() : form[f]])),
      type: form.type,
      language: form.language,
      format: form.format,
      concepts: form.concepts,
      audiences: form.audiences,
      languages: form.languages,
      countries: form.countries,
      requiresEndorsement: form.requiresEndorsement,
      collaborationType: form.collaborationType,
      aidType: form.aidType || null,
      flowType: form.flowType || null,
      providerRef: form.providerRef.trim() || null,
      partners: form.partners.map((p) =>
        p.organisationId ? { organisationId: p.organisationId, role: p.role, iatiRef: p.iatiRef || null } : { name: p.name.trim(), role: p.role, iatiRef: p.iatiRef || null, iatiType: p.iatiType || null },
      ),
      tlp: marking.tlp,
      pap: marking.pap,
      audience: audienceFor(marking.tlp, marking.audience),
    };
    try {
      const saved = offer ? await api.patch<Offer>(`/api/v1/offers/${offer.id}`, body) : await api.post<Offer>('/api/v1/offers', body);
      await navigate({ to: '/offers/$id', params: { id: saved.slug } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const textArea = (k: Exclude<TextField, 'title'>, minRows = 3) => (
    <Textarea
      key={k}
      label={t(`offers.fields.${k}`)}
      description={t(`offers.editor.help.${k}`)}
      autosize
      minRows={minRows}
      maxRows={k === 'description' ? 30 : 12}
      value={form[k]}
      onChange={(e) => set(k, e.currentTarget.value)}
      error={shown[k]}
      lang={form.language}
      name={k}
    />
  );
  return (
    <Page title={offer ? t('offers.editor.editTitle') : t('offers.editor.newTitle')}>
      {offer && (
        <Text lang={offer.translation.shown}>
          <AppLink to="/offers/$id" params={{ id: offer.slug }}>
            {offer.title}
          </AppLink>
        </Text>
      )}
      <Text>{offer ? t('offers.editor.introEdit') : t('offers.editor.intro', { organisation: me?.organisation?.name ?? '' })}</Text>
      <Paper withBorder p={{ base: 'sm', sm: 'lg' }} maw={900}>
        <form onSubmit={(e) => void submit(e)} noValidate ref={formRef} data-testid="offer-form">
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select label={t('offers.editor.type')} data={OFFER_TYPES.map((k) => ({ value: k, label: l.type(k) }))} value={form.type} allowDeselect={false} onChange={(v) => v && set('type', v as OfferType)} required />
              <Select
                label={t('offers.editor.language')}
                description={t('offers.editor.languageHelp')}
                data={[...UI_LANGUAGES, ...((UI_LANGUAGES as readonly string[]).includes(form.language) ? [] : [form.language])].map((x) => ({ value: x, label: labels.language(x) }))}
                value={form.language}
                allowDeselect={false}
                onChange={(v) => v && set('language', v)}
                required
              />
            </SimpleGrid>
            <TextInput label={t('offers.fields.title')} required value={form.title} onChange={(e) => set('title', e.currentTarget.value)} error={shown.title} lang={form.language} name="title" />
            {textArea('summary')}
            {textArea('description', 8)}
            {textArea('eligibility')}
            {textArea('selectionCriteria')}
            {textArea('cost', 2)}
            {textArea('funding', 2)}
            {textArea('howToApply')}

            <Fieldset legend={t('offers.editor.forWhom')} variant="unstyled">
              <Stack>
                <Select label={t('offers.fields.format')} data={OFFER_FORMATS.map((k) => ({ value: k, label: l.format(k) }))} value={form.format} allowDeselect={false} onChange={(v) => v && set('format', v as OfferFormat)} required maw={300} />
                <MultiSelect label={t('offers.fields.languages')} description={t('offers.editor.languagesHelp')} data={languageData} value={form.languages} onChange={(v) => set('languages', v)} searchable clearable />
                <MultiSelect label={t('offers.fields.audiences')} data={TARGET_AUDIENCES.map((k) => ({ value: k, label: l.audience(k) }))} value={form.audiences} onChange={(v) => set('audiences', v)} clearable />
                <MultiSelect
                  label={t('offers.fields.countries')}
                  description={t('offers.editor.countriesHelp')}
                  data={countryData}
                  value={form.countries}
                  onChange={(v) => set('countries', v)}
                  searchable
                  clearable
                  error={shown.countries}
                  comboboxProps={{ width: 'target' }}
                />
                <MultiSelect
                  label={t('offers.fields.concepts')}
                  description={t('offers.editor.conceptsHelp')}
                  data={conceptData}
                  value={form.concepts}
                  onChange={(v) => set('concepts', v)}
                  searchable
                  clearable
                  nothingFoundMessage={concepts.loading ? t('common.loading') : t('offers.filters.noConcept')}
                  error={shown.concepts}
                  comboboxProps={{ width: 'target' }}
                />
                <Checkbox label={t('offers.editor.endorsement')} description={t('offers.endorsementNeeded')} checked={form.requiresEndorsement} onChange={(e) => set('requiresEndorsement', e.currentTarget.checked)} />
              </Stack>
            </Fieldset>

            <Fieldset legend={t('offers.fields.partners')} variant="unstyled">
              <Stack gap="sm">
                <Text size="sm">{t('offers.editor.partnersHelp')}</Text>
                {form.partners.map((p, i) => (
                  <Paper key={i} withBorder p="sm" role="group" aria-label={t('offers.editor.partnerN', { n: i + 1 })}>
                    <Stack gap="xs">
                      <SimpleGrid cols={{ base: 1, sm: 2 }}>
                        <Select
                          label={t('offers.editor.partnerOrganisation')}
                          data={[{ value: '', label: t('offers.editor.outside') }, ...orgOptions]}
                          value={p.organisationId}
                          onChange={(v) => setPartner(i, { organisationId: v ?? '' })}
                          searchable
                          allowDeselect={false}
                        />
                        <Select label={t('offers.partners.role')} data={PARTNER_ROLES.map((r) => ({ value: r, label: l.role(r) }))} value={p.role} onChange={(v) => v && setPartner(i, { role: v as PartnerRole })} allowDeselect={false} />
                      </SimpleGrid>
                      <SimpleGrid cols={{ base: 1, sm: p.organisationId ? 1 : 3 }}>
                        {!p.organisationId && <TextInput label={t('offers.editor.partnerName')} value={p.name} onChange={(e) => setPartner(i, { name: e.currentTarget.value })} required />}
                        <TextInput label={t('offers.editor.iatiRef')} description={t('offers.editor.iatiRefHelp')} value={p.iatiRef} onChange={(e) => setPartner(i, { iatiRef: e.currentTarget.value.trim() })} />
                        {!p.organisationId && <TextInput label={t('offers.editor.iatiType')} description={t('offers.editor.iatiTypeHelp')} value={p.iatiType} onChange={(e) => setPartner(i, { iatiType: e.currentTarget.value.trim() })} maxLength={2} />}
                      </SimpleGrid>
                      {shown[`partner${i}`] && (
                        <Text size="sm" c="red.9" role="alert">
                          {shown[`partner${i}`]}
                        </Text>
                      )}
                      <Group>
                        <Button size="compact-sm" variant="outline" color="red.9" onClick={() => set('partners', form.partners.filter((_, j) => j !== i))} aria-label={t('offers.editor.removePartner', { n: i + 1 })}>
                          {t('common.remove')}
                        </Button>
                      </Group>
                    </Stack>
                  </Paper>
                ))}
                {shown.partners && (
                  <Text size="sm" c="red.9" role="alert">
                    {shown.partners}
                  </Text>
                )}
                <Group>
                  <Button variant="default" onClick={() => set('partners', [...form.partners, { organisationId: '', name: '', iatiRef: '', iatiType: '', role: 'implementing' }])} data-testid="add-partner">
                    {t('offers.editor.addPartner')}
                  </Button>
                </Group>
              </Stack>
            </Fieldset>

            <Fieldset legend={t('offers.editor.iati')} variant="unstyled">
              <Stack gap="sm">
                <Text size="sm">{t('offers.editor.iatiHelp')}</Text>
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <Select
                    label={t('offers.editor.collaborationType')}
                    data={COLLABORATION_TYPES.map((c) => ({ value: c, label: t(`offers.collaboration.${c}`) }))}
                    value={form.collaborationType}
                    onChange={(v) => set('collaborationType', v)}
                    clearable
                  />
                  <TextInput label={t('offers.editor.providerRef')} description={t('offers.editor.iatiRefHelp')} value={form.providerRef} onChange={(e) => set('providerRef', e.currentTarget.value)} error={shown.providerRef} />
                  <TextInput label={t('offers.editor.aidType')} description={t('offers.editor.aidTypeHelp')} value={form.aidType} onChange={(e) => set('aidType', e.currentTarget.value.trim().toUpperCase())} error={shown.aidType} maxLength={3} />
                  <TextInput label={t('offers.editor.flowType')} description={t('offers.editor.flowTypeHelp')} value={form.flowType} onChange={(e) => set('flowType', e.currentTarget.value.trim())} error={shown.flowType} maxLength={2} />
                </SimpleGrid>
              </Stack>
            </Fieldset>

            <Fieldset legend={t('offers.editor.marking')} variant="unstyled">
              <MarkingFields value={marking} onChange={setMarking} />
            </Fieldset>

            {checked && Object.keys(problems).length > 0 && (
              <Alert color="red" role="alert" title={t('offers.editor.problemsTitle')}>
                {t('offers.editor.problems', { count: Object.keys(problems).length })}
              </Alert>
            )}
            <ErrorAlert error={error} />
            <Group>
              <Button type="submit" loading={busy}>
                {offer ? t('common.save') : t('offers.editor.create')}
              </Button>
              {offer ? (
                <ButtonLink to="/offers/$id" params={{ id: offer.slug }} variant="default">
                  {t('common.cancel')}
                </ButtonLink>
              ) : (
                <ButtonLink to="/offers" variant="default">
                  {t('common.cancel')}
                </ButtonLink>
              )}
            </Group>
            {!offer && <Text size="sm">{t('offers.editor.sessionsLater')}</Text>}
          </Stack>
        </form>
      </Paper>
    </Page>
  );
}
