/** The English catalogues, bundled: the fallback for every language and the source of the key types. One
 * namespace per part of the app: `common` (shell, shared components, statuses), `account` (sign-up, sign-in,
 * settings, onboarding, invitations), `work` (the workspace), `freelancer` (tasks, earnings, profile, portfolio,
 * exams, payout methods, notifications, tokens), `projects` (posting and running projects) and `org` (review,
 * payouts, datasets, members, webhooks, audit). */
import account from "./locales/en/account.json";
import common from "./locales/en/common.json";
import freelancer from "./locales/en/freelancer.json";
import org from "./locales/en/org.json";
import projects from "./locales/en/projects.json";
import work from "./locales/en/work.json";

export const en = { common, account, work, freelancer, projects, org };
export const NAMESPACES = ["common", "account", "work", "freelancer", "projects", "org"] as const;
