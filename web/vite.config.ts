import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
const backend = process.env.ATTEST_DEV_BACKEND ?? "http://localhost:3000";

// JSX goes through Vite's built-in Oxc transform; no React plugin needed.
export default defineConfig({
  root,
  base: "/",
  oxc: {
    jsx: { runtime: "automatic" },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      // React libraries carry "use client" for server-component bundlers; irrelevant in an SPA.
      checks: { moduleLevelDirective: false },
    },
  },
  server: {
    proxy: {
      "/api": backend,
      "/trust": backend,
      "/healthz": backend,
      "/readyz": backend,
    },
  },
});
