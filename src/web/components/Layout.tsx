import { Anchor, Badge, Box, Burger, Button, Container, Menu, Text, VisuallyHidden } from '@mantine/core';
import { Link, useRouterState } from '@tanstack/react-router';
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { navFor, type NavItem as NavEntry, type NavKey } from '../navigation';
import { PersonaProvider, usePersona } from '../persona';
import { hasRole, useSession } from '../session';
import { AppLink, ButtonLink } from './AppLink';
import { LanguageMenu } from './LanguageMenu';
import { LazyMenu } from './LazyMenu';
import { LiveNotices } from './LiveNotices';

function useActive(to: string) {
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  return pathname === to || (to !== '/' && pathname.startsWith(`${to}/`));
}

function NavItem({ to, children }: { to: string; children: ReactNode }) {
  const active = useActive(to);
  return (
    <AppLink to={to} className="nav-link" underline="never" data-active={active || undefined} aria-current={active ? 'page' : undefined}>
      {children}
    </AppLink>
  );
}

/** The name of a menu entry, in words. */
function useNavLabel() {
  const { t } = useTranslation();
  const labels: Record<NavKey, string> = {
    home: t('nav.home'),
    notes: t('nav.notes'),
    intel: t('nav.intel'),
    incidents: t('nav.incidents'),
    situation: t('nav.situation'),
    crises: t('nav.crises'),
    communities: t('nav.communities'),
    organisations: t('nav.organisations'),
    contacts: t('nav.contacts'),
    records: t('nav.records'),
    practices: t('nav.practices'),
    offers: t('nav.offers'),
    applications: t('nav.applications'),
    requests: t('nav.requests'),
    experts: t('nav.experts'),
    events: t('nav.events'),
    countries: t('nav.countries'),
    vocabularies: t('nav.vocabularies'),
    roadmap: t('nav.roadmap'),
    capacity: t('nav.capacity'),
    translations: t('nav.translations'),
    orgAdmin: t('nav.orgAdmin'),
    checks: t('nav.checks'),
    secretariat: t('nav.secretariat'),
  };
  return (key: NavKey) => labels[key];
}

/** How many things wait for the secretariat, beside its menu entry. */
function TodoCount() {
  const { t } = useTranslation();
  const { todo } = usePersona();
  if (!todo) return null;
  const count = todo.organisations + todo.nominations + todo.proposals;
  if (count === 0) return null;
  return (
    <>
      <Badge size="sm" color="red.9" className="nav-count" aria-hidden="true" data-testid="nav-todo-count">
        {count}
      </Badge>
      <VisuallyHidden> ({t('nav.todoCount', { count })})</VisuallyHidden>
    </>
  );
}

/**
 * How an open menu closes: a page chosen from it (the address changes), Escape (focus goes back
 * to its button), and, when `inside` is given, a click outside it.
 */
function useClosing(open: boolean, setOpen: (o: boolean) => void, button: RefObject<HTMLButtonElement | null>, inside?: RefObject<HTMLElement | null>) {
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  useEffect(() => setOpen(false), [pathname, setOpen]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onPointer = (e: PointerEvent) => {
      if (inside?.current && !inside.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    if (inside) document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open, setOpen, button, inside]);
}

/** "More" on a wide screen: a button that shows and hides a list of links; Escape or a click elsewhere hides it. */
function MoreLinks({ items }: { items: NavEntry[] }) {
  const { t } = useTranslation();
  const label = useNavLabel();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLSpanElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const active = items.some((m) => pathname === m.to || pathname.startsWith(`${m.to}/`));
  useClosing(open, setOpen, button, box);
  return (
    <span className="nav-more-desktop" ref={box}>
      <button
        ref={button}
        type="button"
        className="nav-link nav-more-button"
        aria-expanded={open}
        aria-controls="nav-more-list"
        data-active={active || undefined}
        onClick={() => setOpen((o) => !o)}
        data-testid="nav-more"
      >
        {t('nav.more')}
        <span aria-hidden="true"> ▾</span>
      </button>
      {open && (
        <ul id="nav-more-list" className="nav-more-list">
          {items.map((item) => (
            <li key={item.key}>
              <NavItem to={item.to}>{label(item.key)}</NavItem>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}

function PrimaryNav({ id, open, items, more }: { id: string; open: boolean; items: NavEntry[]; more: NavEntry[] }) {
  const { t } = useTranslation();
  const label = useNavLabel();
  return (
    <nav aria-label={t('nav.primary')} className="primary-nav" id={id} data-open={open ? 'true' : 'false'}>
      <div className="primary-nav-links">
        {items.map((item) => (
          <NavItem key={item.key} to={item.to}>
            {label(item.key)}
            {item.key === 'secretariat' && <TodoCount />}
          </NavItem>
        ))}
        {more.length > 0 && (
          <>
            {/* A wide screen: "More" shows the other pages (a disclosure, not an application menu). */}
            <MoreLinks items={more} />
            {/* A phone: the other pages are listed in the open menu, under "More". */}
            <span className="nav-more-phone">
              <Text size="xs" c="dimmed" className="nav-more-label nav-group-label" component="span" display="block">
                {t('nav.more')}
              </Text>
              {more.map((item) => (
                <NavItem key={item.key} to={item.to}>
                  {label(item.key)}
                </NavItem>
              ))}
            </span>
          </>
        )}
      </div>
    </nav>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { status, me, signOut } = useSession();
  const { persona } = usePersona();
  const signedIn = status === 'signedIn' && !!me;
  const restricted = signedIn && me.mfaEnrolmentRequired;
  const [open, setOpen] = useState(false);
  const burger = useRef<HTMLButtonElement>(null);
  useClosing(open, setOpen, burger);
  const nav = signedIn && !restricted ? navFor(persona, me.roles) : null;

  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skipToContent')}
      </a>
      <Box component="header" className="app-header">
        <Container size="xl">
          <div className="header-bar">
            <Anchor renderRoot={(props) => <Link to="/" {...props} />} className="brand" underline="never">
              <span className="brand-name">{t('app.name')}</span>
              <span className="brand-tagline">{t('app.tagline')}</span>
            </Anchor>
            <div className="header-actions">
              <LanguageMenu />
              {signedIn ? (
                <LazyMenu
                  position="bottom-end"
                  withinPortal
                  target={
                    <Button variant="light" size="sm" data-testid="user-menu">
                      <VisuallyHidden>{t('nav.accountMenu')}: </VisuallyHidden>
                      <span className="user-menu-name">{me.name}</span>
                    </Button>
                  }
                >
                  <Menu.Label>{me.email}</Menu.Label>
                  {!restricted && (
                    <Menu.Item renderRoot={(props) => <Link to="/account" {...props} />}>{t('nav.account')}</Menu.Item>
                  )}
                  {!restricted && hasRole(me, 'org_admin') && (
                    <Menu.Item renderRoot={(props) => <Link to="/org-admin" {...props} />}>{t('nav.orgAdmin')}</Menu.Item>
                  )}
                  {!restricted && hasRole(me, 'secretariat') && (
                    <Menu.Item renderRoot={(props) => <Link to="/secretariat" {...props} />}>{t('nav.secretariat')}</Menu.Item>
                  )}
                  <Menu.Divider />
                  <Menu.Item onClick={() => void signOut()} data-testid="sign-out">
                    {t('nav.signOut')}
                  </Menu.Item>
                </LazyMenu>
              ) : status === 'signedOut' ? (
                <>
                  <ButtonLink to="/join" variant="default" size="sm">
                    {t('nav.join')}
                  </ButtonLink>
                  <ButtonLink to="/sign-in" size="sm">
                    {t('nav.signIn')}
                  </ButtonLink>
                </>
              ) : null}
              {nav && (
                <Burger
                  ref={burger}
                  className="nav-burger"
                  size="sm"
                  opened={open}
                  onClick={() => setOpen((o) => !o)}
                  aria-label={t('nav.menu')}
                  aria-expanded={open}
                  aria-controls="primary-nav"
                  data-testid="nav-burger"
                />
              )}
            </div>
          </div>
          {nav && <PrimaryNav id="primary-nav" open={open} items={nav.primary} more={nav.more} />}
        </Container>
      </Box>
      <Box component="main" id="main" tabIndex={-1} className="app-main">
        <Container size="xl" py="lg">
          {children}
        </Container>
      </Box>
      <Box component="footer" className="app-footer">
        <Container size="xl" py="md">
          <Text size="sm" c="dimmed">
            {t('app.footer')}
          </Text>
          {/* What anyone may read without signing in. */}
          <Box component="nav" aria-label={t('nav.public')} mt="xs">
            <Text size="sm">
              <AppLink to="/organisations">{t('nav.organisations')}</AppLink>
              {' · '}
              <AppLink to="/records">{t('nav.records')}</AppLink>
              {' · '}
              <AppLink to="/vocabularies">{t('nav.vocabularies')}</AppLink>
              {' · '}
              <AppLink to="/roadmap">{t('nav.roadmap')}</AppLink>
            </Text>
          </Box>
        </Container>
      </Box>
      <LiveNotices />
    </>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <PersonaProvider>
      <Shell>{children}</Shell>
    </PersonaProvider>
  );
}
