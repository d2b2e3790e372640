/** Labels and sentences of the actions on access keys and host listings (issue 12). */
import { type ActionText, changed, num, plural, str } from "./audit-words.ts";

// --- the key registry (helper 4) -----------------------------------------------------------

const KEY_FIELDS = { name: "name", systemIds: "systems" };

const REGISTRY_ACTIONS: Record<string, ActionText> = {
  "access_key.registered": {
    label: "Access key registered",
    sentence: (p) => {
      const fingerprint = str(p.after, "fingerprint");
      return `${p.who} registered the access key ${p.target("a key")}${fingerprint ? ` (${fingerprint})` : ""}`;
    },
  },
  "access_key.changed": {
    label: "Access key changed",
    sentence: (p) => changed(p, KEY_FIELDS, `the access key ${p.target("a key")}`, ""),
  },
  "access_key.revoked": {
    label: "Access key revoked",
    sentence: (p) => {
      const reason = str(p.after, "reason");
      return `${p.who} revoked the access key ${p.target("a key")}${reason ? ` (${reason})` : ""}`;
    },
  },
};

// --- host listings (authorized_keys collected from hosts) ----------------------------------

const LISTING_ACTIONS: Record<string, ActionText> = {
  "host_key_listing.collected": {
    label: "Host keys collected",
    sentence: (p) => {
      const host = str(p.after, "host");
      const system = str(p.after, "system");
      const keys = num(p.after, "keys");
      const problems = num(p.after, "problems");
      const where = host ? ` of ${host}${system ? ` (${system})` : ""}` : "";
      const counts =
        keys === null
          ? ""
          : `: ${plural(keys, "key")}${problems ? `, ${plural(problems, "malformed line")}` : ""}`;
      return `${p.who} collected the authorized keys${where}${counts}`;
    },
  },
};

export const KEY_ACTIONS: Record<string, ActionText> = {
  ...REGISTRY_ACTIONS,
  ...LISTING_ACTIONS,
};
