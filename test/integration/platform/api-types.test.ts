// The web app's API types are generated from the server's OpenAPI document (npm run
// api:types): a route or schema changed without regenerating them fails here.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { apiTypes, SCHEMA_FILE } from "../../../scripts/api-types.ts";
import { createTestDatabase } from "../../helpers/database.ts";

// The document does not depend on the database engine: checked once, on PGlite (the
// PostgreSQL project leaves this file out, in vitest.config.ts).
describe("generated API types", () => {
  it("web/src/api/schema.d.ts matches the server's OpenAPI document", {
    timeout: 120_000,
  }, async () => {
    const database = await createTestDatabase();
    try {
      const current = await apiTypes(database);
      expect(
        fs.readFileSync(SCHEMA_FILE, "utf8") === current,
        "web/src/api/schema.d.ts is stale: run `npm run api:types` and commit the result",
      ).toBe(true);
    } finally {
      await database.close();
    }
  });
});
