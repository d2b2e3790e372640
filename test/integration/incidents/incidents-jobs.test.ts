import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { addEntry } from "../../../src/modules/incidents/incidents.core.ts";
import {
  incidentJobs,
  sendTriageReminders,
  sendUpdateReminders,
} from "../../../src/modules/incidents/incidents.jobs.ts";
import { type Org, organization, storedIncident, user } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";

/**
 * The incidents' reminders, mailed over real SMTP on loopback: the owners and admins before an
 * untriaged incident's triage deadline (in its last quarter), once per incident; an open
 * incident's owner before the update interval of its severity runs out, once per deadline (a
 * new timeline entry sets a new one).
 */
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestApp;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({ smtpUrl: smtp.url, mailFrom: "Attest <attest@acme.test>" });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const HOUR_MS = 3_600_000;
const later = (hours: number) => new Date(Date.now() + hours * HOUR_MS);

/** The mail that arrived since `from` for the given addresses. */
function mailTo(from: number, ...emails: string[]) {
  return smtp.messages
    .slice(from)
    .filter((m) => m.to.some((to) => emails.includes(to)))
    .map((m) => ({ to: m.to, subject: m.subject, body: m.body }));
}

async function team(name: string) {
  const org = await organization(t, { name });
  const admin = await user(org, "admin", { name: `Ada Admin of ${name}` });
  const editor = await user(org, "editor", { name: `Eve Editor of ${name}` });
  const member = await user(org, "member", { name: `Max Member of ${name}` });
  return { org, admin, editor, member };
}

const emails = (...people: { email: string }[]) => people.map((p) => p.email);

describe("triage reminders", () => {
  it("go to the owners and admins once, in the last quarter of the triage window", async () => {
    const { org, admin, editor, member } = await team("Triage Co");
    const everyone = emails(org.owner, admin, editor, member);
    const soon = await storedIncident(org, {
      title: "Phishing wave",
      reportedHoursAgo: 20,
      triagedHoursAgo: null,
    });
    const fresh = await storedIncident(org, { reportedHoursAgo: 2, triagedHoursAgo: null });
    await storedIncident(org, { reportedHoursAgo: 23, triagedHoursAgo: 22 });

    const before = smtp.messages.length;
    await sendTriageReminders(t.deps);
    const mail = mailTo(before, ...everyone);
    expect(mail.map((m) => m.to[0]).sort()).toEqual(emails(org.owner, admin).sort());
    expect(mail[0]?.subject).toBe("Due soon: triage INC-0001 Phishing wave");
    expect(mail[0]?.body).toContain(
      "Triage these incidents (set a severity and an owner) within 24 hours of their report:",
    );
    expect(mail[0]?.body).toContain(`- INC-0001 Phishing wave: due by `);
    expect(mail[0]?.body).toContain(`/incidents/${soon.id}`);
    expect(mail[0]?.body).not.toContain("INC-0003");

    // Not twice.
    const again = smtp.messages.length;
    await sendTriageReminders(t.deps);
    expect(mailTo(again, ...everyone)).toEqual([]);

    // The fresh one comes due 18 hours after its report; by then overdue is said so.
    const next = smtp.messages.length;
    await sendTriageReminders(t.deps, later(17));
    const due = mailTo(next, ...everyone);
    expect(due).toHaveLength(2);
    expect(due[0]?.subject).toBe("Due soon: triage INC-0002 Incident INC-0002");
    expect(due[0]?.body).toContain(`/incidents/${fresh.id}`);
    const last = smtp.messages.length;
    await sendTriageReminders(t.deps, later(40));
    expect(mailTo(last, ...everyone)).toEqual([]);
  });

  it("say overdue when the deadline has passed, and skip incidents of other organizations", async () => {
    const { org, admin } = await team("Overdue Co");
    const other = await team("Bystander Co");
    await storedIncident(org, { reportedHoursAgo: 30, triagedHoursAgo: null });
    await storedIncident(org, {
      title: "Lost laptop",
      reportedHoursAgo: 19,
      triagedHoursAgo: null,
    });
    const before = smtp.messages.length;
    await sendTriageReminders(t.deps);
    const mail = mailTo(before, ...emails(org.owner, admin));
    expect(mail).toHaveLength(2);
    expect(mail[0]?.subject).toBe("Overdue: triage 2 incidents");
    expect(mail[0]?.body).toMatch(/- INC-0001 Incident INC-0001: due by .+ UTC \(overdue\) http/);
    expect(mail[0]?.body).toMatch(/- INC-0002 Lost laptop: due by .+ UTC http/);
    expect(mailTo(before, ...emails(other.org.owner, other.admin))).toEqual([]);
  });
});

describe("update reminders", () => {
  async function note(org: Org, incidentId: string) {
    await withTenant(t.deps.db, org.id, (tx) =>
      addEntry(tx, org.id, {
        incidentId,
        kind: "note",
        body: "Rotated the keys.",
        authorId: org.owner.id,
      }),
    );
  }

  it("go to the incident's owner once per deadline", async () => {
    const { org, admin, editor, member } = await team("Update Co");
    const everyone = emails(org.owner, admin, editor, member);
    const high = await storedIncident(org, {
      title: "Credential stuffing",
      severity: "high",
      ownerId: editor.id,
      reportedHoursAgo: 100,
      triagedHoursAgo: 98,
      lastNoteHoursAgo: 60,
    });
    // A medium incident updated a day ago is not due; a resolved one never is.
    await storedIncident(org, { reportedHoursAgo: 100, triagedHoursAgo: 98, lastNoteHoursAgo: 24 });
    await storedIncident(org, {
      severity: "critical",
      ownerId: editor.id,
      reportedHoursAgo: 100,
      triagedHoursAgo: 98,
      resolvedHoursAgo: 90,
    });

    const before = smtp.messages.length;
    await sendUpdateReminders(t.deps);
    const mail = mailTo(before, ...everyone);
    expect(mail.map((m) => m.to)).toEqual([[editor.email]]);
    expect(mail[0]?.subject).toBe("Due soon: update INC-0001 Credential stuffing");
    expect(mail[0]?.body).toContain(
      "These incidents you own need a timeline entry (a note, an action or a status change) before the interval of their severity runs out:",
    );
    expect(mail[0]?.body).toContain(`/incidents/${high.id}`);

    const again = smtp.messages.length;
    await sendUpdateReminders(t.deps);
    expect(mailTo(again, ...everyone)).toEqual([]);

    // A new entry sets a new deadline, 3 days on: warned of again 54 hours after it.
    await note(org, high.id);
    const quiet = smtp.messages.length;
    await sendUpdateReminders(t.deps, later(50));
    expect(mailTo(quiet, editor.email)).toEqual([]);
    await sendUpdateReminders(t.deps, later(55));
    await sendUpdateReminders(t.deps, later(56));
    const renewed = mailTo(quiet, ...everyone);
    expect(renewed.map((m) => [m.to, m.subject])).toEqual([
      [[editor.email], "Due soon: update INC-0001 Credential stuffing"],
    ]);
  });

  it("are tried again on the next run when the owner's mail was refused", async () => {
    const { org, editor } = await team("Refused Co");
    const { id } = await storedIncident(org, {
      severity: "critical",
      ownerId: editor.id,
      reportedHoursAgo: 30,
      triagedHoursAgo: 20,
    });
    const address = editor.email.toLowerCase();
    smtp.refused.add(address);
    try {
      await sendUpdateReminders(t.deps);
    } finally {
      smtp.refused.delete(address);
    }
    const claim = await withTenant(t.deps.db, org.id, (tx) =>
      tx
        .selectFrom("incidents")
        .select("update_reminded_for")
        .where("id", "=", id)
        .executeTakeFirstOrThrow(),
    );
    expect(claim.update_reminded_for).toBeNull();
    const before = smtp.messages.length;
    await sendUpdateReminders(t.deps);
    await sendUpdateReminders(t.deps);
    expect(mailTo(before, editor.email).map((m) => m.subject)).toEqual([
      "Due soon: update INC-0001 Incident INC-0001",
    ]);
  });

  it("run from the scheduled job with the triage reminders, each once", async () => {
    const { org, admin } = await team("Scheduled Co");
    await storedIncident(org, { reportedHoursAgo: 20, triagedHoursAgo: null });
    await storedIncident(org, {
      severity: "critical",
      reportedHoursAgo: 40,
      triagedHoursAgo: 38,
    });
    const job = incidentJobs.find((j) => j.name === "incidents.reminders");
    if (!job) throw new Error("no incidents.reminders job");
    const before = smtp.messages.length;
    await job.run(t.deps, new Date(), t.app.log);
    await job.run(t.deps, new Date(), t.app.log);
    const mail = mailTo(before, ...emails(org.owner, admin));
    expect(mail.map((m) => [m.to[0], m.subject]).sort()).toEqual(
      [
        [org.owner.email, "Due soon: triage INC-0001 Incident INC-0001"],
        [admin.email, "Due soon: triage INC-0001 Incident INC-0001"],
        [org.owner.email, "Overdue: update INC-0002 Incident INC-0002"],
      ].sort(),
    );
  });
});
