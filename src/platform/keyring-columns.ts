/**
 * Where Attest keeps values sealed by its master keys, as the areas declare them in their
 * manifests (`secrets`) and installAreas hands them over: rotation (`attest keys rotate`) and
 * the check of Attest's own storage find every secret here, without naming an area's tables.
 */
export interface SecretColumns {
  /** A table of the declaring area; every such table has a uuid `id` column. */
  table: string;
  columns: readonly string[];
  /**
   * "sealed": each value is a secret sealed with `Keyring.seal` (MFA secrets, reports...).
   * "wrapped-key": the data key of an encrypted file (`wrapped_key`), the row keeping the
   * stored-file columns of platform/encrypted-files.ts (storage_key, size_bytes, sha256, iv,
   * auth_tag) of a blob kept in `blobDirectory` of the data directory.
   */
  kind: "sealed" | "wrapped-key";
  /** For "wrapped-key": the blob store's directory under the data directory. */
  blobDirectory?: string;
}

const declared: SecretColumns[] = [];

/** Called by installAreas for each area's `secrets`; a table's declaration counts once. */
export function registerSecretColumns(secrets: SecretColumns): void {
  if (declared.some((d) => d.table === secrets.table)) return;
  if (secrets.kind === "wrapped-key" && !secrets.blobDirectory) {
    throw new Error(`${secrets.table}: a wrapped-key declaration names its blob directory`);
  }
  declared.push(secrets);
}

/** Every declared column holding sealed values, in the areas' order. */
export function secretColumns(): readonly SecretColumns[] {
  if (declared.length === 0) throw new Error("installAreas() must run before secrets are read");
  return declared;
}
