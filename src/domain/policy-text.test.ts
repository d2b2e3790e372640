import { describe, expect, it } from "vitest";
import { loadTemplates } from "../modules/policies/templates.ts";
import { PROFILE_PLACEHOLDERS, placeholderValues } from "./company-profile.ts";
import {
  APPROVAL_PLACEHOLDERS,
  fillPlaceholders,
  hasTemplateNote,
  placeholdersIn,
  remainingPlaceholders,
  removeTemplateNote,
  unfinishedText,
} from "./policy-text.ts";

const BODY = [
  "# Policy",
  "",
  "> **About this template.** Fill in {{company_name}} and {{product_name}}. Delete this note.",
  "",
  "**Effective date:** {{effective_date}}",
  "",
  "{{company_name}} runs {{product_name}} for {{legal_entity}}.",
].join("\n");

describe("policy text", () => {
  it("should leave the note's own list of placeholders alone and count only the text's", () => {
    const filled = fillPlaceholders(BODY, { company_name: "Acme", product_name: "Rocket" });
    expect(filled).toContain("Acme runs Rocket for {{legal_entity}}.");
    expect(filled).toContain("Fill in {{company_name}} and {{product_name}}.");
    expect(remainingPlaceholders(filled)).toEqual(["effective_date", "legal_entity"]);
    expect(unfinishedText(filled, { fillsOnApproval: true })).toEqual({
      placeholders: ["legal_entity"],
      templateNote: true,
    });
    expect(unfinishedText(filled, { fillsOnApproval: false }).placeholders).toEqual([
      "effective_date",
      "legal_entity",
    ]);
  });

  it("should remove the whole note block and the blank line after it", () => {
    const removed = removeTemplateNote(BODY);
    expect(removed).toBe(
      "# Policy\n\n**Effective date:** {{effective_date}}\n\n{{company_name}} runs {{product_name}} for {{legal_entity}}.",
    );
    expect(hasTemplateNote(removed)).toBe(false);
    expect(removeTemplateNote(removed)).toBe(removed);
    // Written without a block quote, the note is its paragraph.
    const plain = "Intro.\n\nAbout this template: fill it in.\nStill the note.\n\nText.";
    expect(removeTemplateNote(plain)).toBe("Intro.\n\nText.");
  });

  it("should find the note in every template, and the profile and approval cover every placeholder", () => {
    const templates = loadTemplates();
    expect(templates).toHaveLength(11);
    const known = new Set([
      "company_name",
      ...APPROVAL_PLACEHOLDERS,
      ...Object.keys(PROFILE_PLACEHOLDERS),
    ]);
    for (const template of templates) {
      expect(hasTemplateNote(template.body), template.key).toBe(true);
      for (const name of placeholdersIn(template.body)) expect(known, name).toContain(name);
      const finished = removeTemplateNote(
        fillPlaceholders(
          template.body,
          placeholderValues("Acme", {
            legalEntity: "Acme Ltd",
            productName: "Rocket",
            serviceSummary: "Rockets.",
            securityLead: "Sam",
            securityEmail: "s@acme.test",
            privacyEmail: "p@acme.test",
            websiteUrl: "https://acme.test",
            trustCenterUrl: "https://acme.test/trust",
            hostingProvider: "Hetzner",
            primaryRegion: "Germany",
            jurisdiction: "Germany",
            rtoHours: 4,
            rpoHours: 1,
            backupRetentionDays: 30,
            retentionDefaultDays: 30,
          }),
        ),
      );
      expect(unfinishedText(finished, { fillsOnApproval: true }), template.key).toEqual({
        placeholders: [],
        templateNote: false,
      });
      // The counsel warning of the Terms of Service goes with the note it shares a quote with.
      expect(finished).not.toContain("must be reviewed by qualified legal counsel");
    }
  });
});
