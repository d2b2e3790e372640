import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "../../../src/db/tenant.ts";
import {
  type Org,
  organization,
  personByEmail,
  type ScimClient,
  scimClient,
  scimGroup,
  scimUser,
} from "../../factories.ts";
import { Client, type TestApp } from "../../helpers/app.ts";
import type { TestOidcProvider } from "../../helpers/oidc-provider.ts";
import { providerSettings, ssoSignIn, startSsoWorld, stopSsoWorld } from "../../helpers/sso.ts";

/**
 * SCIM and single sign-on together: with a provider enabled, a provisioned person gets an
 * account (no password) whose role follows their SCIM groups through the provider's mapping,
 * and who signs in through the real provider on loopback; active=false deactivates it, and
 * the provider can no longer sign them in. Without single sign-on, people only.
 */
let t: TestApp;
let idp: TestOidcProvider;

beforeAll(async () => {
  ({ t, idp } = await startSsoWorld());
});
afterAll(() => stopSsoWorld({ t, idp }));

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

function address(prefix: string, domain = "example.com") {
  return `${prefix}-${randomBytes(4).toString("hex")}@${domain}`;
}

async function withSso(): Promise<{ org: Org; scim: ScimClient }> {
  const org = await organization(t);
  const saved = await org.owner.client.request(
    "PUT",
    "/api/v1/sso/provider",
    providerSettings(idp.issuer),
  );
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return { org, scim: await scimClient(org) };
}

async function accountOf(org: Org, email: string) {
  const users = await org.owner.client.get("/api/v1/users?limit=200");
  expect(users.status).toBe(200);
  return users.body.items.find((u: { email: string }) => u.email === email);
}

async function actions(organizationId: string) {
  const rows = await withSystem(t.deps.db, (tx) =>
    tx
      .selectFrom("audit_events")
      .select(["action", "actor_type"])
      .where("organization_id", "=", organizationId)
      .execute(),
  );
  return rows.map((row) => `${row.actor_type}:${row.action}`);
}

describe("SCIM with single sign-on on", () => {
  it("gives a provisioned person an account whose role follows their groups, signed in through the provider", async () => {
    const { org, scim } = await withSso();
    const email = address("mona");
    const provisioned = await scimUser(scim, {
      userName: email,
      emails: [{ primary: true, value: email, type: "work" }],
    });
    const account = await accountOf(org, email);
    expect(account).toMatchObject({ role: "member", status: "active" });
    expect((await personByEmail(org, email)).userId).toBe(account.id);

    const engineering = await scimGroup(scim, {
      displayName: "engineering",
      members: [{ value: provisioned.id }],
    });
    expect((await accountOf(org, email)).role).toBe("editor");
    const removed = await scim.scim(
      "PATCH",
      `/Groups/${engineering.id}`,
      patch([{ op: "remove", path: `members[value eq "${provisioned.id}"]` }]),
    );
    expect([200, 204]).toContain(removed.status);
    expect((await accountOf(org, email)).role).toBe("member");
    expect(await actions(org.id)).toEqual(
      expect.arrayContaining(["scim:user.created_by_scim", "scim:user.role_changed"]),
    );

    idp.setAccount({ email, name: "Mona Lisa", groups: [] });
    const browser = new Client(t.app);
    expect(await ssoSignIn(t, idp, browser, email, org.id)).toEqual({
      status: 302,
      location: "/",
    });
    expect((await browser.get("/api/v1/me")).body.user).toMatchObject({ id: account.id });

    const off = await scim.scim(
      "PATCH",
      `/Users/${provisioned.id}`,
      patch([{ op: "Replace", path: "active", value: "False" }]),
    );
    expect(off.status).toBe(200);
    expect((await accountOf(org, email)).status).toBe("deactivated");
    expect((await browser.get("/api/v1/me")).status).toBe(401);
    const again = await ssoSignIn(t, idp, new Client(t.app), email, org.id);
    expect(again.status).toBe(302);
    expect(again.location).toMatch(/sso_error=(account_disabled|employment_ended)/);

    // A re-hire: the provider reactivates the user, the account SCIM took away comes back.
    const on = await scim.scim(
      "PATCH",
      `/Users/${provisioned.id}`,
      patch([{ op: "replace", value: { active: true } }]),
    );
    expect(on.status).toBe(200);
    expect(await accountOf(org, email)).toMatchObject({ id: account.id, status: "active" });
    expect((await personByEmail(org, email)).endDate).toBeNull();
    expect(await actions(org.id)).toContain("scim:user.reactivated");
    const rehired = new Client(t.app);
    expect(await ssoSignIn(t, idp, rehired, email, org.id)).toEqual({ status: 302, location: "/" });
    expect((await rehired.get("/api/v1/me")).body.user).toMatchObject({ id: account.id });
  });

  it("matches the mapping against a group's external id too, as Entra's object ids", async () => {
    const { org, scim } = await withSso();
    const email = address("ada");
    const provisioned = await scimUser(scim, {
      userName: email,
      emails: [{ primary: true, value: email, type: "work" }],
    });
    await scimGroup(scim, {
      displayName: "Attest administrators",
      externalId: "attest-admins",
      members: [{ value: provisioned.id }],
    });
    expect((await accountOf(org, email)).role).toBe("admin");
  });

  it("makes no account for an email the provider does not sign in, nor for an inactive user", async () => {
    const { org, scim } = await withSso();
    const outside = address("otto", "elsewhere.test");
    await scimUser(scim, {
      userName: outside,
      emails: [{ primary: true, value: outside, type: "work" }],
    });
    const inactive = address("ida");
    await scimUser(scim, {
      userName: inactive,
      emails: [{ primary: true, value: inactive, type: "work" }],
      active: false,
    });
    expect(await accountOf(org, outside)).toBeUndefined();
    expect(await accountOf(org, inactive)).toBeUndefined();
    expect((await personByEmail(org, outside)).userId).toBeNull();
  });

  it("provisions the person without an account when another organization's account holds the email", async () => {
    const { org, scim } = await withSso();
    const other = await withSso();
    const email = address("twin");
    await scimUser(other.scim, {
      userName: email,
      emails: [{ primary: true, value: email, type: "work" }],
    });
    expect(await accountOf(other.org, email)).toBeTruthy();
    const created = await scim.scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: email,
      emails: [{ primary: true, value: email, type: "work" }],
      active: true,
    });
    expect(created.status).toBe(201);
    expect(await accountOf(org, email)).toBeUndefined();
    expect((await personByEmail(org, email)).userId).toBeNull();
  });
});

describe("SCIM without single sign-on", () => {
  it("provisions people only", async () => {
    const org = await organization(t);
    const scim = await scimClient(org);
    const email = address("paul");
    await scimUser(scim, { userName: email, emails: [{ value: email, primary: true }] });
    expect(await accountOf(org, email)).toBeUndefined();
  });
});
