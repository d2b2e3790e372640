import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the encryption migration (src/db/migrations/20261207093000_encryption.ts). */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;
type Text = ColumnType<string, string | undefined, string>;

export const CONFIRMATION_METHODS = ["evidence", "automated"] as const;
export type ConfirmationMethod = (typeof CONFIRMATION_METHODS)[number];
/** Keys managed by Attest itself. */
export type BuiltinKey = "attest";

export interface EncryptionKeysTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  purpose: Text;
  algorithm: string;
  location: Text;
  system_id: string | null;
  rotation_period_days: ColumnType<number, number | undefined, number>;
  builtin: BuiltinKey | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  archived_at: Date | null;
  archived_by: string | null;
}

export interface EncryptionKeyRotationsTable {
  id: Generated<string>;
  organization_id: string;
  key_id: string;
  rotated_at: Date;
  new_key_ref: string | null;
  notes: Text;
  evidence_id: string | null;
  recorded_by: string | null;
  actor_name: string | null;
  created_at: CreatedAt;
}

export interface EncryptionConfirmationsTable {
  id: Generated<string>;
  organization_id: string;
  system_id: string;
  method: ConfirmationMethod;
  confirmed_at: Date;
  passed: ColumnType<boolean, boolean | undefined, boolean>;
  detail: Text;
  notes: Text;
  confirmed_by: string | null;
  actor_name: string | null;
  created_at: CreatedAt;
}

export interface EncryptionConfirmationEvidenceTable {
  organization_id: string;
  confirmation_id: string;
  evidence_id: string;
}

export interface EncryptionTables {
  encryption_keys: EncryptionKeysTable;
  encryption_key_rotations: EncryptionKeyRotationsTable;
  encryption_confirmations: EncryptionConfirmationsTable;
  encryption_confirmation_evidence: EncryptionConfirmationEvidenceTable;
}

export type EncryptionKeyRow = Selectable<EncryptionKeysTable>;
