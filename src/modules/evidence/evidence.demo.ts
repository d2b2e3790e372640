import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";
import { shiftDay } from "../../domain/evidence-validity.ts";
import type { DemoContext } from "../area.ts";
import { utcDate } from "./evidence.queries.ts";
import { createLinkEvidence } from "./evidence.service.ts";

/**
 * The demo organization's evidence library: links on a dozen controls, most valid, a few
 * expiring within 30 days and two expired, so every state of the library shows. Added through
 * the service like a person would (each is audited); dates are relative to `now`.
 */
const DEMO_EVIDENCE: {
  controlKey: string;
  testKey?: string;
  title: string;
  description?: string;
  /** Days before today the evidence is from. */
  ago: number;
  /** Days from today to its last valid day; absent: 365 days after its date. */
  validFor?: number;
  url: string;
}[] = [
  {
    controlKey: "asset-inventory",
    testKey: "inventory-reviewed",
    title: "Asset inventory review, Q4",
    description: "Reviewed by the system owners; three retired hosts removed.",
    ago: 12,
    url: "https://wiki.demo.attest.test/security/asset-inventory-q4",
  },
  {
    controlKey: "encryption-at-rest",
    testKey: "datastores-encrypted",
    title: "Database storage encryption settings",
    ago: 30,
    url: "https://wiki.demo.attest.test/security/storage-encryption",
  },
  {
    controlKey: "encryption-in-transit",
    title: "TLS configuration scan",
    description: "Every public endpoint negotiates TLS 1.2 or later.",
    ago: 8,
    validFor: 90,
    url: "https://wiki.demo.attest.test/security/tls-scan",
  },
  {
    controlKey: "backup-restoration-testing",
    testKey: "restore-tested",
    title: "Quarterly restore drill",
    ago: 40,
    url: "https://tickets.demo.attest.test/OPS-1412",
  },
  {
    controlKey: "third-party-penetration-test",
    testKey: "pentest-annual",
    title: "Penetration test report 2026",
    ago: 75,
    url: "https://vault.demo.attest.test/reports/pentest-2026",
  },
  {
    controlKey: "user-access-reviews",
    title: "Production access review sign-off",
    ago: 20,
    validFor: 70,
    url: "https://tickets.demo.attest.test/SEC-233",
  },
  {
    controlKey: "incident-response-plan-testing",
    testKey: "ir-plan-exercised",
    title: "Tabletop exercise notes: ransomware",
    ago: 61,
    url: "https://wiki.demo.attest.test/security/tabletop-ransomware",
  },
  {
    controlKey: "encryption-key-management-policy",
    testKey: "keys-rotated",
    title: "KMS key rotation log",
    ago: 340,
    url: "https://wiki.demo.attest.test/security/key-rotation",
  },
  {
    controlKey: "admin-access-restricted",
    title: "Admin group membership export",
    ago: 60,
    validFor: 12,
    url: "https://tickets.demo.attest.test/SEC-219",
  },
  {
    controlKey: "description-of-services",
    title: "System description for customers",
    ago: 150,
    validFor: 27,
    url: "https://wiki.demo.attest.test/company/system-description",
  },
  {
    controlKey: "third-party-penetration-test",
    testKey: "pentest-annual",
    title: "Penetration test report 2025",
    description: "Superseded by the 2026 report.",
    ago: 430,
    url: "https://vault.demo.attest.test/reports/pentest-2025",
  },
  {
    controlKey: "incident-tracking",
    title: "On-call handbook review",
    ago: 120,
    validFor: -9,
    url: "https://wiki.demo.attest.test/engineering/on-call",
  },
];

/** The evidence library, added through the service as a person would (each is audited). */
export async function seedDemoEvidence(_db: Kysely<Database>, demo: DemoContext): Promise<number> {
  demo.progress("evidence: links on a dozen controls, some expiring, two expired");
  const today = utcDate(demo.now);
  for (const item of DEMO_EVIDENCE) {
    await createLinkEvidence(demo.ownerContext, {
      controlKey: item.controlKey,
      testKey: item.testKey,
      title: item.title,
      description: item.description,
      evidenceDate: shiftDay(today, -item.ago),
      validUntil: item.validFor === undefined ? undefined : shiftDay(today, item.validFor),
      url: item.url,
    });
  }
  demo.counts.evidence = DEMO_EVIDENCE.length;
  return DEMO_EVIDENCE.length;
}
