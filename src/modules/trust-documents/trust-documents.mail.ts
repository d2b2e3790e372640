import type { FastifyBaseLogger } from "fastify";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import { PERMISSIONS } from "../../domain/permissions.ts";
import type { Deps } from "../../platform/deps.ts";
import { appUrl } from "../../platform/links.ts";
import { absoluteUrl, publicBaseOf } from "../../public-site/links.ts";
import { activeUsersWithRoles } from "../users/users.queries.ts";
import type { RequestView } from "./trust-documents.schema.ts";

/**
 * Mail about access requests: the deciders hear of each new request, the requester of the
 * decision (with the link on approval). Sending happens after the change is committed; a
 * failure is logged and reported to the caller, never undoes the decision.
 */

/** Active users who may decide on requests: they hear of new ones. */
export async function deciders(tx: Tx) {
  const users = await activeUsersWithRoles(tx, PERMISSIONS["trust.manage"]);
  return users.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

/**
 * The link of an approved request: on the trust host, or at /trust under ATTEST_PUBLIC_URL
 * (never under the Host header of the request that asked for it).
 */
export function accessUrl(deps: Deps, token: string): string {
  return absoluteUrl(publicBaseOf(deps), `/access/${token}`);
}

function day(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : "";
}

function documentLines(request: RequestView): string[] {
  return request.documents.map((d) => `  - ${d.title}`);
}

async function send(
  deps: Deps,
  log: FastifyBaseLogger,
  message: { to: string; subject: string; text: string },
): Promise<boolean> {
  if (!deps.mailer) return false;
  try {
    await deps.mailer.send(message);
    return true;
  } catch (error) {
    log.error({ err: error }, "could not send trust center document mail");
    return false;
  }
}

export async function mailApproval(
  deps: Deps,
  log: FastifyBaseLogger,
  input: { request: RequestView; organizationName: string; url: string },
): Promise<boolean> {
  const { request, organizationName, url } = input;
  return send(deps, log, {
    to: request.email,
    subject: `Your access to ${organizationName} documents`,
    text: [
      `Hello ${request.name},`,
      "",
      `Your request for these ${organizationName} documents has been approved:`,
      ...documentLines(request),
      "",
      `Open them here until ${day(request.expiresAt)} (UTC):`,
      "",
      url,
      "",
      "The link is for you only: every page you download is marked with your name, email address and the date, and every view and download is recorded.",
      ...(request.decisionNote ? ["", `Note: ${request.decisionNote}`] : []),
      "",
      `— ${organizationName}`,
    ].join("\n"),
  });
}

export async function mailDenial(
  deps: Deps,
  log: FastifyBaseLogger,
  input: { request: RequestView; organizationName: string },
): Promise<boolean> {
  const { request, organizationName } = input;
  return send(deps, log, {
    to: request.email,
    subject: `Your request for ${organizationName} documents`,
    text: [
      `Hello ${request.name},`,
      "",
      `Thank you for your interest. We are unable to share these ${organizationName} documents with you at this time:`,
      ...documentLines(request),
      ...(request.decisionNote ? ["", `Note: ${request.decisionNote}`] : []),
      "",
      "If you think this is a mistake, reply to your contact at the company.",
      "",
      `— ${organizationName}`,
    ].join("\n"),
  });
}

/** Tells every active user who may decide about a new request. */
export async function mailDeciders(
  deps: Deps,
  log: FastifyBaseLogger,
  input: { organizationId: string; request: RequestView; organizationName: string },
): Promise<number> {
  if (!deps.mailer) return 0;
  const { request } = input;
  const recipients = await withTenant(deps.db, input.organizationId, deciders);
  const approved = request.status === "approved";
  let sent = 0;
  for (const recipient of recipients) {
    const ok = await send(deps, log, {
      to: recipient.email,
      subject: `${approved ? "Auto-approved" : "New"} document request from ${request.name} (${request.company})`,
      text: [
        `Hello ${recipient.name},`,
        "",
        `${request.name} <${request.email}> of ${request.company} asks for:`,
        ...documentLines(request),
        "",
        `Reason: ${request.reason}`,
        "",
        approved
          ? `It was approved at once by the rule "${request.autoApprovedRule}"; you can revoke the link:`
          : "Approve or deny it here:",
        appUrl(deps, "/trust-center/requests"),
        "",
        "— Attest",
      ].join("\n"),
    });
    if (ok) sent++;
  }
  return sent;
}
