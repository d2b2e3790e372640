import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { runScheduledEvaluation } from "../../../src/modules/monitoring/monitor.ts";
import { retryPendingDeliveries } from "../../../src/modules/notices/notices.mail.ts";
import { forgetUnconfirmed } from "../../../src/modules/notices/notices.subscriptions.ts";
import { createOrganization, createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { type ReceivedMail, startSmtpServer } from "../../helpers/smtp.ts";

/**
 * Subscriptions with double opt-in and one-click unsubscribe, and the mail of published
 * notices, over a real SMTP server on loopback.
 */
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestApp;
let owner: Person;
beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({
    smtpUrl: smtp.url,
    mailFrom: "Notices <notices@acme.test>",
    publicUrl: "https://attest.acme.test",
  });
  owner = await createOrganization(t, "Subscribed Co");
  expect((await owner.client.post("/api/v1/trust-center/publish", {})).status).toBe(200);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

let addresses = 0;
/** Each caller its own client address, so the per-address rate limit is tested on purpose only. */
function nextIp(): string {
  addresses++;
  return `10.0.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
}

async function send(
  method: "GET" | "POST",
  url: string,
  options: { form?: Record<string, string>; json?: unknown; ip?: string } = {},
) {
  const headers: Record<string, string> = {};
  let payload: string | undefined;
  if (options.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(options.form).toString();
  } else if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(options.json);
  }
  const response = await t.app.inject({
    method,
    url,
    headers,
    remoteAddress: options.ip ?? nextIp(),
    ...(payload === undefined ? {} : { payload }),
  });
  return { status: response.statusCode, body: response.body, headers: response.headers };
}

const mailTo = (address: string, subject = "") =>
  smtp.messages.filter((m) => m.to.includes(address) && m.subject.includes(subject));

/** Waits, a bounded number of times, for `count` mails to an address (sent after the answer). */
async function waitForMail(address: string, subject: string, count = 1): Promise<ReceivedMail[]> {
  for (let i = 0; i < 400; i++) {
    const found = mailTo(address, subject);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no mail "${subject}" to ${address}`);
}

function confirmPath(mail: ReceivedMail): string {
  const match =
    /https:\/\/attest\.acme\.test(\/trust\/subscriptions\/confirm\/[A-Za-z0-9_-]+)/.exec(mail.body);
  if (!match?.[1]) throw new Error(`no confirmation link in ${mail.body}`);
  return match[1];
}

function unsubscribePath(mail: ReceivedMail): string {
  const header = mail.headers["list-unsubscribe"] ?? "";
  const match =
    /^<https:\/\/attest\.acme\.test(\/trust\/subscriptions\/unsubscribe\/[A-Za-z0-9_-]+)>$/.exec(
      header,
    );
  if (!match?.[1]) throw new Error(`no List-Unsubscribe URL in "${header}"`);
  return match[1];
}

async function subscriber(email: string) {
  const list = await owner.client.get("/api/v1/notices/subscribers?limit=200");
  expect(list.status).toBe(200);
  return list.body.items.find((s: { email: string }) => s.email === email);
}

async function subscribeAndConfirm(email: string) {
  expect((await send("POST", "/trust/subscriptions", { form: { email } })).status).toBe(200);
  const [mail] = await waitForMail(email, "Confirm your subscription");
  const confirmed = await send("POST", confirmPath(mail as ReceivedMail));
  expect(confirmed.status).toBe(200);
  expect((await subscriber(email)).status).toBe("confirmed");
}

/** The notice once its queued mail is sent (sending runs after the answer), bounded. */
async function settled(noticeId: string) {
  for (let i = 0; i < 400; i++) {
    const notice = await owner.client.get(`/api/v1/notices/${noticeId}`);
    if (notice.body.deliveries.pending === 0) return notice.body;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`mail of notice ${noticeId} still pending`);
}

async function publish(title: string, notifySubscribers = true) {
  const created = await owner.client.post("/api/v1/notices", {
    title,
    body: `About ${title}.`,
    severity: "high",
    affectedServices: ["API"],
  });
  expect(created.status).toBe(201);
  const published = await owner.client.post(`/api/v1/notices/${created.body.id}/publish`, {
    notifySubscribers,
  });
  expect(published.status).toBe(200);
  return published.body;
}

describe("subscribing with double opt-in", () => {
  it("should mail a confirmation link that the GET shows and only the POST confirms", async () => {
    const email = "Reader.One@Example.test";
    const reply = await send("POST", "/trust/subscriptions", { form: { email } });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(reply.body).toContain("Check your inbox");

    const [mail] = await waitForMail("reader.one@example.test", "Confirm your subscription");
    if (!mail) throw new Error("no mail");
    expect(mail.subject).toBe("Confirm your subscription to notices from Subscribed Co");
    expect(mail.from).toBe("notices@acme.test");
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    const path = confirmPath(mail);
    expect((await subscriber("reader.one@example.test")).status).toBe("pending");

    // A mail scanner that follows the link confirms nothing.
    const page = await send("GET", path);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<form method="post" action="${path}">`);
    expect((await send("GET", path)).status).toBe(200);
    expect((await subscriber("reader.one@example.test")).status).toBe("pending");

    const confirmed = await send("POST", path);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toContain("You are subscribed");
    const row = await subscriber("reader.one@example.test");
    expect(row.status).toBe("confirmed");
    expect(Date.parse(row.confirmedAt)).not.toBeNaN();
    // The link is used up.
    expect((await send("POST", path)).status).toBe(404);

    const actions = (
      await owner.client.get(`/api/v1/audit-events?targetId=${row.id}&limit=10`)
    ).body.items.map((e: { action: string; actorType: string }) => `${e.actorType}:${e.action}`);
    expect(actions.reverse()).toEqual([
      "anonymous:notice_subscriber.created",
      "anonymous:notice_subscriber.confirmed",
    ]);
  });

  it("should refuse an expired confirmation link", async () => {
    const email = "late.reader@example.test";
    await send("POST", "/trust/subscriptions", { json: { email } });
    const [mail] = await waitForMail(email, "Confirm your subscription");
    const path = confirmPath(mail as ReceivedMail);
    await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx
        .updateTable("notice_subscribers")
        .set({ confirm_expires_at: new Date(Date.now() - 60_000) })
        .where("email", "=", email)
        .execute(),
    );
    const page = await send("GET", path);
    expect(page.status).toBe(410);
    expect(page.body).toContain("This link has expired");
    expect((await send("POST", path)).status).toBe(410);
    expect((await subscriber(email)).status).toBe("pending");
    expect(
      (await send("POST", "/trust/subscriptions/confirm/not-a-real-token-at-all")).status,
    ).toBe(404);
  });

  it("should answer a repeated subscription of a confirmed address exactly as a new one, and change nothing", async () => {
    const email = "known.reader@example.test";
    await subscribeAndConfirm(email);
    const before = await subscriber(email);

    const known = await send("POST", "/trust/subscriptions", { json: { email } });
    const fresh = await send("POST", "/trust/subscriptions", {
      json: { email: "fresh.reader@example.test" },
    });
    expect(known.status).toBe(202);
    expect(fresh.status).toBe(202);
    expect(known.body).toBe(fresh.body);
    const knownForm = await send("POST", "/trust/subscriptions", { form: { email } });
    const freshForm = await send("POST", "/trust/subscriptions", {
      form: { email: "fresh.reader@example.test" },
    });
    expect(knownForm.body).toBe(freshForm.body);

    // A pending address gets one confirmation mail however often it is asked for (within a
    // while), and the confirmed one none. A later subscription's mail marks that all were sent.
    await send("POST", "/trust/subscriptions", { json: { email: "marker.reader@example.test" } });
    await waitForMail("marker.reader@example.test", "Confirm your subscription");
    expect(mailTo("fresh.reader@example.test", "Confirm your subscription")).toHaveLength(1);
    expect(mailTo(email, "Confirm your subscription")).toHaveLength(1);
    expect(await subscriber(email)).toEqual(before);
  });

  it("should forget addresses that never confirmed, a week after their link expired", async () => {
    const email = "never.confirms@example.test";
    await send("POST", "/trust/subscriptions", { json: { email } });
    await waitForMail(email, "Confirm your subscription");
    const row = await subscriber(email);
    await forgetUnconfirmed(t.deps, new Date());
    expect(await subscriber(email)).toBeDefined();
    await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx
        .updateTable("notice_subscribers")
        .set({ confirm_expires_at: new Date(Date.now() - 8 * 86_400_000) })
        .where("email", "=", email)
        .execute(),
    );
    await forgetUnconfirmed(t.deps, new Date());
    expect(await subscriber(email)).toBeUndefined();
    const events = await owner.client.get(
      "/api/v1/audit-events?action=notice_subscriber.unconfirmed_removed",
    );
    expect(events.body.items[0].before.ids).toContain(row.id);
  });

  it("should refuse a bad address naming the field, as a form page or as problem+json", async () => {
    const form = await send("POST", "/trust/subscriptions", {
      form: { email: "not an <address>" },
    });
    expect(form.status).toBe(400);
    expect(form.body).toContain("Enter a valid email address.");
    expect(form.body).toContain('value="not an &lt;address&gt;"');
    const json = await send("POST", "/trust/subscriptions", { json: { mail: "x@example.test" } });
    expect(json.status).toBe(400);
    expect(json.headers["content-type"]).toContain("application/problem+json");
    expect(JSON.parse(json.body).errors[0].field).toBe("email");
  });

  it("should limit subscription requests per address with 429", async () => {
    const ip = "192.0.2.77";
    const email = "eager.reader@example.test";
    for (let i = 0; i < 10; i++) {
      expect((await send("POST", "/trust/subscriptions", { json: { email }, ip })).status).toBe(
        202,
      );
    }
    const limited = await send("POST", "/trust/subscriptions", { json: { email }, ip });
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body).code).toBe("rate_limited");
    const limitedForm = await send("POST", "/trust/subscriptions", { form: { email }, ip });
    expect(limitedForm.status).toBe(429);
    expect(limitedForm.body).toContain("Too many requests");
    expect(limitedForm.body).toContain('name="email"');
    // Another address is not limited.
    expect((await send("POST", "/trust/subscriptions", { json: { email } })).status).toBe(202);
  });
});

describe("mail of published notices", () => {
  it("should mail confirmed subscribers only, once each, with one-click unsubscribe that stops later mail", async () => {
    const alice = "alice@example.test";
    const bob = "bob@example.test";
    const pending = "pending.pat@example.test";
    await subscribeAndConfirm(alice);
    await subscribeAndConfirm(bob);
    await send("POST", "/trust/subscriptions", { form: { email: pending } });
    await waitForMail(pending, "Confirm your subscription");

    const confirmed = (await owner.client.get("/api/v1/notices/subscribers?status=confirmed")).body
      .items.length;
    expect(confirmed).toBeGreaterThanOrEqual(2);
    const notice = await publish("Certificate rotation");
    const [toAlice] = await waitForMail(alice, "Certificate rotation");
    const [toBob] = await waitForMail(bob, "Certificate rotation");
    if (!toAlice || !toBob) throw new Error("no mail");
    expect(toAlice.subject).toBe("[High] Certificate rotation");
    expect(toAlice.body).toContain("About Certificate rotation.");
    expect(toAlice.body).toContain(`https://attest.acme.test/trust/notices/${notice.id}`);
    expect(toAlice.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    const bobUnsubscribe = unsubscribePath(toBob);
    expect(unsubscribePath(toAlice)).not.toBe(bobUnsubscribe);

    // Once sent, the scheduled task, run twice, and the whole scheduled run, send nothing again.
    await settled(notice.id);
    await retryPendingDeliveries(t.deps, new Date());
    await retryPendingDeliveries(t.deps, new Date());
    await runScheduledEvaluation(t.deps, t.app.log);
    expect(mailTo(alice, "Certificate rotation")).toHaveLength(1);
    expect(mailTo(bob, "Certificate rotation")).toHaveLength(1);
    expect(mailTo(pending, "Certificate rotation")).toHaveLength(0);
    const detail = { body: await settled(notice.id) };
    expect(detail.body.deliveries).toEqual({ pending: 0, sent: confirmed, failed: 0, skipped: 0 });

    // An update marked for subscribers is mailed too; one that is not, is not.
    await owner.client.post(`/api/v1/notices/${notice.id}/updates`, {
      body: "Quiet update",
      notifySubscribers: false,
    });
    await owner.client.post(`/api/v1/notices/${notice.id}/updates`, {
      body: "Loud update",
      notifySubscribers: true,
    });
    const [update] = await waitForMail(alice, "Update: [High] Certificate rotation");
    expect(update?.body).toContain("Loud update");
    expect(smtp.messages.some((m) => m.body.includes("Quiet update"))).toBe(false);

    // The unsubscribe page asks first; the one-click POST unsubscribes at once, repeatably.
    const page = await send("GET", bobUnsubscribe);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`action="${bobUnsubscribe}"`);
    expect((await subscriber(bob)).status).toBe("confirmed");
    const oneClick = await send("POST", bobUnsubscribe, {
      form: { "List-Unsubscribe": "One-Click" },
    });
    expect(oneClick.status).toBe(200);
    expect((await subscriber(bob)).status).toBe("unsubscribed");
    // Mail clients may send the same one-click POST as multipart/form-data (RFC 8058 3.1).
    const multipart = await t.app.inject({
      method: "POST",
      url: bobUnsubscribe,
      headers: { "content-type": "multipart/form-data; boundary=x" },
      payload:
        '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n',
    });
    expect(multipart.statusCode).toBe(200);
    expect(
      (await send("POST", bobUnsubscribe, { form: { "List-Unsubscribe": "One-Click" } })).status,
    ).toBe(200);
    expect(
      (await send("POST", "/trust/subscriptions/unsubscribe/no-such-token-anywhere-000")).status,
    ).toBe(404);

    await publish("Second notice");
    await waitForMail(alice, "Second notice");
    await retryPendingDeliveries(t.deps, new Date());
    expect(mailTo(bob, "Second notice")).toHaveLength(0);
    expect(mailTo(pending, "Second notice")).toHaveLength(0);

    // Publishing without notifying subscribers mails nobody.
    await publish("Silent notice", false);
    await publish("Marker notice");
    await waitForMail(alice, "Marker notice");
    expect(mailTo(alice, "Silent notice")).toHaveLength(0);
  });

  it("should send what could not be sent at publication from the scheduled task, once, even when two runs race", async () => {
    const carol = "carol@example.test";
    await subscribeAndConfirm(carol);
    const mailer = t.deps.mailer;
    t.deps.mailer = null; // SMTP not configured at publication time
    let notice: { id: string };
    try {
      notice = await publish("Published while mail was down");
    } finally {
      t.deps.mailer = mailer;
    }
    const queued = await owner.client.get(`/api/v1/notices/${notice.id}`);
    expect(queued.body.deliveries.pending).toBeGreaterThanOrEqual(1);
    expect(mailTo(carol, "Published while mail was down")).toHaveLength(0);

    await Promise.all([
      retryPendingDeliveries(t.deps, new Date()),
      retryPendingDeliveries(t.deps, new Date()),
    ]);
    await retryPendingDeliveries(t.deps, new Date());
    expect(mailTo(carol, "Published while mail was down")).toHaveLength(1);
    const sent = await owner.client.get(`/api/v1/notices/${notice.id}`);
    expect(sent.body.deliveries.pending).toBe(0);
    expect(sent.body.deliveries.sent).toBe(queued.body.deliveries.pending);
  });

  it("should let an admin list subscribers and remove one, audited", async () => {
    const dave = "dave@example.test";
    await subscribeAndConfirm(dave);
    const row = await subscriber(dave);
    const confirmed = await owner.client.get("/api/v1/notices/subscribers?status=confirmed");
    expect(confirmed.body.items.every((s: { status: string }) => s.status === "confirmed")).toBe(
      true,
    );
    expect((await owner.client.delete(`/api/v1/notices/subscribers/${row.id}`)).status).toBe(204);
    expect(await subscriber(dave)).toBeUndefined();
    const events = await owner.client.get(
      `/api/v1/audit-events?action=notice_subscriber.removed&targetId=${row.id}`,
    );
    expect(events.body.items).toHaveLength(1);
    expect((await owner.client.delete(`/api/v1/notices/subscribers/${row.id}`)).status).toBe(404);
  });
});
