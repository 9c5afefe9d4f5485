import type { ReactNode } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { homeFor, isStaff, needsTwoFactor, TWO_FACTOR_SETUP, useAuth } from "./auth";
import { Layout } from "./components/Layout";
import { Loading } from "./components/ui";
import { AccountSettingsPage } from "./features/account/AccountSettings";
import { LoginPage, TwoFactorLoginPage } from "./features/account/Login";
import { PasswordResetKeyPage, PasswordResetRequestPage } from "./features/account/PasswordReset";
import { SignupPage, TermsPage, VerifyEmailPage } from "./features/account/Signup";
import { EarningsPage } from "./pages/Earnings";
import { PayoutMethodsPage } from "./pages/PayoutMethods";
import { PayoutsPage } from "./pages/Payouts";
import { DatasetDetailPage, DatasetsPage, DatasetVersionPage } from "./pages/Datasets";
import { ReviewDetailPage, ReviewPage } from "./pages/Review";
import { ProfilePage } from "./pages/Profile";
import { PortfolioPage, PublicPortfolioPage } from "./pages/Portfolio";
import { ProjectDetailPage } from "./pages/ProjectDetail";
import { EditProjectPage, NewProjectPage } from "./pages/NewProject";
import { ProjectsPage } from "./pages/Projects";
import { TasksPage } from "./pages/Tasks";
import { TokensPage } from "./pages/Tokens";
import { WebhooksPage } from "./pages/Webhooks";
import { AuditPage } from "./pages/Audit";
import { NotificationPreferencesPage, NotificationsPage } from "./pages/Notifications";
import { WorkspacePage } from "./pages/Workspace";
import { OnboardingPage } from "./pages/Onboarding";
import { MembersPage } from "./pages/Members";
import { AcceptInvitationPage } from "./pages/AcceptInvitation";

/** Freelancer pages open once onboarding is done; these stay reachable before (docs/onboarding.md). */
const BEFORE_ONBOARDING = (path: string) => path === "/onboarding" || path === "/profile" || path.startsWith("/settings/");
import { ExamPage } from "./pages/Exam";

function Private({ children, staff }: { children: ReactNode; staff?: boolean }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  // An organisation that asks for two-factor: the account page (to set it up) is the only page until it is on.
  if (needsTwoFactor(user) && location.pathname !== "/settings/account") return <Navigate to={TWO_FACTOR_SETUP} replace />;
  if (staff !== undefined && staff !== isStaff(user)) return <Navigate to={homeFor(user)} replace />;
  if (staff === false && user.onboarding_missing.length > 0 && !BEFORE_ONBOARDING(location.pathname)) return <Navigate to="/onboarding" replace />;
  return <Layout>{children}</Layout>;
}

function Home() {
  const { user, loading } = useAuth();
  if (loading) return <Loading />;
  return <Navigate to={user ? homeFor(user) : "/login"} replace />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/" element={<Home />} />
      <Route path="/tasks" element={<Private staff={false}><TasksPage /></Private>} />
      <Route path="/work/:id" element={<Private staff={false}><WorkspacePage /></Private>} />
      <Route path="/earnings" element={<Private staff={false}><EarningsPage /></Private>} />
      <Route path="/earnings/methods" element={<Private staff={false}><PayoutMethodsPage /></Private>} />
      <Route path="/profile" element={<Private staff={false}><ProfilePage /></Private>} />
      <Route path="/portfolio" element={<Private staff={false}><PortfolioPage /></Private>} />
      <Route path="/onboarding" element={<Private staff={false}><OnboardingPage /></Private>} />
      <Route path="/p/:token" element={<PublicPortfolioPage />} />
      <Route path="/projects" element={<Private staff><ProjectsPage /></Private>} />
      <Route path="/projects/new" element={<Private staff><NewProjectPage /></Private>} />
      <Route path="/projects/:id" element={<Private staff><ProjectDetailPage /></Private>} />
      <Route path="/projects/:id/edit" element={<Private staff><EditProjectPage /></Private>} />
      <Route path="/review" element={<Private staff><ReviewPage /></Private>} />
      <Route path="/review/:id" element={<Private staff><ReviewDetailPage /></Private>} />
      <Route path="/payouts" element={<Private staff><PayoutsPage /></Private>} />
      <Route path="/datasets" element={<Private staff><DatasetsPage /></Private>} />
      <Route path="/datasets/:id" element={<Private staff><DatasetDetailPage /></Private>} />
      <Route path="/datasets/:id/versions/:number" element={<Private staff><DatasetVersionPage /></Private>} />
      <Route path="/settings/tokens" element={<Private><TokensPage /></Private>} />
      <Route path="/settings/webhooks" element={<Private staff><WebhooksPage /></Private>} />
      <Route path="/settings/audit" element={<Private staff><AuditPage /></Private>} />
      <Route path="/notifications" element={<Private><NotificationsPage /></Private>} />
      <Route path="/settings/notifications" element={<Private><NotificationPreferencesPage /></Private>} />
      <Route path="/exams/:id" element={<Private staff={false}><ExamPage /></Private>} />
      <Route path="/signup" element={<SignupPage />} />
      <Route path="/terms" element={<TermsPage />} />
      <Route path="/verify-email" element={<VerifyEmailPage />} />
      <Route path="/login/2fa" element={<TwoFactorLoginPage />} />
      <Route path="/account/password/reset" element={<PasswordResetRequestPage />} />
      <Route path="/account/password/reset/key/:key" element={<PasswordResetKeyPage />} />
      <Route path="/settings/account" element={<Private><AccountSettingsPage /></Private>} />
      <Route path="/settings/members" element={<Private staff><MembersPage /></Private>} />
      <Route path="/invite/:token" element={<AcceptInvitationPage />} />
      <Route path="*" element={<Home />} />
    </Routes>
  );
}
