/** Labels and sentences of the actions on notices, the trust center, reporting and the trail itself. */
import {
  type ActionText,
  changed,
  DOCUMENT_FIELDS,
  NOTICE_FIELDS,
  num,
  plural,
  str,
  trustFields,
  words,
} from "./audit-words.ts";

export const OUTWARD_ACTIONS: Record<string, ActionText> = {
  // Notices and their subscribers
  "notice.created": {
    label: "Notice drafted",
    sentence: (p) => `${p.who} drafted the notice ${p.target("")}`,
  },
  "notice.updated": {
    label: "Notice edited",
    sentence: (p) => changed(p, NOTICE_FIELDS, `the notice ${p.target("")}`, ""),
  },
  "notice.published": {
    label: "Notice published",
    sentence: (p) => {
      const queued = num(p.after, "queued") ?? 0;
      const mail =
        p.after.notifySubscribers && queued > 0
          ? ` and mailed ${plural(queued, "subscriber")}`
          : "";
      return `${p.who} published the notice ${p.target("")}${mail}`;
    },
  },
  "notice.update_posted": {
    label: "Notice update posted",
    sentence: (p) => `${p.who} posted an update to the notice ${p.target("")}`,
  },
  "notice.resolved": {
    label: "Notice resolved",
    sentence: (p) => `${p.who} resolved the notice ${p.target("")}`,
  },
  "notice.deleted": {
    label: "Notice deleted",
    sentence: (p) => `${p.who} deleted the draft notice ${p.target("")}`,
  },
  "notice_subscriber.created": {
    label: "Notice subscription requested",
    sentence: () => "Someone subscribed to notices (awaiting confirmation)",
  },
  "notice_subscriber.confirmation_sent": {
    label: "Subscription confirmation sent again",
    sentence: () => "Someone subscribed to notices again; a new confirmation was sent",
  },
  "notice_subscriber.confirmed": {
    label: "Notice subscription confirmed",
    sentence: () => "A subscriber confirmed their subscription to notices",
  },
  "notice_subscriber.unsubscribed": {
    label: "Unsubscribed from notices",
    sentence: () => "A subscriber unsubscribed from notices",
  },
  "notice_subscriber.unconfirmed_removed": {
    label: "Unconfirmed subscriptions removed",
    sentence: (p) => {
      const ids = p.before.ids;
      const count = Array.isArray(ids) ? ids.length : 0;
      return `${p.who} removed ${plural(count, "unconfirmed notice subscription")}`;
    },
  },
  "notice_subscriber.removed": {
    label: "Notice subscriber removed",
    sentence: (p) => `${p.who} removed a notice subscriber`,
  },
  // Trust center
  "trust_center.draft_updated": {
    label: "Trust center draft edited",
    sentence: (p) => `${p.who} edited the trust center draft${trustFields(p)}`,
  },
  "trust_center.published": {
    label: "Trust center published",
    sentence: (p) => `${p.who} published the trust center`,
  },
  "trust_center.taken_offline": {
    label: "Trust center taken offline",
    sentence: (p) => `${p.who} took the trust center offline`,
  },
  "trust_center.logo_uploaded": {
    label: "Trust center logo uploaded",
    sentence: (p) => `${p.who} uploaded a new trust center logo`,
  },
  "trust_center.logo_removed": {
    label: "Trust center logo removed",
    sentence: (p) => `${p.who} removed the trust center logo`,
  },
  "trust_documents.settings_updated": {
    label: "Document access settings changed",
    sentence: (p) =>
      changed(
        p,
        {
          ndaText: "NDA text",
          autoApproveDomains: "auto-approved domains",
          linkDays: "link lifetime",
        },
        "document access",
        "the document access settings",
      ),
  },
  "trust_document.created": {
    label: "Trust center document added",
    sentence: (p) => `${p.who} added the document ${p.target("")} to the trust center`,
  },
  "trust_document.uploaded": {
    label: "Trust center document uploaded",
    sentence: (p) => `${p.who} uploaded the document ${p.target("")} to the trust center`,
  },
  "trust_document.updated": {
    label: "Trust center document changed",
    sentence: (p) => changed(p, DOCUMENT_FIELDS, `the document ${p.target("")}`, ""),
  },
  "trust_document.deleted": {
    label: "Trust center document removed",
    sentence: (p) => `${p.who} removed the document ${p.target("")} from the trust center`,
  },
  "trust_document.downloaded": {
    label: "Trust center document downloaded",
    sentence: (p) => `${p.who} downloaded the document ${p.target("")}`,
  },
  "trust_document.integrity_failed": {
    label: "Document failed its integrity check",
    sentence: (p) =>
      `${p.who} asked for the document ${p.target("")}, which failed its integrity check`,
  },
  "trust_access_request.submitted": {
    label: "Document access requested",
    sentence: (p) => {
      const company = str(p.after, "company");
      const documents = p.after.documents;
      const count = Array.isArray(documents) ? documents.length : 0;
      const what = count > 0 ? plural(count, "document") : "documents";
      return `${p.who}${company ? ` of ${company}` : ""} asked for access to ${what}`;
    },
  },
  "trust_access_request.approved": {
    label: "Document access approved",
    sentence: (p) => `${p.who} approved the document access request of ${p.target("a visitor")}`,
  },
  "trust_access_request.auto_approved": {
    label: "Document access approved automatically",
    sentence: (p) =>
      `${p.who} approved the document access request of ${p.target("a visitor")} automatically`,
  },
  "trust_access_request.denied": {
    label: "Document access denied",
    sentence: (p) => `${p.who} denied the document access request of ${p.target("a visitor")}`,
  },
  "trust_access_request.revoked": {
    label: "Document access revoked",
    sentence: (p) => `${p.who} revoked the document access of ${p.target("a visitor")}`,
  },
  "trust_access.viewed": {
    label: "Document access link opened",
    sentence: (p) => `${p.who} opened their document access link`,
  },
  // Confidential reporting
  "reporting.channel_updated": {
    label: "Reporting channel changed",
    sentence: (p) =>
      changed(
        p,
        { enabled: "availability", intro: "introduction", categories: "categories" },
        "the reporting channel",
        "the reporting channel",
      ),
  },
  "reporting.handlers_designated": {
    label: "Report handlers designated",
    sentence: (p) => {
      const ids = p.after.userIds;
      const count = Array.isArray(ids) ? ids.length : 0;
      return count === 0
        ? `${p.who} cleared the report handlers (owners handle reports)`
        : `${p.who} designated ${plural(count, "report handler")}`;
    },
  },
  "report.submitted": {
    label: "Report submitted",
    sentence: (p) => `Someone submitted the confidential report ${p.target("")}`.trim(),
  },
  "report.reporter_replied": {
    label: "Reporter replied",
    sentence: (p) => `The reporter replied on report ${p.target("")}`.trim(),
  },
  "report.read": {
    label: "Report read",
    sentence: (p) => `${p.who} read report ${p.target("")}`.trim(),
  },
  "report.message_sent": {
    label: "Reply sent to reporter",
    sentence: (p) => `${p.who} replied to the reporter on report ${p.target("")}`.trim(),
  },
  "report.state_changed": {
    label: "Report state changed",
    sentence: (p) => {
      const from = str(p.before, "state");
      const to = str(p.after, "state");
      return `${p.who} moved report ${p.target("")}${from ? ` from ${words(from)}` : ""}${to ? ` to ${words(to)}` : ""}`;
    },
  },
  // The audit trail itself
  "audit.exported": {
    label: "Audit trail exported",
    sentence: (p) => {
      const format = str(p.after, "format") === "csv" ? "CSV" : "JSON lines";
      const filters = p.after.filters;
      const filtered = filters && typeof filters === "object" && Object.keys(filters).length > 0;
      return `${p.who} exported the ${filtered ? "filtered " : ""}audit trail as ${format}`;
    },
  },
};
