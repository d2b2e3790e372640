import os from "node:os";
import { defineConfig } from "vitest/config";

/**
 * Four projects: pure unit tests; the integration suite once on the embedded PGlite and once
 * on the PostgreSQL server (each test file gets its own database cloned from a migrated
 * template); and the browser tests, driving Debian's Chromium through Playwright.
 */
const integrationFiles = ["test/integration/**/*.test.ts", "src/modules/**/*.test.ts"];

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: a single worker on a two-core machine,
    // which leaves a core idle while tests wait on the database and the browser. Two at least.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "src/domain/**/*.test.ts",
            "src/platform/**/*.test.ts",
            "src/public-site/**/*.test.ts",
            "test/architecture/**/*.test.ts",
          ],
        },
      },
      {
        test: {
          name: "pglite",
          include: integrationFiles,
          // Tests of several nodes over one database server need PostgreSQL.
          exclude: ["**/*.postgres.test.ts", "**/node_modules/**"],
          env: { ATTEST_TEST_ENGINE: "pglite" },
          globalSetup: ["test/helpers/global-setup.ts"],
          setupFiles: ["test/helpers/test-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "postgres",
          include: integrationFiles,
          // The generated API types do not depend on the engine: checked on PGlite only.
          exclude: ["**/api-types.test.ts", "**/node_modules/**"],
          env: { ATTEST_TEST_ENGINE: "postgres" },
          globalSetup: ["test/helpers/global-setup.ts"],
          setupFiles: ["test/helpers/test-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/e2e/**/*.test.ts"],
          env: { ATTEST_TEST_ENGINE: "pglite" },
          // Built once here: the files then run in parallel, each with its own Chromium.
          globalSetup: ["test/helpers/build-web.ts", "test/helpers/global-setup.ts"],
          setupFiles: ["test/helpers/test-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
