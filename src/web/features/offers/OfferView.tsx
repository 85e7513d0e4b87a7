import { Alert, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { useConcepts } from '../../components/concepts';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { PapBadge, TlpBadge } from '../../components/TlpBadge';
import { TranslationEditor, TranslationNotice } from '../../components/Translation';
import { ServerHtml } from '../communities/common';
import { TEXT_FIELDS, type Offer, type Session } from './api';
import { bodyOf, draftOf, SessionForm, type SessionDraft } from './SessionForm';
import { SessionWhen, StatusTag, TriangularTag, useOfferLabels } from './shared';
import { SessionStaff, StaffPicker } from './Staff';
import { OfferApplyPanel } from '../applications/ApplyPanel';
import { Section, Fact } from '../../components/Section';

/** A text of the offer, kept as written (line breaks included), in its language. */
function Prose({ text, lang }: { text: string; lang: string }) {
  return (
    <Text lang={lang} style={{ whiteSpace: 'pre-line' }}>
      {text}
    </Text>
  );
}

/** Its concepts, each a link to the concept's page, named in the reader's language. */
function ConceptLinks({ tags }: { tags: string[] }) {
  const { lang } = useLabels();
  const concepts = useConcepts(lang, tags);
  return (
    <Group gap="xs" component="ul" className="plain-list" wrap="wrap">
      {tags.map((tag) => {
        const [scheme, concept] = tag.split('/') as [string, string];
        const c = concepts.byTag.get(tag);
        return (
          <li key={tag}>
            <AppLink to="/vocabularies/$scheme/$concept" params={{ scheme, concept }} size="sm">
              <span lang={c?.lang}>{c ? (c.notation ? `${c.notation} — ${c.label}` : c.label) : tag}</span>
            </AppLink>
          </li>
        );
      })}
    </Group>
  );
}

/** The sessions, in the reader's time zone and the session's own; the provider adds, changes and removes them here. */
function Sessions({ offer, onChange }: { offer: Offer; onChange: (o: Offer) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [staffing, setStaffing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const save = async (d: SessionDraft, id?: string) => {
    const saved = id ? await api.put<Offer>(`/api/v1/offers/${offer.id}/sessions/${id}`, bodyOf(d)) : await api.post<Offer>(`/api/v1/offers/${offer.id}/sessions`, bodyOf(d));
    onChange(saved);
    setEditing(null);
  };
  const remove = async (s: Session) => {
    setError(null);
    try {
      onChange(await api.del<Offer>(`/api/v1/offers/${offer.id}/sessions/${s.id}`));
    } catch (e) {
      setError(e);
    }
  };
  const where = (s: Session) => [s.online ? t('offers.session.online') : '', s.place, s.country ? labels.country(s.country) : ''].filter(Boolean).join(', ');
  return (
    <Section title={t('offers.fields.sessions')}>
      <Stack gap="sm">
        <DataTable
          caption={t('offers.session.caption')}
          columns={[t('offers.session.when'), t('offers.session.where'), t('offers.session.seatsColumn'), t('offers.session.deadline'), t('offers.staff.column'), ...(offer.can.edit ? [t('offers.session.actions')] : [])]}
          rows={offer.sessions}
          empty={t('offers.session.none')}
        >
          {(s) => (
            <Table.Tr key={s.id} data-testid="offer-session">
              <Table.Td>
                <SessionWhen session={s} />
              </Table.Td>
              <Table.Td>{where(s) || '—'}</Table.Td>
              <Table.Td>{t('offers.session.seatsFree', { count: s.seats, free: s.freeSeats })}</Table.Td>
              <Table.Td>{s.applicationDeadline ? labels.dateTime(s.applicationDeadline) : '—'}</Table.Td>
              <Table.Td>
                <SessionStaff offer={offer} session={s} onChange={onChange} />
              </Table.Td>
              {offer.can.edit && (
                <Table.Td>
                  <Group gap="xs">
                    <Button size="compact-sm" variant="default" onClick={() => setEditing(s.id)} aria-label={t('offers.session.editOne', { when: labels.dateTime(s.startsAt) })}>
                      {t('offers.edit')}
                    </Button>
                    <Button size="compact-sm" variant="default" onClick={() => setStaffing(s.id)} aria-label={t('offers.staff.addOne', { when: labels.dateTime(s.startsAt) })} aria-expanded={staffing === s.id}>
                      {t('offers.staff.add')}
                    </Button>
                    <Button size="compact-sm" variant="outline" color="red.9" disabled={s.confirmed > 0} onClick={() => void remove(s)} aria-label={t('offers.session.removeOne', { when: labels.dateTime(s.startsAt) })}>
                      {t('offers.session.remove')}
                    </Button>
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          )}
        </DataTable>
        <ErrorAlert error={error} />
        {offer.can.edit &&
          staffing &&
          (() => {
            const s = offer.sessions.find((x) => x.id === staffing);
            return s ? <StaffPicker key={s.id} offer={offer} session={s} onChange={onChange} onClose={() => setStaffing(null)} /> : null;
          })()}
        {offer.can.edit && editing === null && (
          <Group>
            <Button variant="default" onClick={() => setEditing('new')} data-testid="add-session">
              {t('offers.session.add')}
            </Button>
          </Group>
        )}
        {editing === 'new' && <SessionForm submitLabel={t('offers.session.add')} onSubmit={(d) => save(d)} onCancel={() => setEditing(null)} />}
        {editing &&
          editing !== 'new' &&
          (() => {
            const s = offer.sessions.find((x) => x.id === editing);
            if (!s) return null;
            const deadline = s.applicationDeadline ? atVenueInput(s.applicationDeadline, s.timeZone) : '';
            return <SessionForm key={s.id} initial={draftOf(s, deadline)} minSeats={s.confirmed} submitLabel={t('common.save')} onSubmit={(d) => save(d, s.id)} onCancel={() => setEditing(null)} />;
          })()}
      </Stack>
    </Section>
  );
}

/** An instant as the value of a datetime-local input in the session's zone ("2027-04-30T23:59"). */
function atVenueInput(iso: string, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** One offer: its text in the reader's language, who offers it with whom, its sessions, how to apply. */
export function OfferView() {
  const { t } = useTranslation();
  const labels = useLabels();
  const l = useOfferLabels();
  const navigate = useNavigate();
  const { id } = useParams({ strict: false }) as { id: string };
  const [lang, setLang] = useState<string | null>(null);
  const res = useApi<Offer>(`/api/v1/offers/${encodeURIComponent(id)}${qs({ lang: lang ?? labels.lang })}`, { quiet401: true });
  const [translating, setTranslating] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const o = res.data;
  if (res.loading && !o) return <Loading />;
  if (!o)
    return (
      <Page title={t('offers.notFoundTitle')}>
        {res.error && res.error.status !== 404 ? <ErrorAlert error={res.error} /> : <Alert color="gray">{t('offers.notFound')}</Alert>}
        <AppLink to="/offers">{t('offers.backToCatalogue')}</AppLink>
      </Page>
    );
  const shown = o.translation.shown;
  const act = async (path: 'publish' | 'close') => {
    setBusy(true);
    setError(null);
    try {
      res.setData(await api.post<Offer>(`/api/v1/offers/${o.id}/${path}`));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setError(null);
    try {
      await api.del(`/api/v1/offers/${o.id}`);
      await navigate({ to: '/offers', search: { status: 'draft' } as never });
    } catch (e) {
      setError(e);
      setConfirmDelete(false);
    }
  };
  const text = (k: 'eligibility' | 'selectionCriteria' | 'cost' | 'funding' | 'howToApply') =>
    o[k].trim() ? (
      <Section title={t(`offers.fields.${k}`)}>
        <Prose text={o[k]} lang={shown} />
      </Section>
    ) : null;
  return (
    <Page
      title={o.title}
      titleLang={shown}
      actions={
        !translating && (o.can.edit || o.can.translate || o.can.close) ? (
          <Group gap="xs">
            {o.can.edit && o.status !== 'published' && (
              <Button onClick={() => void act('publish')} loading={busy} data-testid="publish-offer">
                {o.status === 'draft' ? t('offers.publish') : t('offers.reopen')}
              </Button>
            )}
            {o.can.edit && (
              <ButtonLink to="/offers/$id/edit" params={{ id: o.slug }} variant="default">
                {t('offers.edit')}
              </ButtonLink>
            )}
            {o.can.translate && (
              <Button variant="default" onClick={() => setTranslating(true)}>
                {t('translation.translate')}
              </Button>
            )}
            {o.can.close && (
              <Button variant="outline" color="red.9" onClick={() => void act('close')} loading={busy}>
                {t('offers.close')}
              </Button>
            )}
            {o.can.edit && o.status === 'draft' && (
              <Button color="red.9" variant="outline" onClick={() => setConfirmDelete(true)}>
                {t('common.delete')}
              </Button>
            )}
          </Group>
        ) : undefined
      }
    >
      <AppLink to="/offers">{t('offers.backToCatalogue')}</AppLink>
      <Group gap="xs" wrap="wrap">
        <StatusBadge color="blue" tt="none">
          {l.type(o.type)}
        </StatusBadge>
        <StatusBadge color="gray" tt="none">
          {l.format(o.format)}
        </StatusBadge>
        {o.triangular && <TriangularTag />}
        <TlpBadge tlp={o.tlp} />
        <PapBadge pap={o.pap} />
        <StatusTag status={o.status} />
      </Group>
      {o.status === 'draft' && <Alert color="gray">{t('offers.draftNote')}</Alert>}
      {o.status === 'closed' && <Alert color="gray">{t('offers.closedNote')}</Alert>}
      <TranslationNotice info={o.translation} onPick={setLang} />
      <ErrorAlert error={error} />
      {translating && (
        <TranslationEditor
          info={o.translation}
          fields={TEXT_FIELDS.map((f) => ({ name: f, label: t(`offers.fields.${f}`), multiline: f !== 'title' }))}
          load={async (x) => {
            const v = await api.get<Offer>(`/api/v1/offers/${o.id}${qs({ lang: x })}`);
            return v.translation.shown === x ? Object.fromEntries(TEXT_FIELDS.map((f) => [f, v[f]])) : null;
          }}
          save={async (x, values, machine) => {
            res.setData(await api.put<Offer>(`/api/v1/offers/${o.id}/translations/${x}`, { ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, values[f] ?? ''])), machine }));
            setLang(x);
          }}
          remove={async (x) => {
            await api.del(`/api/v1/offers/${o.id}/translations/${x}`);
            setLang(null);
            res.reload();
          }}
          onDone={() => setTranslating(false)}
        />
      )}
      {o.summary && (
        <Text size="lg" lang={shown}>
          {o.summary}
        </Text>
      )}
      <Stack gap={4}>
        <Fact label={t('offers.fields.provider')}>
          <AppLink to="/organisations/$organisationId" params={{ organisationId: o.provider.id }}>
            {o.provider.name}
          </AppLink>
        </Fact>
        {o.languages.length > 0 && <Fact label={t('offers.fields.languages')}>{o.languages.map((x) => labels.language(x)).join(', ')}</Fact>}
        {o.audiences.length > 0 && <Fact label={t('offers.fields.audiences')}>{o.audiences.map(l.audience).join(', ')}</Fact>}
        <Fact label={t('offers.fields.countries')}>{o.countries.length ? o.countries.map(labels.country).join(', ') : t('offers.openToAll')}</Fact>
        {o.requiresEndorsement && <Fact label={t('offers.fields.endorsement')}>{t('offers.endorsementNeeded')}</Fact>}
      </Stack>
      {o.partners.length > 0 && (
        <Section title={t('offers.fields.partners')}>
          {o.triangular && <Text size="sm">{t('offers.triangularHelp')}</Text>}
          <DataTable caption={t('offers.partners.caption')} columns={[t('offers.partners.organisation'), t('offers.partners.role')]} rows={o.partners}>
            {(p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  {p.organisation ? (
                    <AppLink to="/organisations/$organisationId" params={{ organisationId: p.organisation.id }}>
                      {p.name}
                    </AppLink>
                  ) : (
                    p.name
                  )}
                  {p.organisation && ` (${labels.country(p.organisation.country)})`}
                </Table.Td>
                <Table.Td>{t('offers.partners.roleText', { role: l.role(p.role), code: { funding: '1', accountable: '2', extending: '3', implementing: '4' }[p.role] })}</Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        </Section>
      )}
      {o.concepts.length > 0 && (
        <Section title={t('offers.fields.concepts')}>
          <ConceptLinks tags={o.concepts} />
        </Section>
      )}
      <Sessions offer={o} onChange={res.setData} />
      <OfferApplyPanel offerId={o.id} canManage={o.can.edit} />
      {o.description.trim() && (
        <Section title={t('offers.fields.description')}>
          <div lang={shown}>
            <ServerHtml html={o.descriptionHtml} />
          </div>
        </Section>
      )}
      {text('eligibility')}
      {text('selectionCriteria')}
      {text('cost')}
      {text('funding')}
      {text('howToApply')}
      <Text size="sm" c="dimmed">
        {o.publishedAt ? t('offers.publishedOn', { date: labels.date(o.publishedAt) }) : t('offers.updatedOn', { date: labels.date(o.updatedAt) })}
      </Text>

      <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={t('offers.deleteTitle')}>
        <Stack>
          <Text>{t('offers.deleteConfirm', { title: o.title })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmDelete(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red.9" onClick={() => void remove()}>
              {t('common.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Page>
  );
}
