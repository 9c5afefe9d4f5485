// Component tests read the English catalogues, as a browser set to English would.
import { ready, setLanguage } from "./i18n";

await ready;
await setLanguage("en", { remember: false });
