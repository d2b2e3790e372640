import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessSystem, account, organization, person } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { dayAgo, setAccountDates, testOf } from "./checks-helpers.ts";

/** accounts-unique through the API: each state, now and through ?asOf=, with backdated accounts. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const control = "unique-access-ids";
const test = "accounts-unique";

describe("accounts-unique", () => {
  it("should be not applicable without in-scope systems, and ignore accounts elsewhere", async () => {
    const org = await organization(t, { name: "Out Of Scope Co" });
    const internal = await accessSystem(org, { classification: "internal" });
    await account(org, { systemId: internal.id });
    expect((await testOf(org, control, test)).state).toBe("not_applicable");
  });

  it("should pass on linked and service accounts, fail on unlinked and shared ones", async () => {
    const org = await organization(t, { name: "Accounts Co" });
    const vault = await accessSystem(org, { name: "Vault", classification: "restricted" });
    const ada = await person(org, { name: "Ada" });
    const linked = await account(org, { systemId: vault.id, username: "ada", personId: ada.id });
    await account(org, { systemId: vault.id, username: "ci-bot", service: true, ownerId: ada.id });
    expect((await testOf(org, control, test)).state).toBe("passing");

    const loose = await account(org, { systemId: vault.id, username: "old-admin" });
    const shared = await account(org, { systemId: vault.id, username: "ops", shared: true });
    const failing = await testOf(org, control, test);
    expect(failing.state).toBe("failing");
    expect(failing.offenderCount).toBe(2);
    const byId = Object.fromEntries(failing.offenders.map((o) => [o.id, o]));
    expect(byId[loose.id]).toMatchObject({ kind: "account", link: `/systems/${vault.id}` });
    expect(byId[loose.id]?.action).toMatch(/linked to nobody/);
    expect(byId[shared.id]?.action).toMatch(/shared/);

    // Linking the loose account and turning the shared one into a service account: passing.
    await org.owner.client.patch(`/api/v1/accounts/${loose.id}`, { personId: ada.id });
    await org.owner.client.patch(`/api/v1/accounts/${shared.id}`, {
      service: true,
      ownerId: ada.id,
    });
    expect((await testOf(org, control, test)).state).toBe("passing");

    // The loose account existed unlinked for a while: as of then it failed.
    await setAccountDates(org, loose.id, { createdDaysAgo: 10, linkedDaysAgo: 2 });
    await setAccountDates(org, linked.id, { createdDaysAgo: 10, linkedDaysAgo: 10 });
    const then = await testOf(org, control, test, dayAgo(5));
    expect(then.state).toBe("failing");
    expect(then.offenders.map((o) => o.id)).toEqual([loose.id]);
  });

  it("should be due soon when a service account's owner leaves within the window, failing once gone", async () => {
    const org = await organization(t, { name: "Owner Leaves Co" });
    const prod = await accessSystem(org, { production: true });
    const owner = await person(org, { name: "Otto Owner" });
    const bot = await account(org, {
      systemId: prod.id,
      username: "deploy-bot",
      service: true,
      ownerId: owner.id,
    });
    await setAccountDates(org, bot.id, { createdDaysAgo: 30, linkedDaysAgo: 30 });
    const inDays = (days: number) =>
      new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    await org.owner.client.patch(`/api/v1/people/${owner.id}`, { endDate: inDays(7) });
    const dueSoon = await testOf(org, control, test);
    expect(dueSoon.state).toBe("due_soon");
    expect(dueSoon.offenders[0]).toMatchObject({ id: bot.id, state: "due_soon" });
    expect(dueSoon.offenders[0]?.action).toContain("Otto Owner");
    // As of 20 days ago the end date was more than the window away.
    expect((await testOf(org, control, test, dayAgo(20))).state).toBe("passing");
    await org.owner.client.patch(`/api/v1/people/${owner.id}`, { endDate: dayAgo(1) });
    const gone = await testOf(org, control, test);
    expect(gone.state).toBe("failing");
    expect(gone.offenders[0]?.action).toMatch(/not active/);
  });
});
