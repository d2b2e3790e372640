import type { Org } from "../factories.ts";
import { accessSystem } from "./access.ts";
import { sshKey } from "./access-keys.ts";
import { factoryBody as body } from "./shared.ts";

/**
 * Host listings (authorized_keys collected from hosts) and the SSH public keys they hold. The
 * keys are real Ed25519 keys made by Node's crypto, written as an OpenSSH public key line.
 */

/** A fresh Ed25519 public key as an authorized_keys line ("ssh-ed25519 AAAA… comment"). */
export function sshPublicKey(comment = "someone@laptop"): string {
  return sshKey(comment).line;
}

let sequence = 0;

/** A listing of one host, uploaded as JSON by the owner (a new system and one key by default). */
export async function hostListing(
  org: Org,
  overrides: {
    systemId?: string;
    host?: string;
    /** The authorized_keys text; default one fresh key. */
    content?: string;
    collectedAt?: string;
  } = {},
) {
  sequence++;
  const systemId = overrides.systemId ?? (await accessSystem(org, { production: true })).id;
  const created = body(
    await org.owner.client.post("/api/v1/key-listings", {
      systemId,
      host: overrides.host ?? `host-${sequence}.internal`,
      files: [
        {
          name: "/home/deploy/.ssh/authorized_keys",
          content: overrides.content ?? `${sshPublicKey()}\n`,
        },
      ],
      ...(overrides.collectedAt ? { collectedAt: overrides.collectedAt } : {}),
    }),
    "host listing",
    201,
  );
  return { id: created.id as string, systemId };
}
