import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type TrustSettings } from "./trust-center.schema.ts";
import { selectControls } from "./trust-content.ts";

const CATALOG = [
  { name: "Availability", controls: [{ key: "bcdr" }, { key: "restore" }] },
  { name: "Incident Response", controls: [{ key: "tracking" }, { key: "lessons" }] },
  { name: "Communications", controls: [{ key: "terms" }] },
];
const passing = new Set(["restore", "lessons", "terms"]);
const listed = (settings: Partial<TrustSettings>, pass: ReadonlySet<string> = passing) =>
  selectControls(CATALOG, { ...DEFAULT_SETTINGS, ...settings }, pass).map(
    (c) => `${c.name}: ${c.controls.map((k) => k.key).join(",")}`,
  );

describe("the controls a trust center lists", () => {
  it("should list nothing until something is chosen", () => {
    expect(listed({})).toEqual([]);
  });

  it("should list the categories chosen whole and the single controls chosen, in catalog order", () => {
    expect(listed({ shownCategories: ["Communications"], shownControls: ["tracking"] })).toEqual([
      "Incident Response: tracking",
      "Communications: terms",
    ]);
  });

  it("should keep only the controls passing now when only in place is on", () => {
    expect(
      listed({ shownCategories: ["Availability", "Incident Response"], onlyInPlace: true }),
    ).toEqual(["Availability: restore", "Incident Response: lessons"]);
    expect(listed({ shownControls: ["bcdr"], onlyInPlace: true })).toEqual([]);
  });

  it("should list everything not hidden for trust centers made before choosing existed", () => {
    expect(
      listed({
        controlSelection: "all",
        hiddenCategories: ["Availability"],
        hiddenControls: ["lessons"],
        shownCategories: [],
      }),
    ).toEqual(["Incident Response: tracking", "Communications: terms"]);
    expect(listed({ controlSelection: "all", onlyInPlace: true }, new Set(["terms"]))).toEqual([
      "Communications: terms",
    ]);
  });
});
