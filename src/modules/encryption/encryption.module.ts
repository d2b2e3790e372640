import type { Area } from "../area.ts";
import { encryptionChecks } from "./encryption.checks.ts";
import { seedDemoEncryption } from "./encryption.demo.ts";
import { encryptionAuditTargets } from "./encryption.queries.ts";
import { encryptionRoutes } from "./encryption.routes.ts";

/**
 * Encryption: confirmations of encryption at rest for each data store holding confidential or
 * restricted data (by a person with evidence, or by an automated check: Attest checks its own
 * storage), and the registry of encryption keys with their rotations, Attest's master key
 * among them.
 */
export const encryptionArea: Area = {
  name: "encryption",
  tables: [
    "encryption_keys",
    "encryption_key_rotations",
    "encryption_confirmations",
    "encryption_confirmation_evidence",
  ],
  routes: encryptionRoutes,
  checks: encryptionChecks,
  sources: ["encryption"],
  demo: seedDemoEncryption,
  auditTargets: encryptionAuditTargets,
};

declare module "../change.ts" {
  interface DataSources {
    /** The key registry, key rotations and confirmations of encryption at rest. */
    encryption: true;
  }
}
