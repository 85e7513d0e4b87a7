import { createRootRoute, createRoute, createRouter, lazyRouteComponent, Outlet, type AsyncRouteComponent } from '@tanstack/react-router';
import { Layout } from './components/Layout';
import { NotFoundPage } from './components/Forbidden';
import { Loading } from './components/Page';
import { Redirect } from './components/Redirect';
import { RequireAuth } from './components/RequireAuth';
import { validateDirectorySearch } from './features/contacts/search';
import { validateIntelSearch } from './features/intel/filters';
import { FIRST_DATA } from './firstData';
import { validateVulnSearch } from './features/intel/vulnSearch';
import { validateExpertsSearch } from './features/experts/search';
import { validateEventEditSearch, validateEventsSearch, validateRegistrationsSearch } from './features/events/search';
import { validatePracticesSearch } from './features/knowledge/search';
import { validateOffersSearch } from './features/offers/search';
import { validateApplicationsSearch } from './features/applications/search';
import { validateRequestsSearch } from './features/requests/search';
import { validateIncidentsSearch } from './features/incidents/search';
import { validateCrisesSearch } from './features/crises/search';
import { validateRoadmapSearch } from './features/roadmap/search';
import { validateCapacitySearch } from './features/capacity/search';
import { ForgotPassword, ResetPassword, SignIn } from './features/auth/SignIn';
import { Landing } from './features/public/Landing';
import { SessionProvider, useSession } from './session';

declare module '@tanstack/react-router' {
  interface StaticDataRouteOption {
    /** The API paths a page shows first, for its search parameters (firstData.ts). */
    firstData?: (search: Record<string, unknown>) => string[];
  }
}

// Every page but the landing and sign-in pages is its own chunk, loaded when its route is
// entered (the router starts the download while it matches the route): a visitor's first page
// loads the shell, the menu and that page, never the directory, intel, graph, markdown or chart
// code of the others. Pages of one feature file share a chunk. The first page's script carries
// only the Mantine styles it needs (mantine.css); a page chunk is shown once the styles of every
// Mantine component the app uses are there too (mantine-pages.css: one stylesheet, fetched once,
// beside the chunk). A chunk brings the English strings its code names (i18n.ts).
const allStyles = () => import('./mantine-pages.css');
const styled =
  <T,>(load: () => Promise<T>) =>
  () =>
    Promise.all([load(), allStyles()]).then(([m]) => m);
const account = styled(() => import('./features/account/Account'));
const mfa = styled(() => import('./features/account/MfaSetup'));
const invitation = styled(() => import('./features/auth/Invitation'));
const communities = styled(() => import('./features/communities/Communities'));
const proposals = styled(() => import('./features/communities/ProposalsPage'));
const topic = styled(() => import('./features/communities/TopicPage'));
const home = styled(() => import('./features/home/Home'));
const join = styled(() => import('./features/join/JoinRequest'));
const notes = styled(() => import('./features/notes/Notes'));
const contactExchange = styled(() => import('./features/contacts/Exchange'));
const contactsDirectory = styled(() => import('./features/contacts/ContactsDirectory'));
const contactCard = styled(() => import('./features/contacts/ContactCard'));
const contactEditor = styled(() => import('./features/contacts/ContactEditor'));
const nominations = styled(() => import('./features/contacts/Nominations'));
const focalPoints = styled(() => import('./features/contacts/FocalPoints'));
const coverage = styled(() => import('./features/contacts/Coverage'));
const checks = styled(() => import('./features/checks/Checks'));
const intelList = styled(() => import('./features/intel/IntelList'));
const intelObject = styled(() => import('./features/intel/ObjectPage'));
const intelUpload = styled(() => import('./features/intel/Upload'));
const vulnerabilities = styled(() => import('./features/intel/Vulnerabilities'));
const attack = styled(() => import('./features/intel/Attack'));
const subscriptions = styled(() => import('./features/intel/Subscriptions'));
const organisations = styled(() => import('./features/organisations/Organisations'));
const vocabularies = styled(() => import('./features/vocabularies/Vocabularies'));
const roadmap = styled(() => import('./features/roadmap/Roadmap'));
const capacityDashboard = styled(() => import('./features/capacity/Dashboard'));
const readingLists = styled(() => import('./features/collections/ReadingLists'));
const records = styled(() => import('./features/records/Records'));
const recordForm = styled(() => import('./features/records/RecordForm'));
const commitments = styled(() => import('./features/records/Commitments'));
const practices = styled(() => import('./features/knowledge/Library'));
const practiceView = styled(() => import('./features/knowledge/Item'));
const practiceEditor = styled(() => import('./features/knowledge/Editor'));
const offersCatalogue = styled(() => import('./features/offers/Catalogue'));
const offerView = styled(() => import('./features/offers/OfferView'));
const offerEditor = styled(() => import('./features/offers/Editor'));
const myApplications = styled(() => import('./features/applications/MyApplications'));
const providerApplications = styled(() => import('./features/applications/ProviderApplications'));
const outcomes = styled(() => import('./features/applications/Outcomes'));
const requestsPages = styled(() => import('./features/requests/Requests'));
const requestForm = styled(() => import('./features/requests/RequestForm'));
const requestView = styled(() => import('./features/requests/RequestView'));
const incidentsList = styled(() => import('./features/incidents/Incidents'));
const incidentForm = styled(() => import('./features/incidents/IncidentForm'));
const incidentView = styled(() => import('./features/incidents/IncidentView'));
const incidentImport = styled(() => import('./features/incidents/Import'));
const situationPage = styled(() => import('./features/situation/Situation'));
const crisesPages = styled(() => import('./features/crises/Crises'));
const crisisRoom = styled(() => import('./features/crises/CrisisRoom'));
const expertsPool = styled(() => import('./features/experts/Experts'));
const events = styled(() => import('./features/events/Events'));
const eventEditor = styled(() => import('./features/events/EventEditor'));
const eventRegistrations = styled(() => import('./features/events/Registrations'));
const eventMinutes = styled(() => import('./features/events/Minutes'));
const expertView = styled(() => import('./features/experts/Expert'));
const expertForm = styled(() => import('./features/experts/ExpertForm'));
const countries = styled(() => import('./features/countries/Countries'));
const countryPage = styled(() => import('./features/countries/CountryPage'));
const translations = styled(() => import('./features/translations/Translations'));
const profileEdit = styled(() => import('./features/organisations/ProfileEdit'));
const orgAdmin = styled(() => import('./features/orgadmin/OrgAdmin'));
const secretariat = styled(() => import('./features/secretariat/Secretariat'));

const Home = lazyRouteComponent(home, 'Home');
const MfaRequiredPage = lazyRouteComponent(mfa, 'MfaRequiredPage');

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
    if (me.mfaEnrolmentRequired) return <Redirect to="/mfa-required" />;
    return <Home />;
  }
  return <Landing />;
}

function MfaRequiredRoute() {
  const { status, me } = useSession();
  if (status === 'loading') return <Loading />;
  if (!me) return <Redirect to="/sign-in" />;
  if (!me.mfaEnrolmentRequired) return <Redirect to="/" />;
  return <MfaRequiredPage />;
}

const stringSearch = (search: Record<string, unknown>) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(search)) if (v !== undefined && v !== null) out[k] = String(v);
  return out as { token?: string; next?: string };
};

const rootRoute = createRootRoute({ component: Root, notFoundComponent: NotFoundPage });

/** A member page: its chunk is loaded with the route (so no waterfall after the session check), shown once RequireAuth allows. */
function guarded(Component: AsyncRouteComponent<object>, roles?: ('member' | 'org_admin' | 'secretariat')[]) {
  function Guarded() {
    return (
      <RequireAuth roles={roles}>
        <Component />
      </RequireAuth>
    );
  }
  // lazyRouteComponent drops its preload once loaded: ask it each time.
  Guarded.preload = () => Component.preload?.();
  return Guarded;
}
const page = lazyRouteComponent;

const routes = [
  createRoute({ getParentRoute: () => rootRoute, path: '/', component: IndexPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/sign-in', component: SignIn, validateSearch: stringSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/forgot-password', component: ForgotPassword }),
  createRoute({ getParentRoute: () => rootRoute, path: '/reset-password', component: ResetPassword, validateSearch: stringSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/join', component: page(join, 'JoinRequest') }),
  createRoute({ getParentRoute: () => rootRoute, path: '/invitation', component: page(invitation, 'AcceptInvitation'), validateSearch: stringSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/mfa-required', component: MfaRequiredRoute }),
  createRoute({ getParentRoute: () => rootRoute, path: '/account', component: guarded(page(account, 'AccountPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/org-admin', component: guarded(page(orgAdmin, 'OrgAdminPage'), ['org_admin']) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/secretariat', component: guarded(page(secretariat, 'SecretariatPage'), ['secretariat']) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/notes', component: guarded(page(notes, 'NotesList')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/notes/new', component: guarded(page(notes, 'NoteEditor')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/notes/$noteId', component: guarded(page(notes, 'NoteView')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communities', component: guarded(page(communities, 'CommunitiesList')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communities/$communityId', component: guarded(page(communities, 'CommunityView')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communities/proposals', component: guarded(page(proposals, 'ProposalsPage'), ['org_admin', 'secretariat']) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communities/$communityId/topics/$topicId', component: guarded(page(topic, 'TopicPage')) }),
  // Public profiles of approved organisations: no sign-in needed (the member part needs it).
  createRoute({ getParentRoute: () => rootRoute, path: '/organisations', component: page(organisations, 'OrganisationsDirectory') }),
  // Activity records: published ones are read within their marking, by anyone for CLEAR ones.
  createRoute({ getParentRoute: () => rootRoute, path: '/records', component: page(records, 'RecordsPage') }),
  createRoute({ getParentRoute: () => rootRoute, path: '/records/import', component: guarded(page(records, 'RecordImportPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/records/new', component: guarded(page(recordForm, 'RecordNewPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/records/$slug/edit', component: guarded(page(recordForm, 'RecordEditPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/records/$slug', component: page(records, 'RecordView') }),
  // The good-practice library: CLEAR published items for anyone; members see what is shared with them.
  createRoute({ getParentRoute: () => rootRoute, path: '/practices', component: page(practices, 'PracticesPage'), validateSearch: validatePracticesSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/practices/new', component: guarded(page(practiceEditor, 'PracticeEditor')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/practices/$slug', component: page(practiceView, 'PracticeView') }),
  createRoute({ getParentRoute: () => rootRoute, path: '/practices/$slug/edit', component: guarded(page(practiceEditor, 'PracticeEditor')) }),
  // The capacity-building catalogue: CLEAR published offers for anyone; members see what is shared with them.
  createRoute({ getParentRoute: () => rootRoute, path: '/offers', component: page(offersCatalogue, 'OffersPage'), validateSearch: validateOffersSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/offers/new', component: guarded(page(offerEditor, 'OfferEditor')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/offers/$id', component: page(offerView, 'OfferView') }),
  createRoute({ getParentRoute: () => rootRoute, path: '/offers/$id/edit', component: guarded(page(offerEditor, 'OfferEditor')) }),
  // Applications to offer sessions: mine (and endorsements I may give); the provider's per offer, filters in the address; its outcomes.
  createRoute({ getParentRoute: () => rootRoute, path: '/applications', component: guarded(page(myApplications, 'MyApplicationsPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/offers/$id/applications', component: guarded(page(providerApplications, 'ProviderApplicationsPage')), validateSearch: validateApplicationsSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/offers/$id/outcomes', component: guarded(page(outcomes, 'OutcomesPage')) }),
  // Assistance requests: members only (confidential by default); the list, the form, the fitting ones for providers, the secretariat's triage.
  createRoute({ getParentRoute: () => rootRoute, path: '/requests', component: guarded(page(requestsPages, 'RequestsPage')), validateSearch: validateRequestsSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/requests/new', component: guarded(page(requestForm, 'RequestNewPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/requests/suggested', component: guarded(page(requestsPages, 'SuggestedPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/requests/triage', component: guarded(page(requestsPages, 'TriagePage'), ['secretariat']) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/requests/$id', component: guarded(page(requestView, 'RequestView')) }),
  // Incident reports: members only; each read within its marking, filters in the address.
  createRoute({ getParentRoute: () => rootRoute, path: '/incidents', component: guarded(page(incidentsList, 'IncidentsPage')), validateSearch: validateIncidentsSearch }),
  // The situational picture: every figure over the incident reports the reader may see (CLEAR ones for the public), never exercises.
  createRoute({ getParentRoute: () => rootRoute, path: '/situation', component: page(situationPage, 'SituationPage'), validateSearch: validateIncidentsSearch }),
  // Crisis rooms: members only; each room is seen by its roster and invited organisations (the server decides).
  createRoute({ getParentRoute: () => rootRoute, path: '/crises', component: guarded(page(crisesPages, 'CrisesPage')), validateSearch: validateCrisesSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/crises/new', component: guarded(page(crisesPages, 'DeclareCrisisPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/crises/$id', component: guarded(page(crisisRoom, 'CrisisRoomPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/incidents/new', component: guarded(page(incidentForm, 'IncidentFormPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/incidents/import', component: guarded(page(incidentImport, 'IncidentImportPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/incidents/$id', component: guarded(page(incidentView, 'IncidentView')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/incidents/$id/edit', component: guarded(page(incidentForm, 'IncidentFormPage')) }),
  // The expert pool: members only (experts are never CLEAR); proposed and withdrawn profiles stay with their organisation.
  createRoute({ getParentRoute: () => rootRoute, path: '/experts', component: guarded(page(expertsPool, 'ExpertsPage')), validateSearch: validateExpertsSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/experts/new', component: guarded(page(expertForm, 'ExpertNewPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/experts/vetting', component: guarded(page(expertsPool, 'ExpertVettingPage'), ['org_admin']) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/experts/$expertId', component: guarded(page(expertView, 'ExpertView')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/experts/$expertId/edit', component: guarded(page(expertForm, 'ExpertEditPage')) }),
  // Events: CLEAR published events for anyone; members see what is shared with them and register; "my calendar" is a member's.
  createRoute({ getParentRoute: () => rootRoute, path: '/events', component: page(events, 'EventsPage'), validateSearch: validateEventsSearch }),
  // The organisers' pages: create and edit (timetable, materials, translations, delegations), registrations, and the minutes once it is over.
  createRoute({ getParentRoute: () => rootRoute, path: '/events/new', component: guarded(page(eventEditor, 'EventNewPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/events/$id/edit', component: guarded(page(eventEditor, 'EventEditPage')), validateSearch: validateEventEditSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/events/$id/registrations', component: guarded(page(eventRegistrations, 'EventRegistrationsPage')), validateSearch: validateRegistrationsSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/events/$id/minutes', component: guarded(page(eventMinutes, 'EventMinutesPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/events/$id', component: page(events, 'EventView') }),
  createRoute({ getParentRoute: () => rootRoute, path: '/calendar', component: guarded(page(events, 'CalendarPage')) }),
  // Country pages: the public part and what is CLEAR for anyone; members see what is shared with them.
  createRoute({ getParentRoute: () => rootRoute, path: '/countries', component: page(countries, 'CountriesPage') }),
  createRoute({ getParentRoute: () => rootRoute, path: '/countries/compare', component: page(countries, 'ComparePage') }),
  createRoute({ getParentRoute: () => rootRoute, path: '/countries/$iso2', component: page(countryPage, 'CountryPage') }),
  createRoute({ getParentRoute: () => rootRoute, path: '/commitments', component: page(commitments, 'CommitmentsPage') }),
  createRoute({ getParentRoute: () => rootRoute, path: '/translations', component: guarded(page(translations, 'TranslationsPage')) }),
  // The vocabularies are CLEAR reference data: readable without signing in.
  createRoute({ getParentRoute: () => rootRoute, path: '/vocabularies', component: page(vocabularies, 'VocabulariesPage') }),
  // The roadmap dashboard: public; every figure counts only what the reader may see.
  // Reading lists of the library: public where their marking is CLEAR.
  createRoute({ getParentRoute: () => rootRoute, path: '/reading-lists', component: page(readingLists, 'ReadingListsPage') }),
  createRoute({ getParentRoute: () => rootRoute, path: '/reading-lists/$listId', component: page(readingLists, 'ReadingListPage') }),
  createRoute({ getParentRoute: () => rootRoute, path: '/roadmap', component: page(roadmap, 'RoadmapPage'), validateSearch: validateRoadmapSearch }),
  // The capacity-building dashboard: public; every figure counts only what the reader may see.
  createRoute({ getParentRoute: () => rootRoute, path: '/capacity', component: page(capacityDashboard, 'CapacityPage'), validateSearch: validateCapacitySearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/vocabularies/$scheme', component: page(vocabularies, 'SchemePage') }),
  createRoute({ getParentRoute: () => rootRoute, path: '/vocabularies/$scheme/$concept', component: page(vocabularies, 'ConceptPage') }),
  createRoute({ getParentRoute: () => rootRoute, path: '/organisations/$organisationId', component: page(organisations, 'OrganisationView') }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/contacts',
    component: guarded(page(contactsDirectory, 'ContactsDirectory')),
    validateSearch: validateDirectorySearch,
    staticData: { firstData: FIRST_DATA['/contacts'] },
  }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/new', component: guarded(page(contactEditor, 'ContactEditor')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/import', component: guarded(page(contactExchange, 'ContactImportPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/coverage', component: guarded(page(coverage, 'CoveragePage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/nominations', component: guarded(page(nominations, 'NominationsPage'), ['secretariat']) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/focal-points', component: guarded(page(focalPoints, 'FocalPointsPage'), ['secretariat']) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/$contactId', component: guarded(page(contactCard, 'ContactCard')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/contacts/$contactId/edit', component: guarded(page(contactEditor, 'ContactEditor')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/organisations/$organisationId/edit', component: guarded(page(profileEdit, 'OrganisationProfileEdit')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communication-checks', component: guarded(page(checks, 'ChecksPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communication-checks/new', component: guarded(page(checks, 'CheckLauncher')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/communication-checks/$checkId', component: guarded(page(checks, 'CheckReportPage')) }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/intel',
    component: guarded(page(intelList, 'IntelList')),
    validateSearch: validateIntelSearch,
    staticData: { firstData: FIRST_DATA['/intel'] },
  }),
  createRoute({ getParentRoute: () => rootRoute, path: '/intel/objects/$id', component: guarded(page(intelObject, 'IntelObjectPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/intel/upload', component: guarded(page(intelUpload, 'IntelUploadPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/intel/vulnerabilities', component: guarded(page(vulnerabilities, 'VulnerabilitiesList')), validateSearch: validateVulnSearch }),
  createRoute({ getParentRoute: () => rootRoute, path: '/intel/vulnerabilities/$id', component: guarded(page(vulnerabilities, 'VulnerabilityView')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/intel/attack', component: guarded(page(attack, 'AttackPage')) }),
  createRoute({ getParentRoute: () => rootRoute, path: '/intel/subscriptions', component: guarded(page(subscriptions, 'SubscriptionsPage')) }),
  // Public: the one-time acknowledgement link from a communication-check mail.
  createRoute({ getParentRoute: () => rootRoute, path: '/ack', component: page(checks, 'AckPage'), validateSearch: stringSearch }),
];

export const router = createRouter({
  routeTree: rootRoute.addChildren(routes),
  defaultPreload: false,
  // Shown while a page's chunk loads.
  defaultPendingComponent: Loading,
  scrollRestoration: true,
});
