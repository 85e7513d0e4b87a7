import { Card, Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AppLink } from '../../components/AppLink';
import { useLabels } from '../../components/labels';
import { StatusBadge } from '../../components/StatusBadge';
import { TlpBadge } from '../../components/TlpBadge';
import type { OfferStatus, OfferSummary, Partner, Session } from './api';

export function useOfferLabels() {
  const { t } = useTranslation();
  return {
    type: (k: string) => t(`offers.types.${k}`, { defaultValue: k }),
    format: (k: string) => t(`offers.formats.${k}`, { defaultValue: k }),
    audience: (k: string) => t(`offers.audiences.${k}`, { defaultValue: k }),
    role: (k: string) => t(`offers.roles.${k}`, { defaultValue: k }),
  };
}

export function StatusTag({ status }: { status: OfferStatus }) {
  const { t } = useTranslation();
  if (status === 'published') return null;
  return (
    <StatusBadge color={status === 'draft' ? 'gray' : 'red'} tt="none" data-testid="offer-status">
      {t(`offers.status.${status}`)}
    </StatusBadge>
  );
}

/** Triangular cooperation (IATI collaboration type 8): an EU and a LAC partner together for another LAC country (the offer's page says so in words). */
export function TriangularTag() {
  const { t } = useTranslation();
  return (
    <StatusBadge color="teal" tt="none" data-testid="offer-triangular">
      {t('offers.triangular')}
    </StatusBadge>
  );
}

/** Partners in words: "Team Europe agency (funding, extending), CSIRT of Chile (implementing)". */
export function usePartnerText() {
  const l = useOfferLabels();
  return (partners: Partner[]) => {
    const byName = new Map<string, string[]>();
    for (const p of partners) byName.set(p.name, [...(byName.get(p.name) ?? []), l.role(p.role)]);
    return [...byName].map(([name, roles]) => `${name} (${roles.join(', ')})`).join('; ');
  };
}

/** A moment as people at the session's place read it, labelled with their zone. */
export function atVenue(iso: string, timeZone: string, lang: string): string {
  try {
    return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(new Date(iso));
  } catch {
    return iso;
  }
}

/** When a session is, for the reader (their zone) and, when it differs, at the venue. */
export function SessionWhen({ session }: { session: Session }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const mine = `${labels.dateTime(session.startsAt)} – ${labels.dateTime(session.endsAt)}`;
  const theirs = `${atVenue(session.startsAt, session.timeZone, labels.lang)} – ${atVenue(session.endsAt, session.timeZone, labels.lang)}`;
  return (
    <>
      <Text size="sm" component="span">
        {mine}
      </Text>
      {session.timeZone !== labels.timeZone && (
        <Text size="xs" c="dimmed" component="span" display="block">
          {t('offers.session.atVenue', { when: theirs, zone: session.timeZone })}
        </Text>
      )}
    </>
  );
}

/** One offer in a list: type, provider and partners, format, languages, next session and free seats. */
export function OfferCard({ offer, headingOrder = 3 }: { offer: OfferSummary; headingOrder?: 2 | 3 | 4 }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const l = useOfferLabels();
  const partnerText = usePartnerText();
  const lang = offer.translation.shown;
  const next = offer.nextSession;
  return (
    <Card component="li" withBorder padding="md" data-testid="offer-card">
      <Title order={headingOrder} size="h4" lang={lang} style={{ overflowWrap: 'anywhere' }}>
        <AppLink to="/offers/$id" params={{ id: offer.slug }}>
          {offer.title}
        </AppLink>
      </Title>
      <Group gap="xs" mt={6} wrap="wrap">
        <StatusBadge color="blue" tt="none">
          {l.type(offer.type)}
        </StatusBadge>
        <StatusBadge color="gray" tt="none">
          {l.format(offer.format)}
        </StatusBadge>
        {offer.triangular && <TriangularTag />}
        <TlpBadge tlp={offer.tlp} size="sm" />
        <StatusTag status={offer.status} />
      </Group>
      <Text size="sm" mt={6}>
        {t('offers.card.provider', { name: offer.provider.name })}
        {offer.partners.length > 0 && ` · ${t('offers.card.partners', { names: partnerText(offer.partners) })}`}
      </Text>
      {(offer.languages.length > 0 || offer.countries.length > 0) && (
        <Text size="sm">
          {[
            offer.languages.length > 0 ? t('offers.card.languages', { languages: offer.languages.map((x) => labels.language(x)).join(', ') }) : '',
            offer.countries.length > 0 ? t('offers.card.countries', { countries: offer.countries.map(labels.country).join(', ') }) : '',
          ]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      )}
      {next ? (
        <Text size="sm" data-testid="offer-next-session">
          {t('offers.card.next', { when: labels.dateTime(next.startsAt), place: next.online ? t('offers.session.online') : next.place || labels.country(next.country) })}{' '}
          {t('offers.card.freeSeats', { count: next.freeSeats })}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          {offer.sessionCount > 0 ? t('offers.card.past') : t('offers.card.noSessions')}
        </Text>
      )}
      {offer.summary && (
        <Text size="sm" mt={4} lineClamp={3} lang={lang}>
          {offer.summary}
        </Text>
      )}
    </Card>
  );
}
