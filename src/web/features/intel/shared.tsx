import { Alert, Anchor, Button, CopyButton, MultiSelect, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { Audience, CommunitySummary, Items, Organisation, Tlp } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useErrorMessage } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { TlpChoice } from '../../components/TlpChoice';
import { useSession } from '../../session';
import { audienceFor, EMPTY_AUDIENCE } from '../notes/MarkingFields';
import { TLP_LEVELS } from '#shared/tlp';
import type { ObjectResult } from './api';

export interface IntelMarking {
  tlp: Tlp;
  audience: Audience;
}

export const NO_AUDIENCE: Audience = EMPTY_AUDIENCE;

/**
 * The part of the audience the TLP level takes: AMBER organisations and communities, AMBER+STRICT
 * organisations. Intelligence is never shared with named people, so none are kept (not even at RED).
 */
export function intelAudience(m: IntelMarking): Audience {
  return audienceFor(m.tlp, { ...m.audience, people: [] });
}

/** Organisations (approved, not mine) and the communities I belong to (the only ones I may share with). */
export function useIntelAudienceOptions() {
  const { me } = useSession();
  const labels = useLabels();
  const orgs = useApi<Items<Organisation>>('/api/v1/organisations?status=approved');
  const communities = useApi<Items<CommunitySummary>>('/api/v1/communities');
  return useMemo(
    () => ({
      organisations: (orgs.data?.items ?? [])
        .filter((o) => o.id !== me?.organisation?.id && o.status === 'approved')
        .map((o) => ({ value: o.id, label: `${o.name} (${labels.country(o.country)})` })),
      communities: (communities.data?.items ?? []).filter((c) => c.isMember).map((c) => ({ value: c.id, label: c.name })),
      orgName: new Map((orgs.data?.items ?? []).map((o) => [o.id, o.name])),
      communityName: new Map((communities.data?.items ?? []).map((c) => [c.id, c.name])),
    }),
    [orgs.data, communities.data, labels, me],
  );
}

/** TLP (with its meaning in words) and, for AMBER levels, who else may see it. */
export function IntelMarkingFields({
  value,
  onChange,
  label,
  help,
  organisations = true,
  communities = true,
}: {
  value: IntelMarking;
  onChange: (m: IntelMarking) => void;
  label?: string;
  help?: string;
  /** Offer organisations / communities as audience (some imports take only part of it). */
  organisations?: boolean;
  communities?: boolean;
}) {
  const { t } = useTranslation();
  const options = useIntelAudienceOptions();
  return (
    <Stack gap="sm">
      <TlpChoice
        levels={TLP_LEVELS}
        label={label ?? t('intel.marking.tlp')}
        description={help ?? t('intel.marking.tlpHelp')}
        value={value.tlp}
        onChange={(tlp: Tlp) => onChange({ ...value, tlp })}
        gap={4}
      />
      {communities && value.tlp === 'AMBER' && (
        <MultiSelect
          label={t('intel.marking.communities')}
          description={t('intel.marking.communitiesHelp')}
          data={options.communities}
          value={value.audience.communities}
          onChange={(ids) => onChange({ ...value, audience: { ...value.audience, communities: ids } })}
          searchable
          clearable
          nothingFoundMessage={t('intel.marking.noCommunities')}
        />
      )}
      {organisations && (value.tlp === 'AMBER' || value.tlp === 'AMBER+STRICT') && (
        <MultiSelect
          label={t('intel.marking.organisations')}
          description={t('intel.marking.organisationsHelp')}
          data={options.organisations}
          value={value.audience.organisations}
          onChange={(ids) => onChange({ ...value, audience: { ...value.audience, organisations: ids } })}
          searchable
          clearable
        />
      )}
      {value.tlp === 'RED' && (
        <Alert color="red" variant="light">
          {t('intel.marking.redOnlyYou')}
        </Alert>
      )}
    </Stack>
  );
}

/** Who may see an object, in words: the TLP level plus named organisations and communities. */
export function AudienceText({ tlp, audience }: { tlp: Tlp; audience: Audience }) {
  const { t } = useTranslation();
  const options = useIntelAudienceOptions();
  const orgs = audience.organisations.map((id) => options.orgName.get(id) ?? id);
  const comms = audience.communities.map((id) => options.communityName.get(id) ?? id);
  return (
    <Stack gap={2}>
      <Text size="sm">{t(`tlp.${tlp}.who`)}</Text>
      {orgs.length > 0 && <Text size="sm">{t('intel.marking.namedOrganisations', { names: orgs.join(', ') })}</Text>}
      {comms.length > 0 && <Text size="sm">{t('intel.marking.namedCommunities', { names: comms.join(', ') })}</Text>}
      {audience.people.length > 0 && <Text size="sm">{t('intel.marking.namedPeople', { count: audience.people.length })}</Text>}
    </Stack>
  );
}

/** Per-object status, in words (never colour alone). */
export function StatusWord({ status }: { status: ObjectResult['status'] }) {
  const { t } = useTranslation();
  const color = status === 'accepted' ? 'green' : status === 'duplicate' ? 'gray' : 'red';
  return (
    <StatusBadge color={color} tt="none" data-status={status}>
      {t(`intel.status.${status}`)}
    </StatusBadge>
  );
}

/** Error text for intel answers: the translated message, plus the server's own words for codes the UI does not know. */
export function IntelError({ error, invalidContent }: { error: unknown; invalidContent?: string }) {
  const { t } = useTranslation();
  const message = useErrorMessage({ invalidContent });
  if (!error) return null;
  const said = message(error);
  // The server's own text (technical, in English: a JSON path, a rule) is there for analysts who want it.
  const extra = error instanceof ApiError && error.message && !said.includes(error.message) ? error.message : null;
  return (
    <Alert color="red" variant="light" title={t('errors.title')} role="alert">
      {said}
      {extra && (
        <details>
          <summary>
            <Text span size="sm">
              {t('errors.technicalDetails')}
            </Text>
          </summary>
          <Text size="sm" mt={4} lang="en">
            {extra} ({error instanceof ApiError ? error.code : ''})
          </Text>
        </details>
      )}
    </Alert>
  );
}

/** The human name of a STIX type ("attack-pattern" → "Attack pattern"), translated when known. */
export function useTypeLabel() {
  const { t } = useTranslation();
  return (type: string) => t(`intel.types.${type}`, { defaultValue: type });
}

export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Anchor href={href} target="_blank" rel="noopener noreferrer">
      {children}
      <VisuallyHidden> ({t('intel.opensNewWindow')})</VisuallyHidden>
    </Anchor>
  );
}

/** One term and its value in a description list (the caller gives the <dl>). */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Text component="dt" fw={600} size="sm">
        {label}
      </Text>
      <Text component="dd" size="sm" ml={0} mb="xs">
        {children}
      </Text>
    </>
  );
}

/** A small button that copies value to the clipboard and says so. */
export function CopyValue({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button variant="default" size="xs" onClick={copy}>
          {copied ? t('common.copied') : label}
        </Button>
      )}
    </CopyButton>
  );
}

/** Busy flag and error around an async action; run() resolves true when the action succeeded. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/** The page for an object that does not exist or that the viewer may not see (the same answer). */
export function IntelNotFound({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Page title={t('intel.object.notFound')}>
      <Text>{t('intel.object.notFoundText')}</Text>
      {children}
    </Page>
  );
}
