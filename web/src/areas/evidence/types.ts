// The evidence area's API data, named from the generated schema, and the library's filters.
import type { Answer, ItemOf, RequestBody } from "../../ui/schema";

/** A piece of evidence, with its control's title, its test and its validity. */
export type Evidence = ItemOf<"/api/v1/evidence">;
/** A page of the library; the first counts the matches in `total`. */
export type LibraryPage = Answer<"/api/v1/evidence">;
export type LibraryItem = Evidence;
export type EvidenceLinkInput = RequestBody<"/api/v1/evidence/links", "post">;
export type Validity = Evidence["validity"];
type EvidenceKind = Evidence["kind"];

export const VALIDITIES: {
  value: Validity;
  label: string;
  tone: "success" | "warning" | "danger";
}[] = [
  { value: "valid", label: "Valid", tone: "success" },
  { value: "expiring", label: "Expiring soon", tone: "warning" },
  { value: "expired", label: "Expired", tone: "danger" },
];

export const KINDS: { value: EvidenceKind; label: string }[] = [
  { value: "file", label: "Files" },
  { value: "link", label: "Links" },
];

/** The filters of the library, as the page's URL carries them ("" when not set). */
export interface LibraryFilter {
  q: string;
  control: string;
  validity: Validity | "";
  kind: EvidenceKind | "";
}
