/** The English catalogues, bundled: the fallback for every language and the source of the key types. */
import account from "./locales/en/account.json";
import admin from "./locales/en/admin.json";
import common from "./locales/en/common.json";
import freelancer from "./locales/en/freelancer.json";
import work from "./locales/en/work.json";

export const en = { common, account, work, freelancer, admin };
export const NAMESPACES = ["common", "account", "work", "freelancer", "admin"] as const;
