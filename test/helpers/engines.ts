import type { Engine } from "../../src/db/database.ts";

/** The PostgreSQL server the tests use; each test file gets its own database on it. */
export const TEST_POSTGRES_URL =
  process.env.ATTEST_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export function testEngine(): Engine {
  const engine = process.env.ATTEST_TEST_ENGINE ?? "pglite";
  if (engine !== "pglite" && engine !== "postgres") {
    throw new Error(`ATTEST_TEST_ENGINE must be pglite or postgres, not ${engine}`);
  }
  return engine;
}

export function postgresUrlFor(database: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
