import { generateKeyPairSync, randomUUID } from "node:crypto";
import { sshFingerprint, sshString } from "../../src/platform/ssh-key-blob.ts";
import type { Org } from "../factories.ts";
import { factoryBody as body, ownerPersonId } from "./shared.ts";

/**
 * Factories of the key registry: SSH public keys made in process (a real ed25519 key pair,
 * encoded as OpenSSH writes the public half) and keys registered through the API.
 */

/** A fresh ed25519 public key line and its fingerprint as `ssh-keygen -l` prints it. */
export function sshKey(comment = `someone-${randomUUID().slice(0, 8)}@laptop`) {
  const { publicKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x as string, "base64url");
  const blob = Buffer.concat([sshString("ssh-ed25519"), sshString(raw)]);
  const fingerprint = sshFingerprint(blob);
  const base64 = blob.toString("base64");
  return { line: `ssh-ed25519 ${base64}${comment ? ` ${comment}` : ""}`, base64, fingerprint };
}

let sequence = 0;

/**
 * A registered key: an SSH key (a fresh one, or `publicKey`) by default, or a cloud/API key
 * by id; of the owner's person unless `personId`; opening `systemIds` from `createdOn`.
 */
export async function accessKey(
  org: Org,
  overrides: {
    personId?: string;
    kind?: "ssh" | "cloud" | "api";
    name?: string;
    publicKey?: string;
    keyType?: string;
    keyId?: string;
    createdOn?: string;
    systemIds?: string[];
  } = {},
) {
  sequence++;
  const kind = overrides.kind ?? "ssh";
  const personId = overrides.personId ?? (await ownerPersonId(org));
  const ssh = kind === "ssh" ? (overrides.publicKey ?? sshKey().line) : undefined;
  const created = body(
    await org.owner.client.post("/api/v1/access-keys", {
      personId,
      kind,
      ...(overrides.name ? { name: overrides.name } : {}),
      ...(ssh
        ? { publicKey: ssh }
        : {
            keyType: overrides.keyType ?? "aws",
            keyId:
              overrides.keyId ??
              `AKIA${String(sequence).padStart(4, "0")}EXAMPLE${Date.now() % 100000}`,
          }),
      createdOn: overrides.createdOn ?? new Date().toISOString().slice(0, 10),
      systemIds: overrides.systemIds ?? [],
    }),
    "access key",
    201,
  );
  return {
    id: created.id as string,
    personId,
    fingerprint: created.fingerprint as string,
    name: created.name as string,
    publicKey: ssh,
  };
}
