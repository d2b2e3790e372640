import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";

const CATALOG_FILE = fileURLToPath(new URL("../../catalog/controls.yaml", import.meta.url));

export const CRITERION_PATTERN = /^(CC|A|C|PI|P)\d{1,2}\.\d{1,2}$/;

const catalogSchema = z.object({
  categories: z
    .array(
      z.object({
        name: z.string().min(1),
        controls: z.array(
          z.object({
            key: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
            title: z.string().min(1),
            description: z.string().min(1),
            criteria: z.array(z.string().regex(CRITERION_PATTERN)),
            tests: z
              .array(z.object({ key: z.string().min(1), description: z.string().min(1) }))
              .min(1),
          }),
        ),
      }),
    )
    .min(1),
});

export type Catalog = z.infer<typeof catalogSchema>;
export type CatalogControl = Catalog["categories"][number]["controls"][number];

let cached: Catalog | undefined;

/** The control catalog shipped in catalog/controls.yaml, validated on first use. */
export function loadCatalog(): Catalog {
  cached ??= catalogSchema.parse(parse(fs.readFileSync(CATALOG_FILE, "utf8")));
  return cached;
}

const testsByControl = new Map<string, CatalogControl["tests"]>();

/** The automated tests the catalog names for a control. */
export function catalogTests(key: string): CatalogControl["tests"] {
  if (testsByControl.size === 0) {
    for (const category of loadCatalog().categories) {
      for (const control of category.controls) testsByControl.set(control.key, control.tests);
    }
  }
  return testsByControl.get(key) ?? [];
}
