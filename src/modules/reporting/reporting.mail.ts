import { withTenant } from "../../db/tenant.ts";
import type { Deps } from "../../platform/deps.ts";
import { appUrl } from "../../platform/links.ts";
import { currentHandlers } from "./reporting.channel.ts";

/** Mail to the handlers: never any report content, only that something happened and where. */
export interface HandlerMail {
  subject: string;
  lines: string[];
}

/** The text of a mail to one handler. */
export function handlerMailText(name: string, message: HandlerMail): string {
  return [`Hello ${name},`, "", ...message.lines, "", "— Attest"].join("\n");
}

export async function mailHandlers(
  deps: Deps,
  organizationId: string,
  message: HandlerMail,
): Promise<number> {
  const mailer = deps.mailer;
  if (!mailer) return 0;
  const { users } = await withTenant(deps.db, organizationId, (tx) => currentHandlers(tx));
  for (const user of users) {
    await mailer.send({
      to: user.email,
      subject: message.subject,
      text: handlerMailText(user.name, message),
    });
  }
  return users.length;
}

export function newReportMail(
  deps: Deps,
  submitted: { reference: string; reportId: string },
): HandlerMail {
  return {
    subject: `A new confidential report arrived (${submitted.reference})`,
    lines: [
      `A new report, ${submitted.reference}, arrived on the confidential reporting channel.`,
      "Read and acknowledge it in Attest:",
      "",
      appUrl(deps, `/reports/${submitted.reportId}`),
    ],
  };
}

export function reporterRepliedMail(deps: Deps, ref: string, reportId: string): HandlerMail {
  return {
    subject: `The reporter answered on ${ref}`,
    lines: [
      `The reporter of ${ref} wrote a new message on the confidential reporting channel.`,
      "Read it in Attest:",
      "",
      appUrl(deps, `/reports/${reportId}`),
    ],
  };
}
