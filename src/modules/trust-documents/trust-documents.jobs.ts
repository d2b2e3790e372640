import { withSystem, withTenant } from "../../db/tenant.ts";
import { orphanSweep } from "../../platform/blob-store.ts";
import type { Deps } from "../../platform/deps.ts";
import { appUrl } from "../../platform/links.ts";
import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";
import { allOrganizationIds } from "../organizations/organizations.queries.ts";
import { deciders } from "./trust-documents.mail.ts";

/** A request still pending this long reminds the deciders, once. */
export const REMIND_AFTER_DAYS = 2;

/**
 * Reminds the people who may decide of requests that have waited REMIND_AFTER_DAYS, in one
 * mail per person per run. Each request is claimed (reminded_at) before the mail goes, so two
 * runs never remind of it twice; if no mail could be sent, the claim is released for the next
 * run.
 */
export async function remindPendingRequests(deps: Deps, now: Date): Promise<number> {
  const mailer = deps.mailer;
  if (!mailer) return 0;
  const before = new Date(now.getTime() - REMIND_AFTER_DAYS * 86_400_000);
  const organizations = await withSystem(deps.db, allOrganizationIds);
  let reminded = 0;
  for (const organizationId of organizations) {
    const { requests, recipients } = await withTenant(deps.db, organizationId, async (tx) => {
      const claimed = await tx
        .updateTable("trust_access_requests")
        .set({ reminded_at: now })
        .where("status", "=", "pending")
        .where("reminded_at", "is", null)
        .where("created_at", "<=", before)
        .returning(["id", "name", "company", "email", "created_at"])
        .execute();
      return { requests: claimed, recipients: claimed.length ? await deciders(tx) : [] };
    });
    if (requests.length === 0) continue;
    const link = appUrl(deps, "/trust-center/requests");
    const lines = requests
      .sort((a, b) => a.created_at.getTime() - b.created_at.getTime())
      .map(
        (r) =>
          `  - ${r.name} <${r.email}> of ${r.company}, since ${r.created_at.toISOString().slice(0, 10)}`,
      );
    let sent = 0;
    for (const recipient of recipients) {
      try {
        await mailer.send({
          to: recipient.email,
          subject: `${requests.length === 1 ? "A document request waits" : `${requests.length} document requests wait`} for your decision`,
          text: [
            `Hello ${recipient.name},`,
            "",
            `These requests for trust center documents have waited more than ${REMIND_AFTER_DAYS} days:`,
            ...lines,
            "",
            "Approve or deny them here:",
            link,
            "",
            "— Attest",
          ].join("\n"),
        });
        sent++;
      } catch {
        // Another recipient may still be reached; with none, the claim is released below.
      }
    }
    if (sent === 0 && recipients.length > 0) {
      await withTenant(deps.db, organizationId, (tx) =>
        tx
          .updateTable("trust_access_requests")
          .set({ reminded_at: null })
          .where(
            "id",
            "in",
            requests.map((r) => r.id),
          )
          .execute(),
      );
      continue;
    }
    reminded += requests.length;
  }
  return reminded;
}

/** Document files no row holds (a crash during an upload), as for evidence. */
const sweepDocumentFiles = orphanSweep("trust-documents", async (deps, keys) => {
  const rows = await withSystem(deps.db, (tx) =>
    tx
      .selectFrom("trust_documents")
      .select("storage_key")
      .where("storage_key", "in", keys)
      .execute(),
  );
  return new Set(rows.map((row) => row.storage_key as string));
});

export const trustDocumentsJobs: readonly ScheduledJob[] = [
  {
    name: "trust-documents.pending-reminders",
    run: async (deps, now) => {
      await remindPendingRequests(deps, now);
    },
  },
  {
    name: "trust-documents.orphan-files",
    atStart: true,
    run: async (deps, now, log) => {
      await sweepDocumentFiles(deps, now, log);
    },
  },
];
