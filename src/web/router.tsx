import { createRootRoute, createRoute, createRouter, Navigate, Outlet } from '@tanstack/react-router';
import { Layout } from './components/Layout';
import { NotFoundPage } from './components/Forbidden';
import { Loading } from './components/Page';
import { RequireAuth } from './components/RequireAuth';
import { AccountPage } from './features/account/Account';
import { MfaRequiredPage } from './features/account/MfaSetup';
import { AcceptInvitation } from './features/auth/Invitation';
import { ForgotPassword, ResetPassword, SignIn } from './features/auth/SignIn';
import { CommunitiesList, CommunityView } from './features/communities/Communities';
import { ProposalsPage, TopicPage } from './features/communities/Discussions';
import { Home } from './features/home/Home';
import { JoinRequest } from './features/join/JoinRequest';
import { NoteEditor, NotesList, NoteView } from './features/notes/Notes';
import { ContactImportPage } from './features/contacts/Exchange';
import { ContactCard, ContactEditor, ContactsDirectory, FocalPointsPage, NominationsPage, validateDirectorySearch } from './features/contacts/Contacts';
import { CoveragePage } from './features/contacts/Coverage';
import { AckPage, CheckLauncher, CheckReportPage, ChecksPage } from './features/checks/Checks';
import { IntelList, validateIntelSearch } from './features/intel/IntelList';
import { IntelObjectPage } from './features/intel/ObjectPage';
import { IntelUploadPage } from './features/intel/Upload';
import { validateVulnSearch, VulnerabilitiesList, VulnerabilityView } from './features/intel/Vulnerabilities';
import { AttackPage } from './features/intel/Attack';
import { SubscriptionsPage } from './features/intel/Subscriptions';
import { OrganisationsDirectory, OrganisationView } from './features/organisations/Organisations';
import { OrganisationProfileEdit } from './features/organisations/ProfileEdit';
import { OrgAdminPage } from './features/orgadmin/OrgAdmin';
import { Landing } from './features/public/Landing';
import { SecretariatPage } from './features/secretariat/Secretariat';
import { SessionProvider, useSession } from './session';

function Root() {
  return (
    <SessionProvider>
      <Layout>
        <Outlet />
      </Layout>
    </SessionProvider>
  );
}

function IndexPage() {
  const { status, me } = useSession();
  if (status === 'loading') return <Loading />;
  if (status === 'signedIn' && me) {
    if (me.mfaEnrolmentRequired) return <Navigate to="/mfa-required" replace />;
    return <Home />;
  }
  return <Landing />;
}

function MfaRequiredRoute() {
  const { status, me } = useSession();
  if (status === 'loading') return <Loading />;
  if (!me) return <Navigate to="/sign-in" replace />;
  if (!me.mfaEnrolmentRequired) return <Navigate to="/" replace />;
  return <MfaRequiredPage />;
}

const stringSearch = (search: Record<string, unknown>) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(search)) if (v !== undefined && v !== null) out[k] = String(v);
  return out as { token?: string; next?: string };
};

const rootRoute = createRootRoute({ component: Root, notFoundComponent: NotFoundPage });
const guarded = (Component: () => React.JSX.Element, roles?: ('member' | 'org_admin' | 'secretariat')[]) =>
  function Guarded() {
    return (
      <RequireAuth roles={roles}>
        <Component />
      </RequireAuth>
    );
  };

const routes = [
  createRoute({ getParentRoute: () => rootRoute, path: '/', component: IndexPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/sign-in', component: SignIn, validateSearch: stringSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/forgot-password', component: ForgotPassword }),
  createRoute({ getParentRoute: () => rootRoute, path: '/reset-password', component: ResetPassword, validateSearch: stringSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/join', component: JoinRequest }),
  createRoute({ getParentRoute: () => rootRoute, path: '/invitation', component: AcceptInvitation, validateSearch: stringSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/mfa-required', component: MfaRequiredRoute }),
  createRoute({ getParentRoute: () => rootRoute, path: '/account', component: guarded(AccountPage) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/org-admin', component: guarded(OrgAdminPage, ['org_admin']) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/secretariat', component: guarded(SecretariatPage, ['secretariat']) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/notes', component: guarded(NotesList) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/notes/new', component: guarded(NoteEditor) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/notes/$noteId', component: guarded(NoteView) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communities', component: guarded(CommunitiesList) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communities/$communityId', component: guarded(CommunityView) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communities/proposals', component: guarded(ProposalsPage, ['org_admin', 'secretariat']) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communities/$communityId/topics/$topicId', component: guarded(TopicPage) }),
  // Public profiles of approved organisations: no sign-in needed (the member part needs it).
  createRoute({ getParentRoute: () => rootRoute, path: '/organisations', component: OrganisationsDirectory }),
  createRoute({ getParentRoute: () => rootRoute, path: '/organisations/$organisationId', component: OrganisationView }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts', component: guarded(ContactsDirectory), validateSearch: validateDirectorySearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/new', component: guarded(ContactEditor) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/import', component: guarded(ContactImportPage) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/coverage', component: guarded(CoveragePage) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/nominations', component: guarded(NominationsPage, ['secretariat']) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/focal-points', component: guarded(FocalPointsPage, ['secretariat']) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/$contactId', component: guarded(ContactCard) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/$contactId/edit', component: guarded(ContactEditor) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/organisations/$organisationId/edit', component: guarded(OrganisationProfileEdit) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communication-checks', component: guarded(ChecksPage) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communication-checks/new', component: guarded(CheckLauncher) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communication-checks/$checkId', component: guarded(CheckReportPage) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/intel', component: guarded(IntelList), validateSearch: validateIntelSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/intel/objects/$id', component: guarded(IntelObjectPage) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/intel/upload', component: guarded(IntelUploadPage) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/intel/vulnerabilities', component: guarded(VulnerabilitiesList), validateSearch: validateVulnSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/intel/vulnerabilities/$id', component: guarded(VulnerabilityView) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/intel/attack', component: guarded(AttackPage) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/intel/subscriptions', component: guarded(SubscriptionsPage) }),
  // Public: the one-time acknowledgement link from a communication-check mail.
  createRoute({ getParentRoute: () => rootRoute, path: '/ack', component: AckPage, validateSearch: stringSearch }),
];

export const router = createRouter({
  routeTree: rootRoute.addChildren(routes),
  defaultPreload: false,
  scrollRestoration: true,
});
