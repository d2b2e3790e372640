// How the inventory's values read in the app.
import type { Classification, SystemKind } from "./types";

export const KINDS: { value: SystemKind; label: string }[] = [
  { value: "application", label: "Application" },
  { value: "infrastructure", label: "Infrastructure" },
  { value: "database", label: "Database" },
  { value: "data_store", label: "Data store" },
  { value: "saas", label: "SaaS" },
  { value: "network", label: "Network" },
  { value: "endpoint", label: "Endpoint" },
  { value: "other", label: "Other" },
];

export const CLASSIFICATIONS: { value: Classification; label: string }[] = [
  { value: "public", label: "Public" },
  { value: "internal", label: "Internal" },
  { value: "confidential", label: "Confidential" },
  { value: "restricted", label: "Restricted" },
];

export function kindLabel(kind: SystemKind): string {
  return KINDS.find((k) => k.value === kind)?.label ?? kind;
}

export function classificationLabel(classification: Classification | null): string {
  return CLASSIFICATIONS.find((c) => c.value === classification)?.label ?? "Unclassified";
}

/** The history's and the review's field names, as people read them. */
export const FIELD_LABELS: Record<string, string> = {
  name: "name",
  kind: "kind",
  ownerId: "owner",
  production: "production",
  classification: "classification",
  customerData: "customer data",
  backedUp: "backed up",
  scanned: "scanned",
  internetFacing: "internet-facing",
  allowedRoles: "allowed roles",
  adminRoles: "admin roles",
  reviewPeriodDays: "review period",
  archived: "archived",
};

export function fieldList(fields: string[]): string {
  return fields.map((f) => FIELD_LABELS[f] ?? f).join(", ");
}
