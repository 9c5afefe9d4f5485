// ESLint (flat config): JavaScript's recommended rules, typescript-eslint's type-aware recommended rules, and the
// React hooks rules (rules of hooks, exhaustive effect dependencies, and the React Compiler's checks).
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "src/api/schema.d.ts"] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  reactHooks.configs.flat.recommended,
  {
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: { allowDefaultProject: ["eslint.config.js"] }, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    // A missing effect dependency is a bug here, not a style point: an error, like the other hooks rules.
    rules: { "react-hooks/exhaustive-deps": "error" },
  },
  { files: ["eslint.config.js"], ...tseslint.configs.disableTypeChecked },
);
