// The public pages' focus ring must be seen (WCAG 1.4.11: 3:1 against what surrounds it).
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { contrast, themeStylesheet } from "./assets.ts";

const css = fs.readFileSync(new URL("./trust.css", import.meta.url), "utf8");

/** A custom property's value in trust.css's :root. */
function property(name: string): string {
  const match = new RegExp(`--${name}:\\s*(#[0-9a-f]{6})\\b`, "i").exec(css);
  if (!match?.[1]) throw new Error(`trust.css has no --${name}`);
  return match[1];
}

describe("the trust pages' focus ring", () => {
  it("should contrast at least 3:1 with every light background the pages use", () => {
    const focus = property("focus");
    for (const background of [
      "surface",
      "surface-alt",
      "neutral-bg",
      "warn-bg",
      "ok-bg",
      "danger-bg",
      "info-bg",
    ]) {
      expect(contrast(focus, property(background)), background).toBeGreaterThanOrEqual(3);
    }
  });

  it("should take the brand band's text colour there, at least 3:1 whatever the organization's colour", () => {
    expect(css).toMatch(
      /\.site-header :focus-visible,\s*\.skip-link:focus-visible\s*\{\s*outline-color: var\(--brand-contrast\);/,
    );
    for (const primaryColor of ["#1d4ed8", "#fde68a", "#777777", "#0f766e", "#ff0000", "#000000"]) {
      const theme = themeStylesheet({ primaryColor, accentColor: "#0f766e" });
      const onBrand = /--brand-contrast: (#[0-9a-f]{6});/.exec(theme)?.[1] ?? "";
      expect(contrast(onBrand, primaryColor), primaryColor).toBeGreaterThanOrEqual(3);
    }
  });
});
