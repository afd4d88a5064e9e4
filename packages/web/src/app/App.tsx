/**
 * @module
 * The application: session, query cache, router (Foreman's URLs) and page layout.
 */
import {
  Masthead,
  MastheadBrand,
  MastheadContent,
  MastheadMain,
  Nav,
  NavItem,
  NavList,
  Page,
  PageSection,
  PageSidebar,
  PageSidebarBody,
  SkipToContent,
  Title,
} from '@patternfly/react-core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Component, Suspense, lazy, useState } from 'react';
import type { ReactNode } from 'react';
import { BrowserRouter, NavLink, Navigate, Route, Routes, useLocation } from 'react-router';

import type { ApiClient } from '../api/client.ts';
import { SessionProvider, useSession } from '../api/session.tsx';
import { TaxonomyProvider, TaxonomySwitcher } from './taxonomy-context.tsx';
import { UserMenu } from './UserMenu.tsx';
import { HostPage } from '../features/hosts/HostPage.tsx';
import { HostsPage } from '../features/hosts/HostsPage.tsx';
import { JobPage } from '../features/job-page/JobPage.tsx';
import { JobWizard } from '../features/job-wizard/JobWizard.tsx';
import { JobsPage } from '../features/jobs/JobsPage.tsx';
import { ProxiesPage } from '../features/proxies/ProxiesPage.tsx';
import { SettingsPage } from '../features/settings/SettingsPage.tsx';
import { TemplatesPage } from '../features/templates/TemplatesPage.tsx';
import { RolePage, RolesPage } from '../features/roles/RolesPage.tsx';
import { UserPage } from '../features/users/UserPage.tsx';
import { UsersPage } from '../features/users/UsersPage.tsx';
import { AuditsPage } from '../features/audits/AuditsPage.tsx';
import { RecurringLogicsPage } from '../features/recurring/RecurringLogicsPage.tsx';
import { Login } from './Login.tsx';

// The template editor brings CodeMirror: loaded when first opened.
const TemplatePage = lazy(() => import('../features/templates/TemplatePage.tsx').then((m) => ({ default: m.TemplatePage })));

const NAV: Array<[string, string]> = [
  ['/hosts', 'Hosts'],
  ['/job_invocations', 'Jobs'],
  ['/job_invocations/new', 'Run job'],
  ['/job_templates', 'Job templates'],
  ['/smart_proxies', 'Smart proxies'],
  ['/settings', 'Settings'],
  ['/users', 'Users'],
  ['/roles', 'Roles'],
  ['/recurring_logics', 'Recurring logics'],
  ['/audits', 'Audits'],
];

class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (this.state.error) {
      return (
        <PageSection>
          <Title headingLevel="h1">Something went wrong</Title>
          <pre>{this.state.error.message}</pre>
        </PageSection>
      );
    }
    return this.props.children;
  }
}

function Layout({ children }: { children: ReactNode }) {
  const location = useLocation();
  const masthead = (
    <Masthead>
      <MastheadMain>
        <MastheadBrand>
          <Title headingLevel="h1" size="xl">
            Remex
          </Title>
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent>
        <span style={{ marginLeft: 'auto', display: 'inline-flex', alignItems: 'center' }}>
          <TaxonomySwitcher />
          <UserMenu />
        </span>
      </MastheadContent>
    </Masthead>
  );
  const sidebar = (
    <PageSidebar>
      <PageSidebarBody>
        <Nav aria-label="Main">
          <NavList>
            {NAV.map(([to, text]) => {
              const active = to === '/job_invocations' ? location.pathname === to || /^\/job_invocations\/\d/.test(location.pathname) : location.pathname.startsWith(to);
              return (
                <NavItem key={to} isActive={active}>
                  <NavLink to={to}>{text}</NavLink>
                </NavItem>
              );
            })}
          </NavList>
        </Nav>
      </PageSidebarBody>
    </PageSidebar>
  );
  return (
    <Page masthead={masthead} sidebar={sidebar} isManagedSidebar mainContainerId="main-content" skipToContent={<SkipToContent href="#main-content">Skip to content</SkipToContent>}>
      <ErrorBoundary>
        <Suspense fallback={<PageSection>Loading…</PageSection>}>{children}</Suspense>
      </ErrorBoundary>
    </Page>
  );
}

function Routed() {
  const { login, checking } = useSession();
  if (checking) return <PageSection>Loading…</PageSection>;
  if (login === null) return <Login />;
  return (
    <TaxonomyProvider>
    <Layout>
      <Routes>
        <Route path="/" element={<Navigate to="/job_invocations" replace />} />
        <Route path="/hosts" element={<HostsPage />} />
        <Route path="/hosts/:name" element={<HostPage />} />
        <Route path="/job_invocations" element={<JobsPage />} />
        <Route path="/job_invocations/new" element={<JobWizard />} />
        <Route path="/job_invocations/:id" element={<JobPage />} />
        <Route path="/job_templates" element={<TemplatesPage />} />
        <Route path="/job_templates/:id" element={<TemplatePage />} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="/smart_proxies" element={<ProxiesPage />} />
        <Route path="/users" element={<UsersPage />} />
        <Route path="/users/:id" element={<UserPage />} />
        <Route path="/roles" element={<RolesPage />} />
        <Route path="/roles/:id" element={<RolePage />} />
        <Route path="/recurring_logics" element={<RecurringLogicsPage />} />
        <Route path="/audits" element={<AuditsPage />} />
        <Route path="*" element={<PageSection><Title headingLevel="h1">Page not found</Title></PageSection>} />
      </Routes>
    </Layout>
    </TaxonomyProvider>
  );
}

/** The whole UI; `client` may be given (tests). */
export function App({ client }: { client?: ApiClient }) {
  const [queries] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 2000 } } }));
  return (
    <QueryClientProvider client={queries}>
      <SessionProvider client={client}>
        <BrowserRouter>
          <Routed />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}
