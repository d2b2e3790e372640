/** Labels and sentences of the actions on incidents and their timelines (issue 14). */
import { type ActionText, changed, quoted, str } from "./audit-words.ts";

const INCIDENT_FIELDS = {
  title: "title",
  description: "description",
  severity: "severity",
  status: "status",
  ownerId: "owner",
  customersAffected: "customer impact",
  customerDataAffected: "customer impact",
  affectedCustomers: "affected customers",
  systemIds: "affected systems",
};

const ENTRY_KINDS: Record<string, string> = { note: "a note", action: "an action taken" };

export const INCIDENTS_ACTIONS: Record<string, ActionText> = {
  "incident.declared": {
    label: "Incident declared",
    sentence: (p) =>
      `${p.who} declared the incident ${p.target(quoted(str(p.after, "title"), "an incident"))}${p.after.fromReport === true ? " from a confidential report" : ""}`,
  },
  "incident.updated": {
    label: "Incident changed",
    sentence: (p) => {
      const from = str(p.before, "status");
      const to = str(p.after, "status");
      const what = p.target("an incident");
      if (from && to && from !== to) {
        const { status: _status, ...others } = INCIDENT_FIELDS;
        const also = changed(p, others, what, "");
        const rest = also.includes(" changed the ") ? `; ${also.replace(`${p.who} `, "")}` : "";
        return `${p.who} moved ${what} from ${from} to ${to}${rest}`;
      }
      return changed(p, INCIDENT_FIELDS, what, "");
    },
  },
  "incident.entry_added": {
    label: "Incident timeline entry added",
    sentence: (p) =>
      `${p.who} added ${ENTRY_KINDS[str(p.after, "kind") ?? ""] ?? "an entry"} to the timeline of ${p.target("an incident")}`,
  },
  "incident.attachment_added": {
    label: "Incident file attached",
    sentence: (p) =>
      `${p.who} attached ${quoted(str(p.after, "fileName"), "a file")} to ${p.target("an incident")}`,
  },
};
