import os from "node:os";
import { defineConfig } from "vitest/config";

/**
 * Four projects: pure unit tests; the integration suite on the PostgreSQL server and the part of
 * it that concerns the embedded engine on PGlite (each test file gets its own database cloned
 * from a migrated template); and the browser tests, driving Debian's Chromium through
 * Playwright over PGlite.
 */
const integrationFiles = ["test/integration/**/*.test.ts", "src/modules/**/*.test.ts"];

/**
 * What runs on PGlite too. Both engines run PostgreSQL's own code (PGlite is PostgreSQL
 * compiled to WebAssembly) behind the same type parsers, so the whole suite runs once, on the
 * server, and the embedded engine gets what can differ there: every route called by every role
 * and across tenants (which also catches a query made outside its transaction, a hang on
 * PGlite's single connection), migrations, concurrent writes, the CLI over a data directory and
 * its lock, the demo, backups and restores of a data directory, and key rotation. The browser
 * suite, every area's main journey, runs over PGlite as well.
 * `ATTEST_TEST_PGLITE=all` runs every integration file on PGlite too.
 */
const embeddedFiles =
  process.env.ATTEST_TEST_PGLITE === "all"
    ? integrationFiles
    : [
        "test/integration/platform/roles.test.ts",
        "test/integration/platform/tenant-isolation.test.ts",
        "test/integration/platform/migrations.test.ts",
        "test/integration/platform/concurrent-writes.test.ts",
        "test/integration/platform/cli-*.test.ts",
        "test/integration/platform/demo.test.ts",
        "test/integration/platform/api-types.test.ts",
        "test/integration/backup/**/*.test.ts",
        "test/integration/keys/**/*.test.ts",
        "**/*.pglite.test.ts",
      ];

/** expect.poll waits up to this long: a page under a loaded machine can take seconds. */
const expectations = { poll: { timeout: 15_000 } };

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

// Whether a file is one of `globs`: a file named, a directory's tests, or a suffix anywhere.
function within(globs: string[], file: string): boolean {
  return globs.some((glob) => {
    if (!glob.includes("*")) return glob === file;
    const [dir, rest] = glob.split("**/");
    return dir ? file.startsWith(dir) : file.endsWith((rest ?? "").replace("*", ""));
  });
}

/** An engine's integration suite: `<engine>` shares modules, `<engine>-isolated` does not. */
function integrationProjects(
  engine: "pglite" | "postgres",
  { include, exclude }: { include: string[]; exclude: string[] },
) {
  const common = {
    expect: expectations,
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
        include,
        exclude: [...exclude, ...isolatedFiles, "**/node_modules/**"],
        isolate: false,
      },
    },
    {
      test: {
        ...common,
        name: `${engine}-isolated`,
        include: isolatedFiles.filter((file) => within(include, file)),
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
          expect: expectations,
          include: [
            "src/domain/**/*.test.ts",
            "src/platform/**/*.test.ts",
            "src/public-site/**/*.test.ts",
            "test/architecture/**/*.test.ts",
          ],
        },
      },
      ...integrationProjects("pglite", {
        include: embeddedFiles,
        // Tests of several nodes over one database server need PostgreSQL.
        exclude: ["**/*.postgres.test.ts"],
      }),
      ...integrationProjects("postgres", {
        include: integrationFiles,
        // The generated API types do not depend on the engine: checked on PGlite only.
        exclude: ["**/api-types.test.ts"],
      }),
      {
        test: {
          name: "browser",
          expect: expectations,
          include: ["test/e2e/**/*.test.ts"],
          env: { ATTEST_TEST_ENGINE: "pglite" },
          // Built once here: the files then run in parallel, each with its own Chromium.
          globalSetup: ["test/helpers/build-web.ts", "test/helpers/global-setup.ts"],
          setupFiles: ["test/helpers/test-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          isolate: false,
        },
      },
    ],
  },
});
