import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  actionLabel,
  DESCRIBED_ACTIONS,
  type DescribableEvent,
  describeAuditEvent,
} from "./audit-sentences.ts";
import { PERMISSIONS } from "./permissions.ts";

const SRC = fileURLToPath(new URL("..", import.meta.url));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

const CODE = /["'`]([a-z][a-z_]*\.[a-z][a-z_]*)["'`]/g;

function literals(text: string): string[] {
  return [...text.matchAll(CODE)].map((m) => m[1] as string);
}

/** The text of a call's arguments: from the "(" at `open` to its matching ")". */
function argumentsAt(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}

/**
 * Every audit action code the server writes: the codes given as `action: …` (also both sides
 * of a ternary), passed to a helper whose parameter is `action: string` (`transition(…,
 * "policy.submitted")`), or listed in an `…ACTIONS = [...]` array. Then, as a net, every other
 * string of the same namespaces ("policy.…") that is not a permission or a scheduled task name,
 * so that a code written some new way still has to be described (or this test taught about it).
 */
function actionCodesInSource(): { codes: Set<string>; where: Map<string, string> } {
  const codes = new Set<string>();
  const where = new Map<string, string>();
  const texts = sourceFiles(SRC)
    .filter((file) => !path.basename(file).startsWith("audit-") || !file.includes("domain"))
    .map((file) => ({ file: path.relative(SRC, file), text: fs.readFileSync(file, "utf8") }));
  const add = (code: string, file: string) => {
    codes.add(code);
    if (!where.has(code)) where.set(code, file);
  };
  for (const { file, text } of texts) {
    for (const line of text.split("\n")) {
      const at = line.search(/\baction: /);
      if (at >= 0) for (const code of literals(line.slice(at))) add(code, file);
    }
    for (const array of text.matchAll(/[A-Z_]*ACTIONS\s*=\s*\[([^\]]*)\]/g)) {
      for (const code of literals(array[1] ?? "")) add(code, file);
    }
    const helpers = [...text.matchAll(/function (\w+)\(/g)]
      .filter((m) => /\baction: string\b/.test(argumentsAt(text, (m.index ?? 0) + m[0].length - 1)))
      .map((m) => m[1] as string);
    for (const helper of helpers) {
      for (const call of text.matchAll(new RegExp(`(?<!function )\\b${helper}\\(`, "g"))) {
        const args = argumentsAt(text, (call.index ?? 0) + call[0].length - 1);
        for (const code of literals(args)) add(code, file);
      }
    }
  }
  const namespaces = new Set([...codes].map((code) => code.split(".")[0]));
  const notActions = new Set<string>(Object.keys(PERMISSIONS));
  for (const { file, text } of texts) {
    // Scheduled jobs are named like actions ("reporting.reminders") but are not audited.
    if (file.endsWith(".jobs.ts")) {
      for (const job of text.matchAll(/name:\s*"([^"]+)"/g)) notActions.add(job[1] as string);
    }
    for (const code of literals(text)) {
      if (namespaces.has(code.split(".")[0]) && !notActions.has(code)) add(code, file);
    }
  }
  return { codes, where };
}

describe("audit sentences", () => {
  it("should describe every action code the server writes anywhere in src/", () => {
    const { codes, where } = actionCodesInSource();
    // The scan itself works: codes written each way are found.
    expect([...codes]).toEqual(
      expect.arrayContaining([
        "policy.published",
        "policy.submitted",
        "trust_document.created",
        "user.role_changed",
        "user.updated",
        "audit.exported",
      ]),
    );
    expect(codes.size).toBeGreaterThan(60);
    const missing = [...codes]
      .filter((code) => !DESCRIBED_ACTIONS.includes(code))
      .map((code) => `${code} (${where.get(code)})`);
    expect(missing).toEqual([]);
  });

  const base: DescribableEvent = {
    action: "policy.published",
    actorType: "user",
    actorId: "u1",
    actorName: "Ada Lovelace",
    targetType: "policy_version",
    targetId: "v3",
    before: { currentVersion: 2 },
    after: { policyId: "p1", currentVersion: 3 },
  };

  it("should say who approved which policy version, in words", () => {
    expect(
      describeAuditEvent(base, { name: "Access Control and Termination Policy", version: 3 }),
    ).toBe(
      "Ada Lovelace approved and published version 3 of Access Control and Termination Policy",
    );
    expect(actionLabel("policy.published")).toBe("Policy approved and published");
  });

  it("should name the fields a change touched, and the values of a role change", () => {
    const roleChange: DescribableEvent = {
      ...base,
      action: "user.role_changed",
      targetType: "user",
      targetId: "u2",
      before: { name: "Grace Hopper", role: "editor" },
      after: { name: "Grace Hopper", role: "admin" },
    };
    expect(describeAuditEvent(roleChange, { name: "Grace Hopper" })).toBe(
      "Ada Lovelace changed the role of Grace Hopper from editor to admin",
    );
    const person: DescribableEvent = {
      ...base,
      action: "person.updated",
      targetType: "person",
      before: { name: "Grace", jobRole: "Engineer", endDate: null },
      after: { name: "Grace", jobRole: "Manager", endDate: "2026-12-31" },
    };
    expect(describeAuditEvent(person, { name: "Grace" })).toBe(
      "Ada Lovelace changed the job role and end date of Grace",
    );
  });

  it("should still read sensibly when the target is gone and for actors without an account", () => {
    const deleted: DescribableEvent = {
      ...base,
      action: "notice.deleted",
      actorType: "token",
      targetType: "notice",
      before: { title: "Planned maintenance" },
      after: null,
    };
    expect(describeAuditEvent(deleted, { name: null })).toBe(
      "Ada Lovelace (API token) deleted the draft notice Planned maintenance",
    );
    const failed: DescribableEvent = {
      ...base,
      action: "auth.login_failed",
      actorType: "anonymous",
      actorName: null,
      targetType: "user",
      after: { reason: "password" },
    };
    expect(describeAuditEvent(failed, { name: "Grace Hopper" })).toBe(
      "Someone failed to sign in as Grace Hopper (wrong password)",
    );
  });

  it("should fall back to a readable form for a code it does not know", () => {
    const unknown: DescribableEvent = {
      ...base,
      action: "widget.frobnicated",
      actorType: "system",
      actorName: "scheduler",
      targetType: "widget_part",
      targetId: "w-1",
    };
    expect(describeAuditEvent(unknown, { name: null })).toBe(
      "Attest (scheduler): widget frobnicated (widget part w-1)",
    );
    expect(actionLabel("widget.frobnicated")).toBe("Widget frobnicated");
  });
});
