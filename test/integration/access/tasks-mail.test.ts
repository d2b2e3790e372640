import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { sendTaskMail } from "../../../src/modules/access/access.jobs.ts";
import {
  apiPerson,
  type Org,
  organization,
  ownedSystem,
  personIdOfUser,
  sqlRoleRule,
  user,
} from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";

/**
 * The system owner's mail about their access tasks, over a real SMTP server on loopback: new
 * tasks once, overdue ones at most once a day, nothing for done tasks.
 */
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestApp;
let org: Org;
let owner: Person;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({
    smtpUrl: smtp.url,
    mailFrom: "Attest <attest@acme.test>",
    publicUrl: "https://attest.acme.test",
  });
  org = await organization(t, { name: "Mail Co" });
  owner = await user(org, "member", { name: "Otto Owner" });
  const system = await ownedSystem(org, {
    ownerId: await personIdOfUser(org.owner.client, owner.id),
    name: "Payroll",
  });
  await sqlRoleRule(org, { jobRole: "Finance", systemId: system.id, systemRole: "clerk" });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe("access task mail", () => {
  it("mails the assignee their new tasks once, then overdue ones at most once a day", async () => {
    const personId = await apiPerson(org, { jobRole: "Finance", name: "Fiona Finance" });
    const sent = await sendTaskMail(t.deps);
    expect(sent).toBe(1);
    const mail = smtp.messages.at(-1);
    expect(mail?.to).toEqual([owner.email.toLowerCase()]);
    expect(mail?.subject).toBe("New: 1 access task on your systems");
    expect(mail?.body).toContain("Give Fiona Finance's access on Payroll");
    expect(mail?.body).toContain("https://attest.acme.test/access/tasks");
    expect(await sendTaskMail(t.deps)).toBe(0);

    // Overdue, last mailed two days ago: mailed again, once.
    await withTenant(t.deps.db, org.id, (tx) =>
      sql`update access_tasks set due_at = now() - interval '1 day',
            notified_at = now() - interval '2 days' where person_id = ${personId}`.execute(tx),
    );
    expect(await sendTaskMail(t.deps)).toBe(1);
    expect(smtp.messages.at(-1)?.subject).toBe("Overdue: 1 access task on your systems");
    expect(await sendTaskMail(t.deps)).toBe(0);

    // Done tasks are never mailed.
    const tasks = await owner.client.get(`/api/v1/access-tasks?personId=${personId}`);
    await owner.client.post(`/api/v1/access-tasks/${tasks.body.items[0].id}/complete`, {});
    await withTenant(t.deps.db, org.id, (tx) =>
      sql`update access_tasks set notified_at = now() - interval '2 days'
            where person_id = ${personId}`.execute(tx),
    );
    expect(await sendTaskMail(t.deps)).toBe(0);
  });
});
