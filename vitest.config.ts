import os from "node:os";
import { defineConfig } from "vitest/config";

/**
 * Four projects: pure unit tests; the integration suite once on the embedded PGlite and once
 * on the PostgreSQL server (each test file gets its own database cloned from a migrated
 * template); and the browser tests, driving Debian's Chromium through Playwright.
 */
const integrationFiles = ["test/integration/**/*.test.ts", "src/modules/**/*.test.ts"];

/**
 * Files that change what every other file in their worker would see: a control test registered
 * for good, a module replaced by vi.mock. They run in projects of their own, one fresh module
 * graph per file (vitest's isolation); the rest share their worker's modules, and so import
 * the server once per worker rather than once per file.
 */
const isolatedFiles = [
  "test/integration/monitoring/monitoring.test.ts",
  "test/integration/people/people-lifecycle.test.ts",
  // builds a server of its own and compares its OpenAPI document byte for byte: kept apart from
  // whatever the other files' servers left registered in a shared worker
  "test/integration/platform/api-types.test.ts",
];

/** An engine's integration suite: `<engine>` shares modules, `<engine>-isolated` does not. */
function integrationProjects(engine: "pglite" | "postgres", { exclude }: { exclude: string[] }) {
  const common = {
    env: { ATTEST_TEST_ENGINE: engine },
    globalSetup: ["test/helpers/global-setup.ts"],
    setupFiles: ["test/helpers/test-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  };
  return [
    {
      test: {
        ...common,
        name: engine,
        include: integrationFiles,
        exclude: [...exclude, ...isolatedFiles, "**/node_modules/**"],
        isolate: false,
      },
    },
    {
      test: {
        ...common,
        name: `${engine}-isolated`,
        include: isolatedFiles,
        exclude: [...exclude, "**/node_modules/**"],
        isolate: true,
      },
    },
  ];
}

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
      ...integrationProjects("pglite", {
        // Tests of several nodes over one database server need PostgreSQL.
        exclude: ["**/*.postgres.test.ts"],
      }),
      ...integrationProjects("postgres", {
        // The generated API types do not depend on the engine: checked on PGlite only.
        exclude: ["**/api-types.test.ts"],
      }),
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
