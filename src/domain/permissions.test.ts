import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, permissionsOf, ROLES } from "./permissions.ts";

describe("permissions", () => {
  it("should give every role read access to controls and their own account", () => {
    for (const role of ROLES) {
      expect(can(role, "controls.read")).toBe(true);
      expect(can(role, "account.self")).toBe(true);
    }
  });

  it("should keep auditors read-only", () => {
    const writes = (Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]).filter(
      // incidents.lessons reads the lessons learned shared with the whole team.
      (p) =>
        !p.endsWith(".read") &&
        p !== "account.self" &&
        p !== "tokens.manage" &&
        p !== "incidents.lessons",
    );
    expect(writes.length).toBeGreaterThan(0);
    for (const permission of writes) expect(can("auditor", permission)).toBe(false);
  });

  it("should let only owners and admins manage people", () => {
    expect(ROLES.filter((r) => can(r, "users.manage"))).toEqual(["owner", "admin"]);
    expect(permissionsOf("member")).not.toContain("audit.read");
  });
});
