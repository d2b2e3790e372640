// Types of the evidence library (GET /api/v1/evidence), as the web app sees them.
import type { Evidence } from "../../ui/types";

export type Validity = "valid" | "expiring" | "expired";
type EvidenceKind = "file" | "link";

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

/** An item of the library: the evidence with its control's title, its test and its validity. */
export interface LibraryItem extends Evidence {
  controlTitle: string;
  testDescription: string | null;
  validity: Validity;
}

export interface LibraryPage {
  items: LibraryItem[];
  nextCursor: string | null;
  /** How many items match, counted up to 1000, on the first page only. */
  total: number | null;
  /** More items match than `total` says. */
  totalCapped: boolean;
}

/** The filters of the library, as the page's URL carries them ("" when not set). */
export interface LibraryFilter {
  q: string;
  control: string;
  validity: Validity | "";
  kind: EvidenceKind | "";
}
