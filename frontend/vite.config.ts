import { defineConfig } from "vite";

// Built into dist/ with a manifest that django-vite reads; served by Django (whitenoise) under /static/.
export default defineConfig({
  base: "/static/",
  oxc: { jsx: { runtime: "automatic" } },
  build: {
    manifest: true,
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { input: "src/main.tsx" },
  },
  server: { origin: "http://localhost:5173" },
  test: { environment: "happy-dom", include: ["src/**/*.test.ts", "src/**/*.test.tsx"], setupFiles: ["src/test-setup.ts"] },
} as never);
