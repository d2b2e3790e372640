/** Labels and sentences of the actions on scans (issue 13). */
import { type ActionText, num, plural, str } from "./audit-words.ts";

export const SCANS_ACTIONS: Record<string, ActionText> = {
  "scan_import.imported": {
    label: "Scan imported",
    sentence: (p) => {
      const tool = str(p.after, "tool");
      const system = str(p.after, "system");
      const counts = (["created", "reopened", "resolved"] as const)
        .map((key) => {
          const n = num(p.after, key);
          return n === null ? null : `${n} ${key === "created" ? "new" : key}`;
        })
        .filter((text) => text !== null);
      const results = num(p.after, "results");
      const what = `${tool ? `a ${tool} scan` : "a scan"}${system ? ` of ${system}` : ""}`;
      const summary =
        results === null
          ? ""
          : `: ${plural(results, "result")}${counts.length ? ` (${counts.join(", ")})` : ""}`;
      return `${p.who} imported ${what}${summary}`;
    },
  },
};
