import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const KIT_CSS = fileURLToPath(new URL("./trust.css", import.meta.url));
const MODULES_DIR = fileURLToPath(new URL("../modules/", import.meta.url));

let stylesheet: { body: Buffer; hash: string } | undefined;

/**
 * The shared stylesheet: the kit's trust.css, then every area's *.trust.css in folder order,
 * read once (at start) and served with its content hash in the URL. The areas' stylesheets are
 * found on disk, so the kit imports no area.
 */
export function trustStylesheet(): { body: Buffer; hash: string } {
  if (stylesheet) return stylesheet;
  const parts = [fs.readFileSync(KIT_CSS, "utf8")];
  for (const module of fs.readdirSync(MODULES_DIR).sort()) {
    const dir = path.join(MODULES_DIR, module);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of fs.readdirSync(dir).sort()) {
      if (file.endsWith(".trust.css")) {
        parts.push(`/* ${module}/${file} */\n${fs.readFileSync(path.join(dir, file), "utf8")}`);
      }
    }
  }
  const body = Buffer.from(parts.join("\n"));
  stylesheet = { body, hash: createHash("sha256").update(body).digest("base64url").slice(0, 12) };
  return stylesheet;
}

function channel(hex: string, at: number): number {
  const value = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
  return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

function luminance(hex: string): number {
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

/** WCAG contrast ratio of two #rrggbb colours. */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The organization's colours as CSS custom properties (a stylesheet, as the CSP forbids
 * inline style). Text on the brand colour is white or near-black, whichever contrasts more,
 * and links use the brand colour only when it reads on white (4.5:1), so a pale brand colour
 * never makes the page illegible.
 */
export function themeStylesheet(settings: { primaryColor: string; accentColor: string }): string {
  const primary = settings.primaryColor;
  const accent = settings.accentColor;
  const onPrimary =
    contrast(primary, "#ffffff") >= contrast(primary, "#111827") ? "#ffffff" : "#111827";
  const onAccent =
    contrast(accent, "#ffffff") >= contrast(accent, "#111827") ? "#ffffff" : "#111827";
  const link = contrast(primary, "#ffffff") >= 4.5 ? primary : "#1e40af";
  return `:root {
  --brand: ${primary};
  --brand-contrast: ${onPrimary};
  --accent: ${accent};
  --accent-contrast: ${onAccent};
  --link: ${link};
}
`;
}
