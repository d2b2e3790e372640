import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addPerson,
  Client,
  createOrganization,
  createTestApp,
  PASSWORD,
  type Reply,
  type TestApp,
  uniqueEmail,
} from "../../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function expectProblem(reply: Reply, status: number, code: string) {
  expect(reply.status).toBe(status);
  expect(String(reply.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({ status, code, type: expect.any(String) });
  expect(reply.body.requestId).toBe(reply.headers["x-request-id"]);
}

describe("CSRF protection", () => {
  it("should refuse a cookie-authenticated write without the X-CSRF-Token header or with a wrong one, and accept the right one", async () => {
    const owner = await createOrganization(t, "CSRF Co");
    const client = owner.client;
    const right = client.csrfToken ?? "";
    const tokensBefore = (await client.get("/api/v1/tokens")).body.items;

    client.csrfToken = undefined;
    const missing = await client.post("/api/v1/tokens", { name: "no csrf" });
    expectProblem(missing, 403, "csrf_failed");
    const wrong = await client.request(
      "POST",
      "/api/v1/tokens",
      { name: "wrong csrf" },
      {
        "x-csrf-token": `${right.slice(0, -1)}${right.endsWith("a") ? "b" : "a"}`,
      },
    );
    expectProblem(wrong, 403, "csrf_failed");
    const short = await client.request(
      "POST",
      "/api/v1/tokens",
      { name: "short csrf" },
      { "x-csrf-token": right.slice(0, 5) },
    );
    expectProblem(short, 403, "csrf_failed");
    const empty = await client.request(
      "PATCH",
      "/api/v1/organization",
      { name: "Hijacked" },
      { "x-csrf-token": "" },
    );
    expectProblem(empty, 403, "csrf_failed");
    expect((await client.get("/api/v1/tokens")).body.items).toEqual(tokensBefore);
    expect((await client.get("/api/v1/organization")).body.name).toBe("CSRF Co");

    client.csrfToken = right;
    const ok = await client.post("/api/v1/tokens", { name: "with csrf" });
    expect(ok.status).toBe(201);
  });

  it("should not accept another session's CSRF token", async () => {
    const owner = await createOrganization(t, "CSRF Swap Co");
    const admin = await addPerson(t, owner, "admin");
    const reply = await owner.client.request(
      "PATCH",
      "/api/v1/organization",
      { name: "Swapped" },
      { "x-csrf-token": admin.client.csrfToken ?? "" },
    );
    expectProblem(reply, 403, "csrf_failed");
    expect((await owner.client.get("/api/v1/organization")).body.name).toBe("CSRF Swap Co");
  });

  it("should check CSRF on signed-in routes too, such as logout", async () => {
    const owner = await createOrganization(t, "CSRF Logout Co");
    const right = owner.client.csrfToken;
    owner.client.csrfToken = undefined;
    expectProblem(await owner.client.post("/api/v1/auth/logout"), 403, "csrf_failed");
    expect((await owner.client.get("/api/v1/me")).status).toBe(200);
    owner.client.csrfToken = right;
    expect((await owner.client.post("/api/v1/auth/logout")).status).toBe(204);
    expect((await owner.client.get("/api/v1/me")).status).toBe(401);
  });

  it("should need no CSRF token for reads with the cookie", async () => {
    const owner = await createOrganization(t, "CSRF Reads Co");
    owner.client.csrfToken = undefined;
    for (const url of ["/api/v1/me", "/api/v1/controls", "/api/v1/users", "/api/v1/tokens"]) {
      expect({ url, status: (await owner.client.get(url)).status }).toEqual({ url, status: 200 });
    }
  });

  it("should need no CSRF token for writes made with an API token", async () => {
    const owner = await createOrganization(t, "CSRF Bearer Co");
    const token = (await owner.client.post("/api/v1/tokens", { name: "script" })).body.token;
    const script = new Client(t.app);
    script.bearer = token;
    const patched = await script.patch("/api/v1/organization", { name: "Renamed by Script" });
    expect(patched.status).toBe(200);
    const created = await script.post("/api/v1/tokens", { name: "made by script" });
    expect(created.status).toBe(201);
    const revoked = await script.delete(`/api/v1/tokens/${created.body.id}`);
    expect(revoked.status).toBe(204);
  });

  it("should ask for no CSRF token on public routes such as sign-in", async () => {
    const owner = await createOrganization(t, "CSRF Public Co");
    const client = new Client(t.app);
    expect((await client.login(owner.email)).status).toBe(200);
  });
});

describe("rate limiting", () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({ loginRateLimit: 3 });
  });
  afterAll(() => limited.close());

  function send(
    method: "POST" | "GET",
    url: string,
    payload: object | undefined,
    remoteAddress: string,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return limited.app.inject({
      method,
      url,
      remoteAddress,
      headers,
      ...(payload ? { payload } : {}),
    });
  }

  function asReply(response: LightMyRequestResponse): Reply {
    return { status: response.statusCode, body: response.json(), headers: response.headers };
  }

  it("should refuse the fourth sign-in within a minute from one address, even with the right password", async () => {
    const owner = await createOrganization(limited, "Limited Co");
    const ip = "203.0.113.10";
    for (let i = 0; i < 3; i++) {
      const attempt = await send(
        "POST",
        "/api/v1/auth/login",
        { email: owner.email, password: "wrong password guess" },
        ip,
      );
      expect(attempt.statusCode).toBe(401);
    }
    const fourth = await send(
      "POST",
      "/api/v1/auth/login",
      { email: owner.email, password: PASSWORD },
      ip,
    );
    expectProblem(asReply(fourth), 429, "rate_limited");
    expect(fourth.headers["set-cookie"]).toBeUndefined();
    expect(Number(fourth.headers["retry-after"])).toBeGreaterThan(0);

    // A forged X-Forwarded-For does not get around it (the proxy is not trusted).
    const forged = await send(
      "POST",
      "/api/v1/auth/login",
      { email: owner.email, password: PASSWORD },
      ip,
      { "x-forwarded-for": "198.51.100.77" },
    );
    expect(forged.statusCode).toBe(429);

    // Another address is not affected.
    const elsewhere = await send(
      "POST",
      "/api/v1/auth/login",
      { email: owner.email, password: PASSWORD },
      "203.0.113.11",
    );
    expect(elsewhere.statusCode).toBe(200);
  });

  it("should limit first-run setup the same way", async () => {
    const ip = "203.0.113.20";
    for (let i = 0; i < 3; i++) {
      const attempt = await send(
        "POST",
        "/api/v1/setup",
        { organizationName: "X", name: "Y", email: "bad", password: "short" },
        ip,
      );
      expect(attempt.statusCode).toBe(400);
    }
    const fourth = await send(
      "POST",
      "/api/v1/setup",
      {
        organizationName: "Late Co",
        name: "Late Owner",
        email: uniqueEmail("late"),
        password: PASSWORD,
      },
      ip,
    );
    expectProblem(asReply(fourth), 429, "rate_limited");
  });

  it("should limit invitation acceptance the same way", async () => {
    const owner = await createOrganization(limited, "Invites Limited Co");
    const invited = await owner.client.post("/api/v1/users", {
      email: uniqueEmail("invitee"),
      name: "Invitee",
      role: "member",
    });
    expect(invited.status).toBe(201);
    const token = new URL(invited.body.inviteUrl).pathname.split("/").at(-1);
    const ip = "203.0.113.30";
    for (let i = 0; i < 3; i++) {
      const guess = await send(
        "POST",
        `/api/v1/invitations/guessed-token-${i}-${"x".repeat(20)}/accept`,
        { name: "Guesser", password: PASSWORD },
        ip,
      );
      expect(guess.statusCode).toBe(404);
    }
    const fourth = await send(
      "POST",
      `/api/v1/invitations/${token}/accept`,
      { name: "Invitee", password: PASSWORD },
      ip,
    );
    expectProblem(asReply(fourth), 429, "rate_limited");
    // The invitation is still open for the invitee from elsewhere.
    const elsewhere = await send(
      "POST",
      `/api/v1/invitations/${token}/accept`,
      { name: "Invitee", password: PASSWORD },
      "203.0.113.31",
    );
    expect(elsewhere.statusCode).toBe(200);
  });

  it("should not limit ordinary reads", async () => {
    const owner = await createOrganization(limited, "Reads Co");
    for (let i = 0; i < 8; i++) {
      expect((await owner.client.get("/api/v1/controls")).status).toBe(200);
    }
  });
});

describe("security headers", () => {
  function expectSecurityHeaders(headers: LightMyRequestResponse["headers"]) {
    expect(String(headers["content-security-policy"])).toContain("frame-ancestors 'none'");
    expect(String(headers["content-security-policy"])).toContain("default-src 'self'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["strict-transport-security"]).toBeUndefined();
  }

  it("should send them on API responses, with no-store caching, successes and problems alike", async () => {
    const owner = await createOrganization(t, "Headers Co");
    for (const reply of [
      await owner.client.get("/api/v1/controls"),
      await owner.client.get("/api/v1/me"),
      await new Client(t.app).get("/api/v1/me"),
      await owner.client.get("/api/v1/users/not-a-uuid"),
      await owner.client.get("/api/v1/no-such-thing"),
    ]) {
      expectSecurityHeaders(reply.headers);
      expect(reply.headers["cache-control"]).toBe("no-store");
    }
  });

  it("should send them on the web app's pages and on the health checks", async () => {
    for (const url of ["/", "/controls", "/some/client/route?x=1", "/healthz", "/readyz"]) {
      const response = await t.app.inject({ method: "GET", url });
      expect({ url, status: response.statusCode < 500 || response.statusCode === 503 }).toEqual({
        url,
        status: true,
      });
      expectSecurityHeaders(response.headers);
    }
  });

  it("should send no HSTS header without TLS", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/v1/setup" });
    expect(response.headers["strict-transport-security"]).toBeUndefined();
  });
});

describe("the session cookie", () => {
  function sessionCookie(response: Reply): string {
    const header = response.headers["set-cookie"];
    const all = Array.isArray(header) ? header : [String(header ?? "")];
    const cookie = all.find((c) => c.startsWith("attest_session="));
    expect(cookie).toBeDefined();
    return cookie ?? "";
  }

  it("should be HttpOnly and SameSite=Lax, and not Secure over plain HTTP", async () => {
    const owner = await createOrganization(t, "Cookie Co");
    const client = new Client(t.app);
    const login = await client.login(owner.email);
    expect(login.status).toBe(200);
    const cookie = sessionCookie(login);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
    // The session token is not in the response body, only in the cookie.
    const token = cookie.split(";")[0]?.split("=")[1] ?? "";
    expect(token.length).toBeGreaterThan(20);
    expect(JSON.stringify(login.body)).not.toContain(token);
  });

  describe("with an https public URL", () => {
    let secure: TestApp;
    beforeAll(async () => {
      secure = await createTestApp({ publicUrl: "https://attest.example.test" });
    });
    afterAll(() => secure.close());

    it("should be Secure, on sign-in and on sign-out", async () => {
      const owner = await createOrganization(secure, "Secure Cookie Co");
      const client = new Client(secure.app);
      const login = await client.login(owner.email);
      expect(login.status).toBe(200);
      const cookie = sessionCookie(login);
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
      const logout = await client.post("/api/v1/auth/logout");
      expect(logout.status).toBe(204);
      const cleared = sessionCookie(logout);
      expect(cleared).toMatch(/;\s*Secure/i);
      expect(cleared).toMatch(/;\s*HttpOnly/i);
    });
  });
});

describe("health, docs and problems", () => {
  it("should answer /healthz and /readyz", async () => {
    const health = await t.app.inject({ method: "GET", url: "/healthz" });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: "ok" });
    const ready = await t.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: "ready" });
  });

  it("should answer an unknown API path with a 404 problem, for any method", async () => {
    const client = new Client(t.app);
    for (const [method, url] of [
      ["GET", "/api/v1/nothing-here"],
      ["POST", "/api/v1/nothing-here"],
      ["DELETE", "/api/v2/controls"],
      ["GET", "/api"],
      ["GET", "/api/v1/controls/bcdr-policy/nope?x=1"],
    ] as const) {
      const reply = await client.request(method, url, method === "GET" ? undefined : {});
      expectProblem(reply, 404, "not_found");
      expect(reply.body.detail).toContain(url.split("?")[0]);
    }
  });

  it("should serve an OpenAPI 3 document that lists the API", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/docs/json" });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toBe("Attest API");
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/controls",
        "/api/v1/controls/{key}",
        "/api/v1/setup",
        "/api/v1/auth/login",
        "/api/v1/users",
      ]),
    );
    expect(Object.keys(document.paths["/api/v1/controls"])).toContain("get");
    expect(Object.keys(document.paths["/api/v1/setup"]).sort()).toEqual(["get", "post"]);
    // Every API route of the application is documented.
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations as object).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    for (const route of t.app.attestRoutes.filter((r) => r.url.startsWith("/api/v1/"))) {
      const path = route.url.replace(/:(\w+)/g, "{$1}");
      expect(documented).toContain(`${route.method} ${path}`);
    }
  });

  it("should carry an x-request-id on every response, equal to the problem's requestId", async () => {
    const owner = await createOrganization(t, "Request Id Co");
    const anonymous = new Client(t.app);
    const problems: Reply[] = [
      await anonymous.get("/api/v1/me"),
      await owner.client.get("/api/v1/users/not-a-uuid"),
      await owner.client.get("/api/v1/nothing"),
      await owner.client.request("POST", "/api/v1/tokens", "{", {
        "content-type": "application/json",
      }),
      await owner.client.request("POST", "/api/v1/tokens", "name=x", {
        "content-type": "application/x-www-form-urlencoded",
      }),
      await owner.client.request("POST", "/api/v1/tokens", { name: "x" }, { "x-csrf-token": "no" }),
      await owner.client.get("/api/v1/controls/unknown-control"),
    ];
    const ids = new Set<string>();
    for (const reply of problems) {
      const id = String(reply.headers["x-request-id"]);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(reply.body.requestId).toBe(id);
      ids.add(id);
    }
    expect(ids.size).toBe(problems.length);
    for (const url of ["/healthz", "/readyz", "/", "/api/docs/json"]) {
      const response = await t.app.inject({ method: "GET", url });
      expect(String(response.headers["x-request-id"])).toMatch(/^[0-9a-f-]{36}$/);
    }
    const ok = await owner.client.get("/api/v1/me");
    expect(ok.status).toBe(200);
    expect(String(ok.headers["x-request-id"])).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("should not take a request id from the client", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { "x-request-id": "attacker-chosen-id" },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers["x-request-id"]).not.toBe("attacker-chosen-id");
    expect(response.json().requestId).toBe(response.headers["x-request-id"]);
  });

  it("should record the request id of a change on its audit event", async () => {
    const owner = await createOrganization(t, "Trace Co");
    const reply = await owner.client.patch("/api/v1/organization", { name: "Trace Co Renamed" });
    expect(reply.status).toBe(200);
    const events = await owner.client.get("/api/v1/audit-events?action=organization.updated");
    expect(events.body.items[0].requestId).toBe(reply.headers["x-request-id"]);
  });
});
