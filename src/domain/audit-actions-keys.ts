/** Labels and sentences of the actions on access keys and host listings (issue 12). */
import { type ActionText, num, plural, str } from "./audit-words.ts";

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
  ...LISTING_ACTIONS,
};
