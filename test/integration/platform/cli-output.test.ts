import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { withSystem } from "../../../src/db/tenant.ts";
import { createOrganizationWithOwner } from "../../../src/modules/organizations/organizations.service.ts";
import { uniqueEmail } from "../../helpers/app.ts";
import { createTestDatabase } from "../../helpers/database.ts";

const run = promisify(execFile);
const CLI = path.resolve("bin/attest.js");

describe("what the CLI prints", () => {
  it("should escape control characters in an organization's name", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-cli-output-"));
    try {
      const database = await createTestDatabase({ onDisk: path.join(dir, "pg") });
      // A name chosen to clear the screen, retitle the window and reverse the line.
      const name = "Evil\u001b[2J\u001b]0;owned\u0007 \u202eCo";
      await withSystem(database.db, (tx) =>
        createOrganizationWithOwner(
          tx,
          { organizationName: name, name: "Eve\u001b[1A", email: uniqueEmail(), password: "x" },
          "not-a-real-hash",
          null,
        ),
      );
      if (database.engine === "pglite") await database.db.destroy();
      const env = { ...process.env, ...database.env, ATTEST_LOG_LEVEL: "silent" };
      try {
        const { stdout } = await run("node", [CLI, "audit", "verify"], { env });
        expect(stdout).toContain("Evil\\x1b[2J\\x1b]0;owned\\x07 \\u202eCo");
        for (const raw of ["\u001b", "\u0007", "\u202e"]) expect(stdout).not.toContain(raw);
      } finally {
        if (database.engine === "postgres") await database.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
