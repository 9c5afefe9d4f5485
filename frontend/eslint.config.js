// ESLint (flat config): JavaScript's recommended rules, typescript-eslint's type-aware recommended rules, and the
// React hooks rules (rules of hooks, exhaustive effect dependencies, and the React Compiler's checks).
import js from "@eslint/js";
import i18next from "eslint-plugin-i18next";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// The sources whose every word is translated; a file joins this list when its strings move into a catalogue.
const TRANSLATED = [
  "src/App.tsx",
  "src/components/Chart.tsx",
  "src/components/DataTable.tsx",
  "src/components/ExamNotice.tsx",
  "src/components/ExamPanel.tsx",
  "src/components/GoldPanel.tsx",
  "src/components/ImportPanel.tsx",
  "src/components/ItemTimeline.tsx",
  "src/components/LanguageSwitch.tsx",
  "src/components/Layout.tsx",
  "src/components/Shortcuts.tsx",
  "src/components/ui.tsx",
  "src/features/account/AccountSettings.tsx",
  "src/features/account/CodeStep.tsx",
  "src/features/account/Login.tsx",
  "src/features/account/PasswordReset.tsx",
  "src/features/account/Signup.tsx",
  "src/features/account/ui.tsx",
  "src/features/onboarding/form.ts",
  "src/features/payouts/components/PayOutNow.tsx",
  "src/pages/AcceptInvitation.tsx",
  "src/pages/Audit.tsx",
  "src/pages/Datasets.tsx",
  "src/pages/Earnings.tsx",
  "src/pages/Exam.tsx",
  "src/pages/Members.tsx",
  "src/pages/NewProject.tsx",
  "src/pages/Notifications.tsx",
  "src/pages/Onboarding.tsx",
  "src/pages/PayoutMethods.tsx",
  "src/pages/Payouts.tsx",
  "src/pages/Portfolio.tsx",
  "src/pages/Profile.tsx",
  "src/pages/ProjectDetail.tsx",
  "src/pages/Projects.tsx",
  "src/pages/Review.tsx",
  "src/pages/Tasks.tsx",
  "src/pages/Tokens.tsx",
  "src/pages/Webhooks.tsx",
  "src/pages/Workspace.tsx",
  "src/work/Drafts.tsx",
  "src/work/MediaPanel.tsx",
  "src/work/MediaViewer.tsx",
  "src/work/MergePrompt.tsx",
  "src/work/NoteHistory.tsx",
  "src/work/Notes.tsx",
  "src/work/PointMarkers.tsx",
  "src/work/ProcessView.tsx",
  "src/work/RangeList.tsx",
  "src/work/Waveform.tsx",
  "src/work/three/JointPicker.tsx",
  "src/work/three/ModelView.tsx",
  "src/work/three/MotionView.tsx",
  "src/work/timeline/SensorView.tsx",
  "src/work/timeline/Timeline.tsx",
];

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
  // Every word a person reads goes through a catalogue (src/i18n): literal text in JSX, and in the attributes a
  // person reads or hears (labels, placeholders, titles, alt text), is an error. Symbols, numbers and keys are not.
  {
    files: TRANSLATED,
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
