// ESLint (flat config): JavaScript's recommended rules, typescript-eslint's type-aware recommended rules, and the
// React hooks rules (rules of hooks, exhaustive effect dependencies, and the React Compiler's checks).
import js from "@eslint/js";
import i18next from "eslint-plugin-i18next";
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
  // Every word a person reads goes through a catalogue (src/i18n): literal text in the JSX of any component, and
  // in the attributes a person reads or hears (labels, placeholders, titles, alt text), is an error. Symbols,
  // numbers and keys are not.
  {
    files: ["src/**/*.tsx"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    plugins: { i18next },
    rules: {
      "i18next/no-literal-string": [
        "error",
        {
          mode: "jsx-only",
          "jsx-attributes": {
            include: ["aria-label", "aria-description", "aria-roledescription", "placeholder", "title", "alt", "label"],
          },
          words: { exclude: ["Atelier", "[0-9!-/:-@[-`{-~\\s·•—–…←→↑↓✓✕☰⌘⇧]+", "[A-Z_-]+"] },
        },
      ],
    },
  },
);
