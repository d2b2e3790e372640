/**
 * The key a backup archive's data key is sealed with. Today the master key itself (archives
 * open wherever the installation's data does); the one place to change when the master key
 * becomes a keyring.
 */
export function archiveKey(masterKey: Buffer): Buffer {
  return masterKey;
}
