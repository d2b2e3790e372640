import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the trust-center migration (src/db/migrations/20261125130000_trust_center.ts). */
type Json<T> = ColumnType<T, string, string>;

export interface TrustCentersTable {
  organization_id: string;
  /** The draft settings (TrustSettings, camelCase JSON). */
  draft: Json<Record<string, unknown>>;
  updated_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface TrustCenterLogosTable {
  id: Generated<string>;
  organization_id: string;
  content_type: "image/png" | "image/jpeg" | "image/svg+xml" | "image/webp";
  data: Buffer;
  sha256: string;
  uploaded_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface TrustCenterPublicationsTable {
  id: Generated<string>;
  organization_id: string;
  online: boolean;
  settings: Json<Record<string, unknown>>;
  published_at: ColumnType<Date, Date | undefined, never>;
  published_by: string | null;
}

export type TrustCenterPublication = Selectable<TrustCenterPublicationsTable>;

export interface TrustCenterTables {
  trust_centers: TrustCentersTable;
  trust_center_logos: TrustCenterLogosTable;
  trust_center_publications: TrustCenterPublicationsTable;
}
