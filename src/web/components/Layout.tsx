import { Anchor, Box, Button, Container, Group, Menu, Text, VisuallyHidden } from '@mantine/core';
import { Link, useRouterState } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole, useSession } from '../session';
import { AppLink, ButtonLink } from './AppLink';
import { LanguageMenu } from './LanguageMenu';
import { LiveNotices } from './LiveNotices';

function NavItem({ to, children }: { to: string; children: ReactNode }) {
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const active = pathname === to || (to !== '/' && pathname.startsWith(`${to}/`));
  return (
    <AppLink to={to} className="nav-link" underline="never" data-active={active || undefined} aria-current={active ? 'page' : undefined}>
      {children}
    </AppLink>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { status, me, signOut } = useSession();
  const signedIn = status === 'signedIn' && !!me;
  const restricted = signedIn && me.mfaEnrolmentRequired;

  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skipToContent')}
      </a>
      <Box component="header" className="app-header">
        <Container size="xl">
          <Group justify="space-between" py="sm" wrap="wrap" gap="sm">
            <Anchor renderRoot={(props) => <Link to="/" {...props} />} className="brand" underline="never">
              <span className="brand-name">{t('app.name')}</span>
              <span className="brand-tagline">{t('app.tagline')}</span>
            </Anchor>
            <Group gap="sm" wrap="wrap">
              <LanguageMenu />
              {signedIn ? (
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <Button variant="light" size="sm" data-testid="user-menu">
                      <VisuallyHidden>{t('nav.accountMenu')}: </VisuallyHidden>
                      {me.name}
                    </Button>
                  </Menu.Target>
                  <Menu.Dropdown>
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
                  </Menu.Dropdown>
                </Menu>
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
            </Group>
          </Group>
          {signedIn && !restricted && (
            <nav aria-label={t('nav.primary')} className="primary-nav">
              <Group gap="lg" wrap="wrap" pb="xs">
                <NavItem to="/">{t('nav.home')}</NavItem>
                <span className="nav-group">
                  <Text span size="xs" c="dimmed" className="nav-group-label">
                    {t('workstreams.informationSharing.title')}
                  </Text>
                  <NavItem to="/notes">{t('nav.notes')}</NavItem>
                  <NavItem to="/intel">{t('intel.nav.item')}</NavItem>
                </span>
                <span className="nav-group">
                  <Text span size="xs" c="dimmed" className="nav-group-label">
                    {t('workstreams.jointInitiatives.title')}
                  </Text>
                  <NavItem to="/communities">{t('nav.communities')}</NavItem>
                  <NavItem to="/organisations">{t('nav.organisations')}</NavItem>
                  <NavItem to="/contacts">{t('contacts.nav')}</NavItem>
                </span>
                {hasRole(me, 'org_admin') && <NavItem to="/org-admin">{t('nav.orgAdmin')}</NavItem>}
                {hasRole(me, 'secretariat') && <NavItem to="/communication-checks">{t('checks.nav')}</NavItem>}
                {hasRole(me, 'secretariat') && <NavItem to="/secretariat">{t('nav.secretariat')}</NavItem>}
              </Group>
            </nav>
          )}
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
        </Container>
      </Box>
      <LiveNotices />
    </>
  );
}
