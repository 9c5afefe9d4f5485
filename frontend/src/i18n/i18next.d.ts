import "i18next";
import type { en } from "./resources";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: typeof en;
    // ICU placeholders are `{name}`, not i18next's `{{name}}`.
    interpolationPrefix: "{";
    interpolationSuffix: "}";
  }
}
