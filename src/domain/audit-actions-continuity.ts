/**
 * Labels and sentences of the actions of issue 15: restore tests, customers and the disposal of
 * their data, encryption at rest and the key registry, internet-facing endpoints, and the
 * built-in Attest system.
 */
import { type ActionText, changed, num, str } from "./audit-words.ts";

const CUSTOMER_FIELDS = {
  name: "name",
  reference: "reference",
  contractStart: "contract start",
  contractEnd: "contract end",
  retention: "retention",
  retentionDays: "retention",
  systemIds: "data stores",
  notes: "notes",
};

const KEY_FIELDS = {
  name: "name",
  purpose: "purpose",
  algorithm: "algorithm",
  location: "location",
  systemId: "system",
  rotationPeriodDays: "rotation period",
};

const ENDPOINT_FIELDS = { systemId: "system", notes: "notes" };

const DISPOSAL_METHODS: Record<string, string> = {
  deleted: "deleted",
  crypto_shredded: "crypto-shredded",
  returned: "returned to the customer",
  anonymised: "anonymised",
};

export const CONTINUITY_ACTIONS: Record<string, ActionText> = {
  "restore_test.recorded": {
    label: "Restore test recorded",
    sentence: (p) => {
      const outcome = p.after.successful === true ? "a successful" : "an unsuccessful";
      const day = str(p.after, "performedOn");
      return `${p.who} recorded ${outcome} restore test${day ? ` performed on ${day}` : ""}${
        p.after.automated === true ? ", run by Attest itself" : ""
      }`;
    },
  },
  "restore_test.withdrawn": {
    label: "Restore test withdrawn",
    sentence: (p) => {
      const reason = str(p.after, "reason");
      return `${p.who} withdrew a restore test${reason ? `: ${reason}` : ""}`;
    },
  },
  "restore_test.evidence_attached": {
    label: "Restore test evidence attached",
    sentence: (p) => `${p.who} attached evidence to a restore test`,
  },
  "customer.created": {
    label: "Customer added",
    sentence: (p) => `${p.who} added the customer ${p.target("")}`.trimEnd(),
  },
  "customer.updated": {
    label: "Customer changed",
    sentence: (p) => changed(p, CUSTOMER_FIELDS, `the customer ${p.target("")}`.trimEnd(), ""),
  },
  "customer.imported": {
    label: "Customers imported",
    sentence: (p) => {
      const rows = num(p.after, "rows");
      return `${p.who} imported customers from a file${rows === null ? "" : ` of ${rows} rows`}`;
    },
  },
  "customer.policy_applied": {
    label: "Default retention applied",
    sentence: (p) => {
      const days = num(p.after, "retentionDays") ?? num(p.after, "days");
      return `${p.who} applied the default retention period${days === null ? "" : ` of ${days} days`} to ${p.target("a customer")}`;
    },
  },
  "customer.archived": {
    label: "Customer archived",
    sentence: (p) => `${p.who} archived the customer ${p.target("")}`.trimEnd(),
  },
  "customer.disposal_recorded": {
    label: "Customer data disposed of",
    sentence: (p) => {
      const method = str(p.after, "method");
      const how = method
        ? (DISPOSAL_METHODS[method] ?? str(p.after, "methodOther") ?? method)
        : null;
      return `${p.who} recorded that ${p.target("a customer")}'s data in a data store was ${how ?? "disposed of"}`;
    },
  },
  "customer.disposal_evidence_added": {
    label: "Disposal evidence attached",
    sentence: (p) => `${p.who} attached evidence of a disposal of ${p.target("a customer")}'s data`,
  },
  "customer.certificate_exported": {
    label: "Certificate of disposal exported",
    sentence: (p) => `${p.who} exported the certificate of disposal of ${p.target("a customer")}`,
  },
  "encryption_confirmation.recorded": {
    label: "Encryption at rest confirmed",
    sentence: (p) => {
      const automated = str(p.after, "method") === "automated";
      const verdict = p.after.passed === false ? "found a problem with" : "confirmed";
      return `${p.who} ${verdict} the encryption at rest of ${p.target("a data store")}${
        automated ? " by its automated check" : ""
      }`;
    },
  },
  "encryption_key.created": {
    label: "Encryption key registered",
    sentence: (p) => `${p.who} registered the encryption key ${p.target("")}`.trimEnd(),
  },
  "encryption_key.updated": {
    label: "Encryption key changed",
    sentence: (p) => changed(p, KEY_FIELDS, `the encryption key ${p.target("")}`.trimEnd(), ""),
  },
  "encryption_key.rotated": {
    label: "Encryption key rotated",
    sentence: (p) => `${p.who} recorded a rotation of the encryption key ${p.target("")}`.trimEnd(),
  },
  "encryption_key.archived": {
    label: "Encryption key archived",
    sentence: (p) => `${p.who} archived the encryption key ${p.target("")}`.trimEnd(),
  },
  "endpoint.registered": {
    label: "Endpoint registered",
    sentence: (p) => `${p.who} registered the endpoint ${p.target("")}`.trimEnd(),
  },
  "endpoint.updated": {
    label: "Endpoint changed",
    sentence: (p) => changed(p, ENDPOINT_FIELDS, `the endpoint ${p.target("")}`.trimEnd(), ""),
  },
  "endpoint.archived": {
    label: "Endpoint archived",
    sentence: (p) => `${p.who} archived the endpoint ${p.target("")}`.trimEnd(),
  },
  "endpoint.probed": {
    label: "Endpoint probed",
    sentence: (p) => {
      const state = str(p.after, "state");
      const verdict =
        state === "passing" ? "it passed" : state ? `it is ${state.replace("_", " ")}` : "";
      return `${p.who} probed the endpoint ${p.target("")}${verdict ? `: ${verdict}` : ""}`;
    },
  },
  "system.marked_builtin": {
    label: "System marked as Attest's own",
    sentence: (p) =>
      `${p.who} took ${p.target("a system")} as the system standing for Attest itself`,
  },
};
