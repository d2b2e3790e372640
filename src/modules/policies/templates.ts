import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";

const TEMPLATE_DIR = fileURLToPath(new URL("../../../catalog/policies", import.meta.url));

const frontMatterSchema = z.object({
  key: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  control: z.string().regex(/^[a-z0-9-]+$/),
  visibility: z.enum(["internal", "public"]),
  audience: z.literal("all"),
});

export interface PolicyTemplate {
  key: string;
  title: string;
  controlKey: string;
  visibility: "internal" | "public";
  body: string;
}

let cached: PolicyTemplate[] | undefined;

/** The policy templates Attest ships in catalog/policies, each with YAML front matter. */
export function loadTemplates(): PolicyTemplate[] {
  if (cached) return cached;
  const files = fs.existsSync(TEMPLATE_DIR)
    ? fs
        .readdirSync(TEMPLATE_DIR)
        .filter((f) => f.endsWith(".md"))
        .sort()
    : [];
  cached = files.map((file) => {
    const text = fs.readFileSync(path.join(TEMPLATE_DIR, file), "utf8");
    const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
    if (!match) throw new Error(`Policy template ${file} has no front matter`);
    const meta = frontMatterSchema.parse(parse(match[1] as string));
    return {
      key: meta.key,
      title: meta.title,
      controlKey: meta.control,
      visibility: meta.visibility,
      body: (match[2] as string).trimStart(),
    };
  });
  return cached;
}

export function findTemplate(key: string): PolicyTemplate | undefined {
  return loadTemplates().find((t) => t.key === key);
}
