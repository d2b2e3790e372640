import { describe, expect, it } from "vitest";
import { secretLikeKeyId } from "./access-key-ids.ts";

describe("secretLikeKeyId", () => {
  it("accepts the ids of cloud and API keys", () => {
    for (const id of [
      "AKIAIOSFODNN7EXAMPLE",
      "ASIAY34FZKBOKMUTVV7A",
      "1234567890abcdef1234567890abcdef12345678",
      "key-2026-01",
      "github-app-123456",
      "projects/acme/serviceAccounts/ci@acme.iam.gserviceaccount.com/keys/0a1b2c",
    ]) {
      expect(secretLikeKeyId(id), id).toBeNull();
    }
  });

  it("refuses what looks like a secret", () => {
    for (const secret of [
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
      "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
      "xoxb-123-456-abc",
      "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
      "-----BEGIN OPENSSH PRIVATE KEY-----",
      "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8+/A1b2C3d4E5f",
    ]) {
      expect(secretLikeKeyId(secret), secret).not.toBeNull();
    }
  });
});
